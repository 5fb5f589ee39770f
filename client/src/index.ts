// @wharf/client public entry point.
export {};
