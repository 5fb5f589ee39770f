// Typed storage failures. The API layer maps them to Kubernetes Status codes:
// KeyExists → 409 AlreadyExists, KeyNotFound → 404, RevisionConflict → 409
// Conflict, Compacted and WatchTooSlow → 410 Gone (the client relists).
import type { KeyValue } from './interface.js';

interface ErrorOptions {
  cause?: unknown;
}

export class StorageError extends Error {
  override readonly name: string = 'StorageError';
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
  }
}

export class KeyExistsError extends StorageError {
  override readonly name = 'KeyExistsError';
  constructor(
    readonly key: string,
    options?: ErrorOptions,
  ) {
    super(`key ${key} already exists`, options);
  }
}

export class KeyNotFoundError extends StorageError {
  override readonly name = 'KeyNotFoundError';
  constructor(
    readonly key: string,
    options?: ErrorOptions,
  ) {
    super(`key ${key} not found`, options);
  }
}

/** A compare-and-swap lost: `current` is what the key holds now. */
export class RevisionConflictError extends StorageError {
  override readonly name = 'RevisionConflictError';
  constructor(
    readonly key: string,
    readonly expectedModRevision: number,
    readonly current: KeyValue,
    options?: ErrorOptions,
  ) {
    super(
      `key ${key}: expected revision ${expectedModRevision}, current revision is ${current.modRevision}`,
      options,
    );
  }
}

/** The requested revision is older than what the store still remembers. */
export class CompactedError extends StorageError {
  override readonly name = 'CompactedError';
  constructor(
    readonly requestedRevision: number,
    readonly compactedRevision: number,
    options?: ErrorOptions,
  ) {
    super(
      `revision ${requestedRevision} has been compacted (compacted revision ${compactedRevision})`,
      options,
    );
  }
}

/** A revision newer than the store's current revision was requested. */
export class FutureRevisionError extends StorageError {
  override readonly name = 'FutureRevisionError';
  constructor(
    readonly requestedRevision: number,
    readonly currentRevision: number,
    options?: ErrorOptions,
  ) {
    super(`revision ${requestedRevision} is newer than the current revision ${currentRevision}`, options);
  }
}

/**
 * A watcher did not consume its events fast enough and was dropped so that
 * memory stays bounded. Resume from `lastRevision` (or relist if that fails).
 */
export class WatchTooSlowError extends StorageError {
  override readonly name = 'WatchTooSlowError';
  constructor(
    readonly lastRevision: number,
    readonly bufferedEvents: number,
    options?: ErrorOptions,
  ) {
    super(`watcher fell ${bufferedEvents} events behind at revision ${lastRevision} and was stopped`, options);
  }
}

/** Another process holds the SQLite store (one apiserver per SQLite file). */
export class StoreLockedError extends StorageError {
  override readonly name = 'StoreLockedError';
  constructor(
    readonly path: string,
    options?: ErrorOptions,
  ) {
    super(
      `SQLite store ${path} is locked by another process; only one apiserver may use a SQLite file ` +
        `(use etcd to run several apiservers)`,
      options,
    );
  }
}

export class StorageClosedError extends StorageError {
  override readonly name = 'StorageClosedError';
  constructor(options?: ErrorOptions) {
    super('storage is closed', options);
  }
}

export class InvalidStorageUrlError extends StorageError {
  override readonly name = 'InvalidStorageUrlError';
  constructor(
    readonly url: string,
    reason: string,
    options?: ErrorOptions,
  ) {
    super(
      `invalid store URL ${JSON.stringify(url)}: ${reason} ` +
        `(expected sqlite:PATH or etcd://host:port[,host:port...])`,
      options,
    );
  }
}

/** The backend failed for a reason that is not one of the above (network, disk). */
export class StorageUnavailableError extends StorageError {
  override readonly name = 'StorageUnavailableError';
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
  }
}
