// @wharf/apiserver: the API server and its storage layer.
export { startApiServer, type RunningApiServer, type ApiServerExtensions } from './server.js';
export type { ApiServerFlags } from './options.js';
export { kubeconfigYaml, ensurePki } from './pki.js';
export type { Authenticator, UserInfo } from './auth.js';
export { connectHandlers, type RouteContext } from './http/router.js';
export * from './storage/index.js';
