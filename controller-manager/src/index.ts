// @wharf/controller-manager public entry point.
export {};
