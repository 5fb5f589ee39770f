// @wharf/proto public entry point.
export {};
