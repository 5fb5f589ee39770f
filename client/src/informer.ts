// A shared informer: one reflector, one indexed cache, many event handlers.
// Handlers run on the event loop right after the cache changed, so a handler
// always sees a cache that already contains the change.
import { objectKey, type KubeObject, type Logger, type ResourceInfo } from '@wharf/api';
import type { ApiClient } from './interface.js';
import { Reflector, type ReflectorOptions, type ReflectorStore } from './reflector.js';
import { Indexer, type IndexFunc } from './store.js';

/**
 * A deletion the informer inferred from a relist rather than saw as an event:
 * the object is the last state the cache knew, which may be stale.
 */
export class DeletedFinalStateUnknown<T extends KubeObject = KubeObject> {
  constructor(
    readonly key: string,
    readonly obj: T,
  ) {}
}

export function unwrapTombstone<T extends KubeObject>(obj: T | DeletedFinalStateUnknown<T>): T {
  return obj instanceof DeletedFinalStateUnknown ? obj.obj : obj;
}

export interface EventHandlers<T extends KubeObject> {
  add?(obj: T): void;
  update?(oldObj: T, newObj: T): void;
  delete?(obj: T | DeletedFinalStateUnknown<T>): void;
}

export class SharedInformer<T extends KubeObject = KubeObject> implements ReflectorStore<T> {
  readonly store = new Indexer<T>();
  private readonly handlers: Array<EventHandlers<T>> = [];
  private synced = false;
  private readonly syncWaiters: Array<() => void> = [];
  private started = false;
  readonly reflector: Reflector<T>;

  constructor(
    client: ApiClient,
    readonly resource: ResourceInfo,
    private readonly log: Logger,
    options: ReflectorOptions = {},
  ) {
    this.reflector = new Reflector<T>(client, resource, this, log, options);
  }

  addIndexers(indexers: Record<string, IndexFunc<T>>): void {
    this.store.addIndexers(indexers);
  }

  /** Registers handlers; if the cache already holds objects they are replayed as adds. */
  addEventHandler(handlers: EventHandlers<T>): void {
    this.handlers.push(handlers);
    if (handlers.add) for (const obj of this.store.list()) this.call(() => handlers.add!(obj));
  }

  hasSynced(): boolean {
    return this.synced;
  }

  waitForSync(signal?: AbortSignal): Promise<boolean> {
    if (this.synced) return Promise.resolve(true);
    if (signal?.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const onAbort = () => resolve(false);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.syncWaiters.push(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve(true);
      });
    });
  }

  /** Runs the reflector until the signal aborts. Starting twice is a no-op. */
  run(signal: AbortSignal): Promise<void> {
    if (this.started) return Promise.resolve();
    this.started = true;
    return this.reflector.run(signal);
  }

  private call(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.log.error('event handler failed', { resource: this.resource.plural, err });
    }
  }

  replace(items: T[], _resourceVersion: string): void {
    const seen = new Set<string>();
    for (const obj of items) {
      const key = objectKey(obj);
      seen.add(key);
      const old = this.store.get(key);
      if (old && old.metadata.resourceVersion === obj.metadata.resourceVersion) continue;
      if (old) this.update(obj);
      else this.add(obj);
    }
    for (const key of this.store.keys()) {
      if (seen.has(key)) continue;
      const old = this.store.remove(key)!;
      const tomb = new DeletedFinalStateUnknown(key, old);
      for (const h of this.handlers) if (h.delete) this.call(() => h.delete!(tomb));
    }
    if (!this.synced) {
      this.synced = true;
      for (const w of this.syncWaiters.splice(0)) w();
    }
  }

  add(obj: T): void {
    const old = this.store.set(obj);
    if (old) {
      for (const h of this.handlers) if (h.update) this.call(() => h.update!(old, obj));
    } else {
      for (const h of this.handlers) if (h.add) this.call(() => h.add!(obj));
    }
  }

  update(obj: T): void {
    this.add(obj);
  }

  delete(obj: T): void {
    const old = this.store.remove(objectKey(obj));
    const last = obj.metadata.resourceVersion ? obj : (old ?? obj);
    for (const h of this.handlers) if (h.delete) this.call(() => h.delete!(last));
  }
}
