// Watches are served from the watch cache: one storage watch, fanned out to
// every client. An event's JSON line is built once and shared by all watchers
// that want it; each watcher's lines are gathered and flushed together every
// few milliseconds, so a burst of events leaves in one TLS record. A watcher
// that cannot keep up is dropped (its client resumes from its last
// resourceVersion or relists).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, GoneError, storagePrefix, type KubeObject, type ResourceInfo } from '@wharf/api';
import { parseCached, type CachedObject } from '../cache/cached-object.js';
import type { CacheEvent, CacheWatcherSink } from '../cache/resource-cache.js';
import { TERMINATE } from '../cache/watch-cache.js';
import type { RegistryContext } from '../registry/context.js';
import { fromStorageVersion, needsConversion } from '../registry/conversion.js';
import { matchesQuery, type ListQuery } from '../registry/lister.js';
import type { Negotiated } from './negotiate.js';

const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;
const BOOKMARK_INTERVAL_MS = 15_000;

const FLUSH_INTERVAL_MS = 5;
const dirty = new Set<Watcher>();
let flushTimer: NodeJS.Timeout | undefined;

function scheduleFlush(w: Watcher): void {
  dirty.add(w);
  flushTimer ??= setTimeout(flushAll, FLUSH_INTERVAL_MS);
}

function flushAll(): void {
  flushTimer = undefined;
  const batch = [...dirty];
  dirty.clear();
  for (const w of batch) w.flush();
}

export type RowRenderer = (objects: KubeObject[], withColumns: boolean) => unknown;

export interface WatchRequest {
  info: ResourceInfo;
  query: ListQuery;
  resourceVersion: string | undefined;
  allowBookmarks: boolean;
  timeoutSeconds: number | undefined;
  negotiated: Negotiated;
  /** Renders a one-row Table for table watches. */
  renderRows: RowRenderer;
  onClose?: () => void;
}

type WatchType = 'ADDED' | 'MODIFIED' | 'DELETED';

export class Watcher implements CacheWatcherSink {
  private sentColumns = false;
  private closed = false;
  private pending = '';
  lastRv = 0;
  events = 0;

  constructor(
    private readonly res: ServerResponse,
    private readonly w: WatchRequest,
  ) {}

  private objectJson(obj: CachedObject, memo: Map<string, string> | undefined): string {
    if (!needsConversion(this.w.info)) return obj.json;
    const key = `conv:${this.w.info.version}`;
    const cached = memo?.get(key);
    if (cached) return cached;
    const json = JSON.stringify(fromStorageVersion(this.w.info, parseCached(obj)));
    memo?.set(key, json);
    return json;
  }

  /** The wire line for one event, memoized on the event when it can be shared. */
  line(type: WatchType, obj: CachedObject, memo?: Map<string, string>): string {
    if (this.w.negotiated.table) {
      const withColumns = !this.sentColumns;
      this.sentColumns = true;
      const key = `table:${type}:${withColumns}`;
      const cached = memo?.get(key);
      if (cached) return cached;
      const row = this.w.renderRows([fromStorageVersion(this.w.info, parseCached(obj))], withColumns);
      const line = `{"type":"${type}","object":${JSON.stringify(row)}}\n`;
      memo?.set(key, line);
      return line;
    }
    const key = `json:${type}`;
    const cached = memo?.get(key);
    if (cached) return cached;
    const line = `{"type":"${type}","object":${this.objectJson(obj, memo)}}\n`;
    memo?.set(key, line);
    return line;
  }

  write(chunk: string): boolean {
    if (this.closed) return false;
    if (this.res.writableLength > MAX_BUFFERED_BYTES) {
      this.close();
      return false;
    }
    // Lines are gathered and written by one flush for all watchers, a few
    // milliseconds later: under load many events leave in one TLS record per
    // watcher instead of one record each, so fan-out cost stops growing with
    // the event rate.
    this.pending += chunk;
    scheduleFlush(this);
    return true;
  }

  flush(): void {
    if (this.closed || this.pending === '') return;
    const data = this.pending;
    this.pending = '';
    this.res.write(data);
  }

