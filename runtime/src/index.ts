// @wharf/runtime public entry point.
export {};
