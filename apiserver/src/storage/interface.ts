// The one storage interface both backends implement (SQLite embedded, etcd).
// It is a revisioned key-value store with etcd's semantics: every write gets a
// new, strictly increasing store revision; each key remembers the revision that
// created it and the one that last modified it (its resourceVersion).

export interface KeyValue {
  key: string;
  /** The serialized object (JSON text). */
  value: string;
  /** Revision of the write that created this key (etcd create_revision). */
  createRevision: number;
  /** Revision of the last write to this key (etcd mod_revision) — the object's resourceVersion. */
  modRevision: number;
}

export interface ListOptions {
  /** At most this many keys; `more` tells whether there were further keys. */
  limit?: number;
  /** Start strictly after this key (pagination). */
  startAfter?: string;
  /** Read the state as of this revision (must not be compacted); default: latest. */
  revision?: number;
}

export interface ListResult {
  kvs: KeyValue[];
  /** The revision the list reflects. */
  revision: number;
  more: boolean;
}

export type StorageEventType = 'put' | 'delete';

export interface StorageEvent {
  type: StorageEventType;
  /** For put: the new value. For delete: the last value, with modRevision = the delete's revision. */
  kv: KeyValue;
  /** The previous value, when there was one. */
  prevKv?: KeyValue;
  revision: number;
}

/** An async iterator of events with an explicit stop(). Iteration ends after stop(). */
export interface WatchStream extends AsyncIterable<StorageEvent> {
  stop(): void;
}

export interface Storage {
  readonly backend: 'sqlite' | 'etcd';
  /** The newest revision of the store. */
  currentRevision(): Promise<number>;
  get(key: string): Promise<{ kv: KeyValue | undefined; revision: number }>;
  list(prefix: string, options?: ListOptions): Promise<ListResult>;
  /** Fails with KeyExistsError when the key exists. */
  create(key: string, value: string): Promise<KeyValue>;
  /**
   * Compare-and-swap on the key's modRevision. Fails with RevisionConflictError
   * (carrying the current value) when it differs, KeyNotFoundError when absent.
   */
  update(key: string, value: string, expectedModRevision: number): Promise<KeyValue>;
  /**
   * Deletes, optionally only if the key's modRevision matches. Returns the
   * deleted value with modRevision set to the delete's revision.
   */
  delete(key: string, expectedModRevision?: number): Promise<KeyValue>;
  /**
   * Every event under prefix with revision > afterRevision, exactly once, in
   * revision order. Fails (the iterator throws CompactedError) when
   * afterRevision is older than the compacted revision.
   */
  watch(prefix: string, afterRevision: number): WatchStream;
  /** Forget history older than revision. Reads and watches from before it fail with CompactedError. */
  compact(revision: number): Promise<void>;
  /** The oldest revision still readable (compacted revision). */
  compactedRevision(): Promise<number>;
  close(): Promise<void>;
}
