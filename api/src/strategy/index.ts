// Public exports of api/src/strategy (re-exported by api/src/index.ts).
export {};
