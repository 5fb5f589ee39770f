// @wharf/apiserver public entry point.
export {};
