// The cache of one resource (one storage prefix): current objects, a window of
// recent events so watches can resume from a past resourceVersion, and the
// watchers to fan each event out to.
import type { CachedObject } from './cached-object.js';

export type CacheEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface CacheEvent {
  type: CacheEventType;
  rv: number;
  object: CachedObject;
  prev: CachedObject | undefined;
  /** Memoized encodings of this event (e.g. the JSON watch line), shared by all watchers. */
  memo: Map<string, string>;
}

export interface CacheWatcherSink {
  /** Delivers one event; returns false when the watcher is gone and should be dropped. */
  deliver(event: CacheEvent): boolean;
}

export class ResourceCache {
  readonly items = new Map<string, CachedObject>();
  private sorted: CachedObject[] | undefined;
  private readonly events: CacheEvent[] = [];
  private head = 0;
  /** Every event with rv > oldestRv is in the window. */
  oldestRv: number;
  readonly watchers = new Set<CacheWatcherSink>();

  constructor(
    readonly prefix: string,
    startRv: number,
    private readonly capacity: number,
  ) {
    this.oldestRv = startRv;
  }

  /** Seeds an object from the initial list (no event). */
  seed(obj: CachedObject): void {
    this.items.set(obj.key, obj);
    this.sorted = undefined;
  }

  apply(type: 'put' | 'delete', obj: CachedObject, rv: number): CacheEvent {
    const prev = this.items.get(obj.key);
    let eventType: CacheEventType;
    if (type === 'delete') {
      this.items.delete(obj.key);
      this.sorted = undefined;
      eventType = 'DELETED';
    } else {
      this.items.set(obj.key, obj);
      if (!prev) this.sorted = undefined;
      else this.replaceSorted(obj);
      eventType = prev ? 'MODIFIED' : 'ADDED';
    }
    const event: CacheEvent = { type: eventType, rv, object: obj, prev, memo: new Map() };
    this.push(event);
    for (const w of this.watchers) {
      if (!w.deliver(event)) this.watchers.delete(w);
    }
    return event;
  }

  /** A modification keeps the key order: swap the entry in the sorted view in place. */
  private replaceSorted(obj: CachedObject): void {
    const all = this.sorted;
    if (!all) return;
    let lo = 0;
    let hi = all.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (all[mid]!.key < obj.key) lo = mid + 1;
      else hi = mid;
    }
    if (all[lo]?.key === obj.key) all[lo] = obj;
    else this.sorted = undefined;
  }

  private push(event: CacheEvent): void {
    if (this.events.length - this.head >= this.capacity) {
      const evicted = this.events[this.head]!;
      this.oldestRv = evicted.rv;
      this.head++;
      // Compact the backing array now and then instead of shifting per event.
      if (this.head > this.capacity) {
        this.events.splice(0, this.head);
        this.head = 0;
      }
    }
    this.events.push(event);
  }

  /** Events with rv > afterRv, oldest first; undefined when the window no longer reaches back that far. */
  eventsSince(afterRv: number): CacheEvent[] | undefined {
    if (afterRv < this.oldestRv) return undefined;
    // Binary search: events are in rv order.
    let lo = this.head;
    let hi = this.events.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.events[mid]!.rv <= afterRv) lo = mid + 1;
      else hi = mid;
    }
    return this.events.slice(lo);
  }

  /** Current objects ordered by key, as storage lists them. */
  list(): CachedObject[] {
    if (!this.sorted) {
      this.sorted = [...this.items.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    }
    return this.sorted;
  }

  /** Objects in a namespace (keys are <prefix><ns>/<name>, so a prefix range). */
  listPrefix(keyPrefix: string): CachedObject[] {
    const all = this.list();
    let lo = 0;
    let hi = all.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (all[mid]!.key < keyPrefix) lo = mid + 1;
      else hi = mid;
    }
    const out: CachedObject[] = [];
    for (let i = lo; i < all.length && all[i]!.key.startsWith(keyPrefix); i++) out.push(all[i]!);
    return out;
  }

  reset(startRv: number): void {
    this.items.clear();
    this.sorted = undefined;
    this.events.length = 0;
    this.head = 0;
    this.oldestRv = startRv;
  }
}
