// The reflector keeps a store equal to the server: list, then watch from the
// list's resourceVersion; after a broken watch resume from the last version
// seen; on 410 Gone (that version was compacted away) list again.
import { ApiError, isGone, type KubeObject, type Logger, type ResourceInfo } from '@wharf/api';
import type { ApiClient } from './interface.js';

/** What a reflector feeds: a whole new list, or one change. */
export interface ReflectorStore<T extends KubeObject> {
  replace(items: T[], resourceVersion: string): void;
  add(obj: T): void;
  update(obj: T): void;
  delete(obj: T): void;
}

export interface ReflectorOptions {
  namespace?: string | undefined;
  labelSelector?: string | undefined;
  fieldSelector?: string | undefined;
  /** First retry delay after a failure; doubles up to maxBackoffMs. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** Page size for the initial list; 0 lists everything at once. */
  pageSize?: number;
  /** Server-side watch timeout: the watch is re-established (from the last RV) after it. */
  watchTimeoutSeconds?: number;
}

export class Reflector<T extends KubeObject> {
  /** The newest resourceVersion this reflector has seen; the watch resumes from it. */
  lastResourceVersion = '';
  lists = 0;
  watches = 0;
  private backoff: number;
  private readonly opts: Required<Omit<ReflectorOptions, 'namespace' | 'labelSelector' | 'fieldSelector'>> & ReflectorOptions;

  constructor(
    private readonly client: ApiClient,
    readonly resource: ResourceInfo,
    private readonly store: ReflectorStore<T>,
    private readonly log: Logger,
    options: ReflectorOptions = {},
  ) {
    this.opts = { initialBackoffMs: 100, maxBackoffMs: 30_000, pageSize: 0, watchTimeoutSeconds: 300 + Math.floor(Math.random() * 300), ...options };
    this.backoff = this.opts.initialBackoffMs;
  }

  /** Runs until the signal aborts. Never throws: failures are logged and retried with backoff. */
  async run(signal: AbortSignal): Promise<void> {
    let needList = true;
    while (!signal.aborted) {
      try {
        if (needList) {
          await this.list();
          needList = false;
        }
        const started = Date.now();
        const events = await this.watch(signal);
        // A clean end (server timeout) re-watches at once from where we are;
        // a watch the server closes straight away must not become a hot loop.
        if (events === 0 && Date.now() - started < 1000 && !signal.aborted) {
          await sleep(this.backoff, signal);
          this.backoff = Math.min(this.opts.maxBackoffMs, this.backoff * 2);
        }
      } catch (err) {
        if (signal.aborted) return;
        if (isGone(err)) {
          this.log.info('watch resourceVersion expired, relisting', { resource: this.resource.plural, resourceVersion: this.lastResourceVersion });
          needList = true;
          continue;
        }
        const wait = this.backoff;
        this.backoff = Math.min(this.opts.maxBackoffMs, this.backoff * 2);
        this.log.warn('list/watch failed, retrying', { resource: this.resource.plural, err, retryInMs: wait, relist: needList });
        if (err instanceof ApiError && err.code >= 400 && err.code < 500 && err.code !== 429) needList = true;
        await sleep(wait, signal);
      }
    }
  }

  private async list(): Promise<void> {
    const items: T[] = [];
    let cont: string | undefined;
    let rv = '';
    do {
      const page = await this.client.list<T>(this.resource, {
        namespace: this.opts.namespace,
        labelSelector: this.opts.labelSelector,
        fieldSelector: this.opts.fieldSelector,
        limit: this.opts.pageSize || undefined,
        continue: cont,
      });
      for (const item of page.items) items.push(item);
      rv = page.metadata.resourceVersion ?? rv;
      cont = page.metadata.continue || undefined;
    } while (cont);
    this.lists++;
    this.lastResourceVersion = rv;
    this.store.replace(items, rv);
  }

  /** Watches until the stream ends; returns how many events arrived. */
  private async watch(signal: AbortSignal): Promise<number> {
    const stream = this.client.watch<T>(this.resource, {
      namespace: this.opts.namespace,
      labelSelector: this.opts.labelSelector,
      fieldSelector: this.opts.fieldSelector,
      resourceVersion: this.lastResourceVersion,
      allowWatchBookmarks: true,
      timeoutSeconds: this.opts.watchTimeoutSeconds,
    });
    this.watches++;
    const onAbort = () => stream.stop();
    signal.addEventListener('abort', onAbort, { once: true });
    // An abort that came before the listener would otherwise leave the watch running forever.
    if (signal.aborted) stream.stop();
    let count = 0;
    try {
      for await (const event of stream) {
        count++;
        this.backoff = this.opts.initialBackoffMs;
        const obj = event.object;
        const rv = obj.metadata?.resourceVersion;
        switch (event.type) {
          case 'ADDED':
            this.store.add(obj);
            break;
          case 'MODIFIED':
            this.store.update(obj);
            break;
          case 'DELETED':
            this.store.delete(obj);
            break;
          case 'BOOKMARK':
            break;
          default:
            continue;
        }
        if (rv) this.lastResourceVersion = rv;
      }
      return count;
    } finally {
      signal.removeEventListener('abort', onAbort);
      stream.stop();
    }
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
