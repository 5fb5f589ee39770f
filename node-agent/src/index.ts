// @wharf/node-agent public entry point.
export {};
