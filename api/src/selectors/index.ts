// Public exports of api/src/selectors (re-exported by api/src/index.ts).
export {};
