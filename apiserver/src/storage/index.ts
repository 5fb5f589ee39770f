// The storage layer's public door: one interface, two backends.
export type {
  KeyValue,
  ListOptions,
  ListResult,
  Storage,
  StorageEvent,
  StorageEventType,
  WatchStream,
} from './interface.js';
export {
  CompactedError,
  FutureRevisionError,
  InvalidStorageUrlError,
  KeyExistsError,
  KeyNotFoundError,
  RevisionConflictError,
  StorageClosedError,
  StorageError,
  StorageUnavailableError,
  StoreLockedError,
  WatchTooSlowError,
} from './errors.js';
export { EventQueue, type WatchState } from './event-queue.js';
export { openSqliteStorage, SqliteStorage, type SqliteStorageOptions } from './sqlite/sqlite-storage.js';
export { openEtcdStorage, EtcdStorage, type EtcdStorageOptions } from './etcd/etcd-storage.js';
export { openStorage, parseStorageUrl, type StorageUrl } from './open-storage.js';
