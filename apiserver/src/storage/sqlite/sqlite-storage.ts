// The embedded backend: etcd semantics on one SQLite file (see schema.ts).
//
// Durability: WAL with synchronous=FULL. With NORMAL a commit only write()s the
// WAL; that survives SIGKILL (the data is in the OS page cache) but not power
// loss or a kernel crash, which lose the WAL tail. FULL fsyncs the WAL at every
// commit, so an acknowledged write survives both. Its cost varies with disk
// load on this 2-core machine (≈800 to ≈16,000 single-row commits/s, against
// ≈15,000–60,000 with NORMAL), so writes are group-committed (group-commit.ts):
// those arriving in one event-loop turn share a transaction and its fsync, and
// each promise resolves only after that COMMIT returned.
//
// One process per file: locking_mode=EXCLUSIVE makes SQLite hold an OS lock on
// the database for the connection's lifetime; the kernel drops it when the
// process dies (even by SIGKILL), so there is no stale lock file to clean up.
// It also keeps the WAL index in heap memory instead of a shared -shm file.
import Database from 'better-sqlite3';
import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import {
  CompactedError,
  FutureRevisionError,
  KeyExistsError,
  KeyNotFoundError,
  RevisionConflictError,
  StorageClosedError,
  StoreLockedError,
} from '../errors.js';
import type { KeyValue, ListOptions, ListResult, Storage, StorageEvent, WatchStream } from '../interface.js';
import { EventQueue } from '../event-queue.js';
import { prefixEnd } from '../key-range.js';
import { META_COMPACT_REVISION, type Row, SCHEMA, SQL } from './schema.js';
import { GroupCommit } from './group-commit.js';
import { WatchHub } from './watch-hub.js';

export interface SqliteStorageOptions {
  path: string;
  /** How often old revisions are compacted, in ms (0 = never automatically). Default 60 s. */
  compactInterval?: number;
  /** Revisions kept by automatic compaction. Default 10,000. */
  keepRevisions?: number;
  /** How often the WAL is checkpointed and truncated, in ms (0 = never). Default 30 s. */
  checkpointInterval?: number;
  /** The WAL is truncated to this size after a checkpoint. Default 16 MiB. */
  walSizeLimit?: number;
  /** Events a live watcher may buffer before it is dropped. Default 10,000. */
  watchBufferLimit?: number;
  /** How long to wait for another process to release the file, in ms. Default 1,000. */
  lockTimeout?: number;
}

type Settings = Required<SqliteStorageOptions>;

/** The parameters of SQL.insert. */
interface Insert {
  name: string;
  created: 0 | 1;
  deleted: 0 | 1;
  createRevision: number;
  prevRevision: number;
  value: string;
  oldValue: string | null;
}

/** Revisions each compaction transaction covers; keeps write pauses short. */
const COMPACT_BATCH = 1000;

function settingsFrom(options: SqliteStorageOptions): Settings {
  return {
    path: resolve(options.path),
    compactInterval: options.compactInterval ?? 60_000,
    keepRevisions: Math.max(1, options.keepRevisions ?? 10_000),
    checkpointInterval: options.checkpointInterval ?? 30_000,
    walSizeLimit: options.walSizeLimit ?? 16 * 1024 * 1024,
    watchBufferLimit: options.watchBufferLimit ?? 10_000,
    lockTimeout: options.lockTimeout ?? 1_000,
  };
}

function createRevisionOf(row: Row): number {
  return row.created ? row.id : row.create_revision;
}

/** The event a row records; every row is self-contained (see schema.ts). */
function eventOf(row: Row): StorageEvent {
  const createRevision = createRevisionOf(row);
  const kv: KeyValue = { key: row.name, value: row.value, createRevision, modRevision: row.id };
  if (row.deleted) {
    const prevKv = { ...kv, modRevision: row.prev_revision };
    return { type: 'delete', kv, prevKv, revision: row.id };
  }
  if (row.created || row.old_value === null) return { type: 'put', kv, revision: row.id };
  const prevKv = { key: row.name, value: row.old_value, createRevision, modRevision: row.prev_revision };
  return { type: 'put', kv, prevKv, revision: row.id };
}

function kvOf(row: Row): KeyValue {
  return { key: row.name, value: row.value, createRevision: createRevisionOf(row), modRevision: row.id };
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED';
}

