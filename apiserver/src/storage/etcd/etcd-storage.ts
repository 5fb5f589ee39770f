// The clustered backend: etcd holds the data, its revision is the store
// revision and a key's mod_revision is the object's resourceVersion. Every
// conditional write is one etcd transaction whose failure branch reads the key,
// so a lost compare-and-swap reports the current value in the same round trip.
//
// etcd3 retries a request after a transient network error (up to 3 attempts);
// as with any etcd client, a write whose response was lost may then report
// KeyExists/Conflict although it was applied. Callers already treat those as
// "re-read and decide", which is correct either way.
import etcd3 from 'etcd3';
import type { Etcd3, IKeyValue, IRequestOp, ITxnResponse } from 'etcd3';
import {
  CompactedError,
  FutureRevisionError,
  KeyExistsError,
  KeyNotFoundError,
  RevisionConflictError,
  StorageClosedError,
  StorageError,
  StorageUnavailableError,
} from '../errors.js';
import { EventQueue } from '../event-queue.js';
import type { KeyValue, ListOptions, ListResult, Storage, WatchStream } from '../interface.js';
import { EtcdWatch, toKeyValue } from './etcd-watch.js';

export interface EtcdStorageOptions {
  /** host:port or http://host:port of each member. */
  endpoints: string[];
  /** Prepended to every key in etcd (several clusters can share one etcd). Default ''. */
  prefix?: string;
  /**
   * Unread events at which a watch stops reading from etcd until its consumer
   * catches up (backpressure; etcd keeps the rest). Default 1,000.
   */
  watchBufferLimit?: number;
  /**
   * How often to compact etcd's history, in ms (0 = never; leave it to etcd's
   * own --auto-compaction). Default 5 min, as the Kubernetes apiserver does.
   * Several apiservers may all do it: compacting to a revision already
   * compacted is a no-op.
   */
  compactInterval?: number;
  /** Revisions kept by that compaction. Default 10,000. */
  keepRevisions?: number;
}

/** The first key after every key that starts with `prefix` (etcd's range_end for a prefix). */
function rangeEnd(prefix: Buffer): Buffer {
  const end = Buffer.from(prefix);
  for (let i = end.length - 1; i >= 0; i--) {
    if ((end[i] as number) < 0xff) {
      end[i] = (end[i] as number) + 1;
      return end.subarray(0, i + 1);
    }
  }
  return Buffer.from([0]); // "\0" as range_end means: to the end of the keyspace
}

