// Public exports of api/src/types (re-exported by api/src/index.ts).
export {};
