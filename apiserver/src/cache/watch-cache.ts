// One storage watch feeds the caches of every resource. Because every write in
// the store lands under /registry/, the cache's revision advances with every
// write, which is what lets a "consistent" list wait until the cache has caught
// up with the store and then be served from memory (as Kubernetes ≥1.31 does).
//
// On start the cache lists the store as of a revision some way back and then
// watches from there, so its event window reaches back across an apiserver
// restart and clients resume their watches exactly instead of relisting.
import { RESOURCES, storagePrefix, type KubeObject, type Logger } from '@wharf/api';
import type { KeyValue, Storage, StorageEvent, WatchStream } from '../storage/interface.js';
import { stampResourceVersion, toCachedObject, type CachedObject, type FieldsOf } from './cached-object.js';
import { ResourceCache } from './resource-cache.js';

export interface WatchCacheOptions {
  /** Events kept per resource for watch resumption. */
  eventWindow: number;
  /** How many revisions of history to load on start. */
  historyRevisions: number;
  fieldsOf: (prefix: string) => FieldsOf;
  log: Logger;
}

const ROOT = '/registry/';

/** What the registry told the cache about a write it was making: enough to cache it without parsing. */
interface ExpectedWrite {
  value: string;
  namespace: string | undefined;
  name: string;
  labels: Record<string, string>;
  fields: Record<string, string>;
}

/** Announced writes whose events never came (a cache restart) are dropped wholesale past this many. */
const MAX_EXPECTED = 4096;

function prefixOf(key: string): string {
  // /registry/<group>/<plural>/… → /registry/<group>/<plural>/
  let slashes = 0;
  for (let i = 0; i < key.length; i++) {
    if (key.charCodeAt(i) === 47 && ++slashes === 4) return key.slice(0, i + 1);
  }
  return key;
}

export class WatchCache {
  private readonly caches = new Map<string, ResourceCache>();
  private revisionValue = 0;
  private waiters: Array<{ rv: number; resolve: () => void }> = [];
  private stream: WatchStream | undefined;
  private stopped = false;
  private readyPromise: Promise<void> | undefined;
  private readonly expected = new Map<string, ExpectedWrite>();

  constructor(
    private readonly storage: Storage,
    private readonly options: WatchCacheOptions,
  ) {
    for (const r of RESOURCES) if (!r.virtual) this.resource(storagePrefix(r));
  }

  get revision(): number {
    return this.revisionValue;
  }

  resource(prefix: string): ResourceCache {
    let c = this.caches.get(prefix);
    if (!c) {
      c = new ResourceCache(prefix, this.revisionValue, this.options.eventWindow);
      this.caches.set(prefix, c);
    }
    return c;
  }

  start(): Promise<void> {
    this.readyPromise ??= this.init();
    return this.readyPromise;
  }

  private async init(): Promise<void> {
    const current = await this.storage.currentRevision();
    const compacted = await this.storage.compactedRevision();
    const from = Math.max(compacted, current - this.options.historyRevisions, 0);
    await this.load(from);
    this.run(from);
  }

  /**
   * The registry is about to store `value` (the encoding of `obj`) under
   * `key`. When the event for exactly that text arrives, the cache takes
   * name, labels and selectable fields from here instead of parsing the text.
   */
  expectWrite(key: string, value: string, obj: KubeObject): void {
    if (this.expected.size >= MAX_EXPECTED) this.expected.clear();
    const meta = obj.metadata;
    this.expected.set(key, {
      value,
      namespace: meta.namespace,
      name: meta.name ?? '',
      labels: { ...(meta.labels ?? {}) },
      fields: this.options.fieldsOf(prefixOf(key))(obj),
    });
  }

  /** The announced write failed. */
  forgetWrite(key: string, value: string): void {
    if (this.expected.get(key)?.value === value) this.expected.delete(key);
  }

