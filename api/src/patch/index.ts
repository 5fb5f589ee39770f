// Public exports of api/src/patch (re-exported by api/src/index.ts).
export {};