  deliver(event: CacheEvent): boolean {
    if (event === TERMINATE) {
      this.close();
      return false;
    }
    if (this.closed) return false;
    const q = this.w.query;
    const now = matchesQuery(event.object, q);
    const before = event.prev !== undefined && matchesQuery(event.prev, q);
    let type: WatchType | undefined;
    if (event.type === 'DELETED') type = before || now ? 'DELETED' : undefined;
    else if (event.type === 'ADDED') type = now ? 'ADDED' : undefined;
    else if (now && before) type = 'MODIFIED';
    else if (now) type = 'ADDED';
    else if (before) type = 'DELETED';
    this.lastRv = event.rv;
    if (!type) return true;
    this.events++;
    // Shared memo only when this watcher's line equals everyone's (not the first table row).
    const shareable = !this.w.negotiated.table || this.sentColumns;
    return this.write(this.line(type, event.object, shareable ? event.memo : undefined));
  }

  bookmark(rv: number): void {
    if (rv <= this.lastRv) return;
    this.lastRv = rv;
    const { info } = this.w;
    const apiVersion = info.group ? `${info.group}/${info.version}` : info.version;
    this.write(`{"type":"BOOKMARK","object":{"kind":"${info.kind}","apiVersion":"${apiVersion}","metadata":{"resourceVersion":"${rv}"}}}\n`);
  }

  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    this.res.end();
    this.w.onClose?.();
  }

  get isClosed(): boolean {
    return this.closed;
  }
}

export async function serveWatch(ctx: RegistryContext, req: IncomingMessage, res: ServerResponse, w: WatchRequest): Promise<void> {
  const cache = ctx.cache.resource(storagePrefix(w.info));
  let initial: CachedObject[] | undefined;
  let replay: CacheEvent[] | undefined;
  const rv = w.resourceVersion;
  if (rv === undefined || rv === '' || rv === '0') {
    if (rv === '0') await ctx.cache.start();
    else await ctx.cache.sync();
  } else {
    if (!/^\d+$/.test(rv)) throw new ApiError(400, 'BadRequest', `Invalid value: "${rv}": resourceVersion must be a non-negative integer`);
    try {
      await ctx.cache.waitForRevision(Number(rv));
    } catch {
      throw new ApiError(504, 'Timeout', `Too large resource version: ${rv}, current: ${ctx.cache.revision}`);
    }
  }

  res.statusCode = 200;
  res.setHeader('Content-Type', 'application/json');
  res.setHeader('Cache-Control', 'no-cache, private');
  res.setHeader('Transfer-Encoding', 'chunked');
  // kubectl blocks until it sees the headers of a watch; send them now.
  res.flushHeaders();

  const watcher = new Watcher(res, w);
  // From here to the registration below nothing awaits, so no event can slip
  // between the snapshot and the live stream.
  if (rv === undefined || rv === '' || rv === '0') {
    initial = cache.list().filter((o) => matchesQuery(o, w.query));
  } else {
    replay = cache.eventsSince(Number(rv));
    if (!replay) {
      const gone = new GoneError(`too old resource version: ${rv} (${cache.oldestRv})`).toStatus();
      res.end(`{"type":"ERROR","object":${JSON.stringify(gone)}}\n`);
      return;
    }
  }
  cache.watchers.add(watcher);
  watcher.lastRv = ctx.cache.revision;
  for (const obj of initial ?? []) watcher.write(watcher.line('ADDED', obj));
  for (const ev of replay ?? []) watcher.deliver(ev);

  const timers: NodeJS.Timeout[] = [];
  const finish = () => {
    cache.watchers.delete(watcher);
    for (const t of timers) clearTimeout(t);
    watcher.close();
  };
  const timeout = (w.timeoutSeconds ?? 1800 + Math.random() * 1800) * 1000;
  timers.push(setTimeout(() => {
    if (w.allowBookmarks) watcher.bookmark(ctx.cache.revision);
    finish();
  }, timeout));
  if (w.allowBookmarks) {
    const tick = setInterval(() => watcher.bookmark(ctx.cache.revision), BOOKMARK_INTERVAL_MS);
    timers.push(tick);
  }
  req.on('close', finish);
  res.on('close', finish);
  await new Promise<void>((resolve) => res.once('close', () => resolve()));
}
