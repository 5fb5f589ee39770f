// @wharf/apiserver: the API server and its storage layer.
export { startApiServer, type RunningApiServer, type ApiServerExtensions } from './server.js';
export type { ApiServerFlags } from './options.js';
export { kubeconfigYaml, ensurePki } from './pki.js';
export type { Authenticator, UserInfo } from './auth.js';
export { connectHandlers, type RouteContext } from './http/router.js';
// The storage layer without the etcd backend's classes, so loading the
// apiserver does not load etcd3 and gRPC (import storage/index.js for those).
export type { KeyValue, ListOptions, ListResult, Storage, StorageEvent, StorageEventType, WatchStream } from './storage/interface.js';
export * from './storage/errors.js';
export { openSqliteStorage, SqliteStorage, type SqliteStorageOptions } from './storage/sqlite/sqlite-storage.js';
export { openStorage, parseStorageUrl, type StorageUrl } from './storage/open-storage.js';
