// @wharf/proto public entry point: the runtime API's service definitions,
// message types and a typed client.
export { RUNTIME_PROTO_PATH, LOADER_OPTIONS, runtimeServiceDefinition, imageServiceDefinition } from './load.js';
export { createRuntimeClient } from './client.js';
export type { RuntimeClient, ExecSession, CallOptions } from './client.js';
export type * from './types.js';

/** Where the runtime listens unless told otherwise. */
export const DEFAULT_RUNTIME_ENDPOINT = 'unix:///run/wharf/runtime.sock';