export class SqliteStorage implements Storage {
  readonly backend = 'sqlite' as const;
  readonly path: string;
  private readonly db: Database.Database;
  private readonly settings: Settings;
  private readonly hub: WatchHub;
  private readonly stmts;
  private readonly writer: GroupCommit<Row>;
  private revision: number;
  private compacted: number;
  private closed = false;
  private compaction: Promise<void> = Promise.resolve();
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(options: SqliteStorageOptions) {
    this.settings = settingsFrom(options);
    this.path = this.settings.path;
    mkdirSync(dirname(this.path), { recursive: true });
    this.db = new Database(this.path, { timeout: this.settings.lockTimeout });
    try {
      this.db.pragma('locking_mode = EXCLUSIVE');
      this.db.pragma('journal_mode = WAL');
      // Take the write lock now, so a second process fails here, not at its first write.
      this.db.exec('BEGIN EXCLUSIVE; COMMIT');
    } catch (error) {
      this.db.close();
      if (isBusy(error)) throw new StoreLockedError(this.path, { cause: error });
      throw error;
    }
    this.db.pragma('synchronous = FULL');
    this.db.pragma(`journal_size_limit = ${Math.floor(this.settings.walSizeLimit)}`);
    this.db.exec(SCHEMA);
    const prepare = (sql: string) => this.db.prepare(sql);
    this.stmts = {
      latest: prepare(SQL.latest),
      insert: prepare(SQL.insert),
      currentRevision: prepare(SQL.currentRevision).pluck(),
      getMeta: prepare(SQL.getMeta).pluck(),
      setMeta: prepare(SQL.setMeta),
      after: { bounded: prepare(SQL.after(true)), open: prepare(SQL.after(false)) },
      listAt: { bounded: prepare(SQL.listAt(true)), open: prepare(SQL.listAt(false)) },
      compactSuperseded: prepare(SQL.compactSuperseded),
      compactDeletes: prepare(SQL.compactDeletes),
    };
    this.revision = Number(this.stmts.currentRevision.get() ?? 0);
    this.compacted = Number(this.stmts.getMeta.get(META_COMPACT_REVISION) ?? 0);
    this.hub = new WatchHub(
      {
        readAfter: (prefix, after, limit) => this.readAfter(prefix, after, limit),
        currentRevision: () => this.revision,
        compactedRevision: () => this.compacted,
      },
      { bufferLimit: this.settings.watchBufferLimit, pageSize: 500 },
    );
    this.writer = new GroupCommit<Row>(this.db, (rows) => this.committed(rows));
    this.startTimers();
  }

  async currentRevision(): Promise<number> {
    this.checkOpen();
    return this.revision;
  }

  async compactedRevision(): Promise<number> {
    this.checkOpen();
    return this.compacted;
  }

  /** Open watchers (for metrics). */
  get watcherCount(): number {
    return this.hub.size;
  }

