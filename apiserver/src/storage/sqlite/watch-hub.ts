// One fan-out per SQLite store. Every write happens in this process, so the
// store publishes each committed event here synchronously, in revision order.
// A new watcher first catches up from the table, a page at a time and only as
// fast as its consumer reads; when a page comes back short it has reached the
// head of the log and, in the same synchronous step (no write can interleave),
// joins the live set. A live watcher whose buffer fills is failed with
// WatchTooSlowError so memory stays bounded; it resumes from its last revision.
import { CompactedError, WatchTooSlowError } from '../errors.js';
import { EventQueue } from '../event-queue.js';
import type { StorageEvent, WatchStream } from '../interface.js';

export interface WatchSource {
  /** Up to `limit` events under prefix with revision > afterRevision, in order. */
  readAfter(prefix: string, afterRevision: number, limit: number): StorageEvent[];
  currentRevision(): number;
  compactedRevision(): number;
}

interface HubWatcher {
  prefix: string;
  /** Revision of the last event enqueued (or skipped as already known). */
  cursor: number;
  queue: EventQueue;
}

export interface WatchHubOptions {
  /** Events a live watcher may have buffered before it is dropped. */
  bufferLimit: number;
  /** Rows read per catch-up step. */
  pageSize: number;
}

export class WatchHub {
  private readonly live = new Set<HubWatcher>();
  private readonly all = new Set<HubWatcher>();

  constructor(
    private readonly source: WatchSource,
    private readonly options: WatchHubOptions,
  ) {}

  /** Number of open watchers (for metrics). */
  get size(): number {
    return this.all.size;
  }

  watch(prefix: string, afterRevision: number): WatchStream {
    const watcher: HubWatcher = {
      prefix,
      cursor: afterRevision,
      queue: new EventQueue({
        pull: () => this.catchUp(watcher),
        onEnd: () => {
          this.live.delete(watcher);
          this.all.delete(watcher);
        },
      }),
    };
    this.all.add(watcher);
    this.checkCompacted(watcher);
    return watcher.queue;
  }

  publish(event: StorageEvent): void {
    for (const watcher of this.live) {
      if (event.revision <= watcher.cursor || !event.kv.key.startsWith(watcher.prefix)) continue;
      if (watcher.queue.length >= this.options.bufferLimit) {
        watcher.queue.fail(new WatchTooSlowError(watcher.cursor, watcher.queue.length));
        continue;
      }
      watcher.cursor = event.revision;
      watcher.queue.push(event);
    }
  }

  close(): void {
    for (const watcher of [...this.all]) watcher.queue.stop();
  }

  private catchUp(watcher: HubWatcher): void {
    if (this.live.has(watcher) || !this.checkCompacted(watcher)) return;
    const events = this.source.readAfter(watcher.prefix, watcher.cursor, this.options.pageSize);
    for (const event of events) {
      watcher.cursor = event.revision;
      watcher.queue.push(event);
    }
    if (events.length < this.options.pageSize) {
      watcher.cursor = Math.max(watcher.cursor, this.source.currentRevision());
      this.live.add(watcher);
    }
  }

  /**
   * A watch may start at the compacted revision or later, as a list may read
   * at it (list at R, then watch after R). Everything after it is in the table.
   */
  private checkCompacted(watcher: HubWatcher): boolean {
    const compacted = this.source.compactedRevision();
    if (watcher.cursor >= compacted) return true;
    watcher.queue.fail(new CompactedError(watcher.cursor, compacted));
    return false;
  }
}