/** Keys per range request when listing. */
const LIST_PAGE = 1000;

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class EtcdStorage implements Storage {
  readonly backend = 'etcd' as const;
  private readonly client: Etcd3;
  private readonly prefix: Buffer;
  private readonly watchBufferLimit: number;
  private readonly watches = new Set<EtcdWatch>();
  private closed = false;
  private compactTimer: NodeJS.Timeout | undefined;
  /** Highest compaction revision observed; a lower bound for compactedRevision(). */
  private knownCompacted = 0;

  constructor(options: EtcdStorageOptions) {
    if (options.endpoints.length === 0) throw new StorageError('etcd storage needs at least one endpoint');
    this.client = new etcd3.Etcd3({
      hosts: options.endpoints,
      dialTimeout: 5_000,
      // gRPC's default 4 MiB would refuse a page of large objects; etcd bounds each value (1.5 MiB).
      grpcOptions: { 'grpc.max_receive_message_length': -1 },
    });
    this.prefix = Buffer.from(options.prefix ?? '', 'utf8');
    this.watchBufferLimit = options.watchBufferLimit ?? 1_000;
    const interval = options.compactInterval ?? 300_000;
    const keep = Math.max(1, options.keepRevisions ?? 10_000);
    if (interval > 0) {
      this.compactTimer = setInterval(() => {
        void this.compactOld(keep).catch(() => undefined); // etcd unreachable: try next time
      }, interval);
      this.compactTimer.unref();
    }
  }

  private async compactOld(keep: number): Promise<void> {
    const target = (await this.currentRevision()) - keep;
    if (target > this.knownCompacted) await this.compact(target);
  }

  async currentRevision(): Promise<number> {
    // A range over a key that never exists: the cheapest request that returns the header.
    const res = await this.call(() => this.client.kv.range({ key: Buffer.from([0]), count_only: true }));
    return Number(res.header.revision);
  }

  /**
   * etcd reports its compaction point only through HashKV, which etcd3's bundled
   * proto lacks, so find it as the oldest revision a range can still read: a
   * binary search of about log2(revision) cheap count-only requests, made only
   * when a revision was refused or a caller asks.
   */
  async compactedRevision(): Promise<number> {
    let readable = await this.currentRevision();
    let lo = this.knownCompacted; // every revision below this is known to be gone
    if (await this.readableAt(Math.max(lo, 1))) return lo <= 1 ? 0 : lo;
    while (readable - lo > 1) {
      const mid = Math.floor((lo + readable) / 2);
      if (await this.readableAt(mid)) readable = mid;
      else lo = mid;
    }
    this.knownCompacted = readable;
    return readable;
  }

  private async readableAt(revision: number): Promise<boolean> {
    try {
      await this.client.kv.range({ key: Buffer.from([0]), count_only: true, revision });
      return true;
    } catch (error) {
      if (messageOf(error).includes('required revision has been compacted')) return false;
      throw new StorageUnavailableError(`etcd request failed: ${messageOf(error)}`, { cause: error });
    }
  }

  async get(key: string): Promise<{ kv: KeyValue | undefined; revision: number }> {
    const res = await this.call(() => this.client.kv.range({ key: this.keyOf(key) }));
    const found = res.kvs[0];
    return { kv: found ? this.kvOf(found) : undefined, revision: Number(res.header.revision) };
  }

  /**
   * One range per page of LIST_PAGE keys, all at the revision of the first, so a
   * large list is one consistent snapshot without one huge gRPC message.
   */
  async list(prefix: string, options: ListOptions = {}): Promise<ListResult> {
    const full = this.keyOf(prefix);
    const end = rangeEnd(full);
    let start = full;
    if (options.startAfter !== undefined) {
      const after = Buffer.concat([this.keyOf(options.startAfter), Buffer.from([0])]);
      if (Buffer.compare(after, start) > 0) start = after;
    }
    const limit = options.limit && options.limit > 0 ? options.limit : Infinity;
    let revision = options.revision && options.revision > 0 ? options.revision : 0;
    const kvs: KeyValue[] = [];
    for (;;) {
      const pageSize = Math.min(LIST_PAGE, limit - kvs.length);
      const res = await this.call(
        () => this.client.kv.range({ key: start, range_end: end, limit: pageSize, revision }),
        revision,
      );
      if (revision === 0) revision = Number(res.header.revision);
      for (const kv of res.kvs) kvs.push(this.kvOf(kv));
      const last = res.kvs[res.kvs.length - 1];
      if (!res.more || !last) return { kvs, revision, more: false };
      if (kvs.length >= limit) return { kvs, revision, more: true };
      start = Buffer.concat([last.key, Buffer.from([0])]);
    }
  }

  async create(key: string, value: string): Promise<KeyValue> {
    const k = this.keyOf(key);
    const res = await this.txn(
      [{ key: k, target: 'Create', result: 'Equal', create_revision: 0 }],
      [{ request_put: { key: k, value: Buffer.from(value, 'utf8') } }],
      k,
    );
    if (!res.succeeded) throw new KeyExistsError(key);
    const revision = Number(res.header.revision);
    return { key, value, createRevision: revision, modRevision: revision };
  }

  async update(key: string, value: string, expectedModRevision: number): Promise<KeyValue> {
    const k = this.keyOf(key);
    const res = await this.txn(
      [
        { key: k, target: 'Version', result: 'Greater', version: 0 },
        { key: k, target: 'Mod', result: 'Equal', mod_revision: expectedModRevision },
      ],
      [{ request_put: { key: k, value: Buffer.from(value, 'utf8'), prev_kv: true } }],
      k,
    );
    if (!res.succeeded) throw this.casFailure(key, expectedModRevision, res);
    const prev = res.responses[0]?.response_put?.prev_kv;
    const revision = Number(res.header.revision);
    return { key, value, createRevision: prev ? Number(prev.create_revision) : revision, modRevision: revision };
  }

  async delete(key: string, expectedModRevision?: number): Promise<KeyValue> {
    const k = this.keyOf(key);
    const compare: Parameters<EtcdStorage['txn']>[0] = [{ key: k, target: 'Version', result: 'Greater', version: 0 }];
    if (expectedModRevision !== undefined) {
      compare.push({ key: k, target: 'Mod', result: 'Equal', mod_revision: expectedModRevision });
    }
    const res = await this.txn(compare, [{ request_delete_range: { key: k, prev_kv: true } }], k);
    if (!res.succeeded) throw this.casFailure(key, expectedModRevision ?? 0, res);
    const prev = res.responses[0]?.response_delete_range?.prev_kvs[0];
    if (!prev) throw new KeyNotFoundError(key); // deleted by someone else between compare and apply: impossible in one txn
    return { ...this.kvOf(prev), modRevision: Number(res.header.revision) };
  }

  watch(prefix: string, afterRevision: number): WatchStream {
    if (this.closed) {
      const stream = new EventQueue();
      stream.fail(new StorageClosedError());
      return stream;
    }
    const start = this.keyOf(prefix);
    const watch = new EtcdWatch(
      this.client,
      {
        start,
        end: rangeEnd(start),
        prefixLength: this.prefix.length,
        afterRevision,
        bufferLimit: this.watchBufferLimit,
      },
      () => this.watches.delete(watch),
    );
    this.watches.add(watch);
    return watch.queue;
  }

  async compact(revision: number): Promise<void> {
    try {
      await this.call(() => this.client.kv.compact({ revision, physical: true }));
      this.knownCompacted = Math.max(this.knownCompacted, revision);
    } catch (error) {
      // Already compacted at or past this revision: nothing left to do.
      if (error instanceof CompactedError) return;
      throw error;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.compactTimer);
    for (const watch of [...this.watches]) watch.queue.stop();
    this.client.close();
  }

  private keyOf(key: string): Buffer {
    return Buffer.concat([this.prefix, Buffer.from(key, 'utf8')]);
  }

  private kvOf(kv: IKeyValue): KeyValue {
    return toKeyValue(kv, this.prefix.length);
  }

  /** A failed CAS: the failure branch read the key; absent → not found, else conflict. */
  private casFailure(key: string, expected: number, res: ITxnResponse): StorageError {
    const current = res.responses[0]?.response_range?.kvs[0];
    if (!current) return new KeyNotFoundError(key);
    return new RevisionConflictError(key, expected, this.kvOf(current));
  }

  private txn(
    compare: NonNullable<Parameters<Etcd3['kv']['txn']>[0]['compare']>,
    success: IRequestOp[],
    key: Buffer,
  ): Promise<ITxnResponse> {
    return this.call(() => this.client.kv.txn({ compare, success, failure: [{ request_range: { key } }] }));
  }

  /** Runs one etcd request, translating etcd's errors into the storage error classes. */
  private async call<T>(fn: () => Promise<T>, requestedRevision = 0): Promise<T> {
    if (this.closed) throw new StorageClosedError();
    try {
      return await fn();
    } catch (error) {
      const message = messageOf(error);
      if (message.includes('required revision has been compacted')) {
        const compacted = await this.compactedRevision().catch(() => requestedRevision + 1);
        throw new CompactedError(requestedRevision, compacted, { cause: error });
      }
      if (message.includes('required revision is a future revision')) {
        const current = await this.currentRevision().catch(() => requestedRevision - 1);
        throw new FutureRevisionError(requestedRevision, current, { cause: error });
      }
      if (this.closed) throw new StorageClosedError({ cause: error });
      throw new StorageUnavailableError(`etcd request failed: ${message}`, { cause: error });
    }
  }
}

export async function openEtcdStorage(options: EtcdStorageOptions): Promise<EtcdStorage> {
  return new EtcdStorage(options);
}