  private fromExpected(ev: StorageEvent): CachedObject | undefined {
    if (ev.type !== 'put') return undefined;
    const e = this.expected.get(ev.kv.key);
    if (e === undefined || e.value !== ev.kv.value) return undefined;
    this.expected.delete(ev.kv.key);
    const json = stampResourceVersion(ev.kv.value, ev.kv.modRevision);
    if (json === undefined) return undefined;
    return { key: ev.kv.key, namespace: e.namespace, name: e.name, rv: ev.kv.modRevision, json, labels: e.labels, fields: e.fields };
  }

  private async load(atRevision: number): Promise<void> {
    this.expected.clear();
    for (const c of this.caches.values()) c.reset(atRevision);
    let startAfter: string | undefined;
    for (;;) {
      const page = await this.storage.list(ROOT, { limit: 5000, revision: atRevision, ...(startAfter ? { startAfter } : {}) });
      for (const kv of page.kvs) this.seed(kv);
      if (!page.more || page.kvs.length === 0) break;
      startAfter = page.kvs[page.kvs.length - 1]!.key;
    }
    this.revisionValue = atRevision;
  }

  private seed(kv: KeyValue): void {
    const prefix = prefixOf(kv.key);
    try {
      this.resource(prefix).seed(toCachedObject(kv, this.options.fieldsOf(prefix)));
    } catch (err) {
      this.options.log.error('skipping undecodable stored object', { key: kv.key, err });
    }
  }

  private run(from: number): void {
    const stream = this.storage.watch(ROOT, from);
    this.stream = stream;
    void (async () => {
      try {
        for await (const ev of stream) this.ingest(ev);
        if (!this.stopped) throw new Error('storage watch ended');
      } catch (err) {
        if (this.stopped) return;
        // The store compacted past us or the connection broke: rebuild from a
        // fresh list. Watchers are dropped; clients re-watch and resume from
        // the new window or relist on 410.
        this.options.log.warn('watch cache restarting', { err });
        for (const c of this.caches.values()) for (const w of [...c.watchers]) { c.watchers.delete(w); w.deliver(TERMINATE); }
        setTimeout(() => {
          if (this.stopped) return;
          this.readyPromise = (async () => {
            const current = await this.storage.currentRevision();
            await this.load(current);
            this.run(current);
          })();
          this.readyPromise.catch((e: unknown) => this.options.log.error('watch cache restart failed', { err: e }));
        }, 200);
      }
    })();
  }

  private ingest(ev: StorageEvent): void {
    const prefix = prefixOf(ev.kv.key);
    const cache = this.resource(prefix);
    try {
      const obj = this.fromExpected(ev) ?? toCachedObject(ev.kv, this.options.fieldsOf(prefix));
      cache.apply(ev.type, obj, ev.revision);
    } catch (err) {
      this.options.log.error('skipping undecodable stored object', { key: ev.kv.key, err });
    }
    this.revisionValue = ev.revision;
    if (this.waiters.length > 0) {
      const ready = this.waiters.filter((w) => w.rv <= ev.revision);
      if (ready.length > 0) {
        this.waiters = this.waiters.filter((w) => w.rv > ev.revision);
        for (const w of ready) w.resolve();
      }
    }
  }

  /** Resolves once the cache has seen revision rv (or rejects after timeoutMs). */
  async waitForRevision(rv: number, timeoutMs = 3000): Promise<void> {
    await this.start();
    if (this.revisionValue >= rv) return;
    await new Promise<void>((resolve, reject) => {
      const waiter = { rv, resolve: () => { clearTimeout(timer); resolve(); } };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`watch cache did not reach revision ${rv} within ${timeoutMs} ms (at ${this.revisionValue})`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** Waits until everything written to the store so far is in the cache. */
  async sync(): Promise<number> {
    const current = await this.storage.currentRevision();
    await this.waitForRevision(current);
    return Math.max(current, this.revisionValue);
  }

  stop(): void {
    this.stopped = true;
    this.stream?.stop();
    for (const c of this.caches.values()) for (const w of [...c.watchers]) { c.watchers.delete(w); w.deliver(TERMINATE); }
  }
}

/** A sentinel event telling a watcher that the cache is going away. */
export const TERMINATE = { type: 'DELETED', rv: -1, object: undefined, prev: undefined, memo: new Map() } as unknown as import('./resource-cache.js').CacheEvent;

