// Public exports of api/src/schema (re-exported by api/src/index.ts).
export * from './schema.js';