  async get(key: string): Promise<{ kv: KeyValue | undefined; revision: number }> {
    this.checkOpen();
    const row = this.stmts.latest.get(key) as Row | undefined;
    return { kv: row && !row.deleted ? kvOf(row) : undefined, revision: this.revision };
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListResult> {
    this.checkOpen();
    const revision = options.revision && options.revision > 0 ? options.revision : this.revision;
    if (revision < this.compacted) throw new CompactedError(revision, this.compacted);
    if (revision > this.revision) throw new FutureRevisionError(revision, this.revision);
    const limit = options.limit && options.limit > 0 ? options.limit : -1;
    let start = prefix;
    if (options.startAfter !== undefined && options.startAfter + '\0' > start) start = options.startAfter + '\0';
    const end = prefixEnd(prefix);
    const stmt = end === undefined ? this.stmts.listAt.open : this.stmts.listAt.bounded;
    const rows = stmt.all({ start, end, rev: revision, limit: limit < 0 ? -1 : limit + 1 }) as Row[];
    const more = limit >= 0 && rows.length > limit;
    if (more) rows.pop();
    return { kvs: rows.map(kvOf), revision, more };
  }

  async create(key: string, value: string): Promise<KeyValue> {
    this.checkOpen();
    return this.write(() => {
      const latest = this.stmts.latest.get(key) as Row | undefined;
      if (latest && !latest.deleted) throw new KeyExistsError(key);
      return {
        name: key,
        created: 1,
        deleted: 0,
        createRevision: 0,
        prevRevision: latest?.id ?? 0,
        value,
        oldValue: null,
      };
    });
  }

  async update(key: string, value: string, expectedModRevision: number): Promise<KeyValue> {
    this.checkOpen();
    return this.write(() => {
      const latest = this.stmts.latest.get(key) as Row | undefined;
      if (!latest || latest.deleted) throw new KeyNotFoundError(key);
      if (latest.id !== expectedModRevision) {
        throw new RevisionConflictError(key, expectedModRevision, kvOf(latest));
      }
      return {
        name: key,
        created: 0,
        deleted: 0,
        createRevision: createRevisionOf(latest),
        prevRevision: latest.id,
        value,
        oldValue: latest.value,
      };
    });
  }

  async delete(key: string, expectedModRevision?: number): Promise<KeyValue> {
    this.checkOpen();
    return this.write(() => {
      const latest = this.stmts.latest.get(key) as Row | undefined;
      if (!latest || latest.deleted) throw new KeyNotFoundError(key);
      if (expectedModRevision !== undefined && latest.id !== expectedModRevision) {
        throw new RevisionConflictError(key, expectedModRevision, kvOf(latest));
      }
      return {
        name: key,
        created: 0,
        deleted: 1,
        createRevision: createRevisionOf(latest),
        prevRevision: latest.id,
        value: latest.value,
        oldValue: null,
      };
    });
  }

  watch(prefix: string, afterRevision: number): WatchStream {
    if (this.closed) {
      const stream = new EventQueue();
      stream.fail(new StorageClosedError());
      return stream;
    }
    return this.hub.watch(prefix, afterRevision);
  }

  /**
   * Drops every row superseded at or before `revision` and every delete older
   * than it, so the state at `revision` and every event after it stay readable.
   * Runs in windows of COMPACT_BATCH revisions, yielding between them, so writes
   * are never held up for long.
   */
  async compact(revision: number): Promise<void> {
    this.checkOpen();
    const run = this.compaction.then(() => this.compactNow(revision));
    this.compaction = run.catch(() => undefined);
    return run;
  }

  /** Checkpoints the WAL into the database and truncates it to zero bytes. */
  checkpoint(): { walBytes: number } {
    this.checkOpen();
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    return { walBytes: this.walBytes() };
  }

  /** Current size of the -wal file in bytes. */
  walBytes(): number {
    try {
      return statSync(`${this.path}-wal`).size;
    } catch {
      return 0;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.writer.close(); // commit (and acknowledge) what is already submitted
    this.closed = true;
    for (const timer of this.timers) clearInterval(timer);
    this.hub.close();
    await this.compaction;
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    this.db.close();
  }

  private async compactNow(revision: number): Promise<void> {
    if (this.closed) return;
    if (revision <= this.compacted) return;
    if (revision > this.revision) throw new FutureRevisionError(revision, this.revision);
    const from = this.compacted;
    // Record first: from now on nothing may read below `revision`, so rows can go.
    this.stmts.setMeta.run(META_COMPACT_REVISION, revision);
    this.compacted = revision;
    const step = this.db.transaction((lo: number, hi: number) => {
      this.stmts.compactSuperseded.run({ lo, hi });
      this.stmts.compactDeletes.run({ lo, hi });
    });
    for (let lo = from; lo < revision && !this.closed; lo += COMPACT_BATCH) {
      step(lo, Math.min(lo + COMPACT_BATCH, revision));
      await yieldToEventLoop();
    }
  }

  /** Decides and inserts one write (inside a group-commit batch); resolves after COMMIT. */
  private async write(plan: () => Insert): Promise<KeyValue> {
    const row = await this.writer.submit((): Row => {
      const insert = plan();
      const id = Number(this.stmts.insert.run(insert).lastInsertRowid);
      return {
        id,
        name: insert.name,
        created: insert.created,
        deleted: insert.deleted,
        create_revision: insert.createRevision,
        prev_revision: insert.prevRevision,
        value: insert.value,
        old_value: insert.oldValue,
      };
    });
    return kvOf(row);
  }

  /** A batch committed: advance the revision and publish its events, in order. */
  private committed(rows: Row[]): void {
    for (const row of rows) {
      this.revision = row.id;
      this.hub.publish(eventOf(row));
    }
  }

  private readAfter(prefix: string, after: number, limit: number): StorageEvent[] {
    const end = prefixEnd(prefix);
    const stmt = end === undefined ? this.stmts.after.open : this.stmts.after.bounded;
    return (stmt.all({ after, start: prefix, end, limit }) as Row[]).map(eventOf);
  }

  private startTimers(): void {
    const { compactInterval, checkpointInterval, keepRevisions } = this.settings;
    if (compactInterval > 0) {
      const timer = setInterval(() => {
        const target = this.revision - keepRevisions;
        if (target > this.compacted) this.compact(target).catch(() => undefined);
      }, compactInterval);
      timer.unref();
      this.timers.push(timer);
    }
    if (checkpointInterval > 0) {
      const timer = setInterval(() => {
        if (!this.closed) this.db.pragma('wal_checkpoint(TRUNCATE)');
      }, checkpointInterval);
      timer.unref();
      this.timers.push(timer);
    }
  }

  private checkOpen(): void {
    if (this.closed) throw new StorageClosedError();
  }
}

export async function openSqliteStorage(options: SqliteStorageOptions): Promise<SqliteStorage> {
  return new SqliteStorage(options);
}
