// One etcd watch behind a WatchStream. The stream is driven through etcd3's raw
// gRPC watch client rather than its Watcher class, because the Watcher resumes
// after a disconnect from the revision in the last response header, which can
// be ahead of the last event it delivered (skipping events). Here the resume
// point is always the revision of the last event handed to our queue, so after
// any number of reconnects (member killed, network blip) every event arrives
// exactly once and in order; compaction of that point surfaces as CompactedError.
//
// A slow consumer is handled by backpressure rather than by dropping it: once
// bufferLimit events wait unread, the gRPC stream is paused (HTTP/2 flow
// control then holds etcd back, which parks the watcher in its "victim" set and
// catches it up later) and resumed when the consumer has drained the buffer.
import type { Etcd3, IWatchResponse } from 'etcd3';
import type { Duplex } from 'node:stream';
import { CompactedError, StorageUnavailableError } from '../errors.js';
import { EventQueue } from '../event-queue.js';
import type { KeyValue, StorageEvent } from '../interface.js';

// etcd3 types the stream narrowly; it is grpc-js's ClientDuplexStream, a Node Duplex.
type GrpcWatchStream = Awaited<ReturnType<Etcd3['watchClient']['watch']>> &
  Pick<Duplex, 'pause' | 'resume' | 'isPaused'>;

export interface EtcdWatchOptions {
  /** etcd key range watched (namespace prefix applied). */
  start: Buffer;
  end: Buffer;
  /** Length of the namespace prefix stripped from returned keys. */
  prefixLength: number;
  afterRevision: number;
  /** Unread events at which the stream is paused until the consumer drains them. */
  bufferLimit: number;
}

const MAX_BACKOFF_MS = 2_000;

export function toKeyValue(kv: { key: Buffer; value: Buffer; create_revision: string; mod_revision: string }, prefixLength: number): KeyValue {
  return {
    key: kv.key.subarray(prefixLength).toString('utf8'),
    value: kv.value.toString('utf8'),
    createRevision: Number(kv.create_revision),
    modRevision: Number(kv.mod_revision),
  };
}

export class EtcdWatch {
  readonly queue: EventQueue;
  /** Revision of the last event enqueued; the resume point. */
  private lastRevision: number;
  private stream: GrpcWatchStream | undefined;
  private backoffMs = 50;
  private reconnectTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly client: Etcd3,
    private readonly options: EtcdWatchOptions,
    onEnd: () => void,
  ) {
    this.lastRevision = options.afterRevision;
    this.queue = new EventQueue({
      pull: () => {
        if (this.stream?.isPaused()) this.stream.resume();
      },
      onEnd: () => {
        this.teardown();
        onEnd();
      },
    });
    void this.connect();
  }

  private async connect(): Promise<void> {
    if (this.queue.state !== 'open') return;
    let stream: GrpcWatchStream;
    try {
      stream = (await this.client.watchClient.watch()) as GrpcWatchStream;
    } catch (error) {
      this.scheduleReconnect(error);
      return;
    }
    if (this.queue.state !== 'open') {
      stream.cancel();
      return;
    }
    this.stream = stream;
    stream.on('data', (res: IWatchResponse) => this.onResponse(stream, res));
    stream.on('error', (error: unknown) => this.onBroken(stream, error));
    stream.on('end', () => this.onBroken(stream, new Error('watch stream ended')));
    stream.write({
      create_request: {
        key: this.options.start,
        range_end: this.options.end,
        // One revision early (and that event dropped as already seen): etcd then
        // refuses exactly when lastRevision itself is compacted, the same rule as
        // for reads. Starting at lastRevision + 1 = the compacted revision would
        // be accepted, yet a delete at that revision is compacted away.
        start_revision: Math.max(this.lastRevision, 1),
        prev_kv: true,
      },
    });
  }

  private onResponse(stream: GrpcWatchStream, res: IWatchResponse): void {
    if (stream !== this.stream || this.queue.state !== 'open') return;
    const compacted = Number(res.compact_revision);
    if (compacted > 0) {
      this.queue.fail(new CompactedError(this.lastRevision, compacted));
      return;
    }
    if (res.canceled) {
      this.queue.fail(new StorageUnavailableError(`etcd canceled the watch: ${res.cancel_reason || 'no reason'}`));
      return;
    }
    this.backoffMs = 50;
    for (const ev of res.events) {
      const revision = Number(ev.kv.mod_revision);
      if (revision <= this.lastRevision) continue;
      this.queue.push(this.toEvent(ev, revision));
      this.lastRevision = revision;
    }
    if (this.queue.length >= this.options.bufferLimit) stream.pause();
  }

  private toEvent(ev: IWatchResponse['events'][number], revision: number): StorageEvent {
    const prefixLength = this.options.prefixLength;
    const prevKv = ev.prev_kv ? toKeyValue(ev.prev_kv, prefixLength) : undefined;
    if (ev.type === 'Delete' || (ev.type as string) === 'DELETE') {
      // etcd's delete event has an empty value; ours carries the last value.
      const key = ev.kv.key.subarray(prefixLength).toString('utf8');
      const kv: KeyValue = {
        key,
        value: prevKv?.value ?? '',
        createRevision: prevKv?.createRevision ?? 0,
        modRevision: revision,
      };
      return prevKv ? { type: 'delete', kv, prevKv, revision } : { type: 'delete', kv, revision };
    }
    const kv = toKeyValue(ev.kv, prefixLength);
    return prevKv ? { type: 'put', kv, prevKv, revision } : { type: 'put', kv, revision };
  }

  private onBroken(stream: GrpcWatchStream, error: unknown): void {
    if (stream !== this.stream) return;
    this.stream = undefined;
    stream.cancel();
    this.scheduleReconnect(error);
  }

  private scheduleReconnect(_error: unknown): void {
    if (this.queue.state !== 'open' || this.reconnectTimer) return;
    const delay = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, MAX_BACKOFF_MS);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      void this.connect();
    }, delay);
  }

  private teardown(): void {
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    const stream = this.stream;
    this.stream = undefined;
    // Its listeners stay attached but ignore a stream that is no longer current.
    stream?.cancel();
  }
}
