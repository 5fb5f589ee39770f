// Records core/v1 Events. Repeats of the same (object, type, reason, message)
// update one Event's count and lastTimestamp instead of creating new ones, as
// Kubernetes' event correlator does; writes never block the caller.
import { resourceForKind, type Event, type KubeObject, type Logger } from '@wharf/api';
import type { ApiClient } from './interface.js';
import { R } from './resources.js';

export type EventType = 'Normal' | 'Warning';

export interface EventRecorder {
  event(obj: KubeObject, type: EventType, reason: string, message: string): void;
}

interface Aggregate {
  namespace: string;
  name: string;
  count: number;
  /** Serializes writes to one Event so counts never go backwards. */
  pending: Promise<void>;
}

const MAX_TRACKED = 4096;
/** Event writes in flight at once: events must never crowd out the writes they describe. */
const MAX_IN_FLIGHT = 4;
/** Writes waiting beyond this are dropped, as Kubernetes' broadcaster drops on a full queue. */
const MAX_BACKLOG = 256;

export class ApiEventRecorder implements EventRecorder {
  private readonly seen = new Map<string, Aggregate>();
  private inflight = new Set<Promise<void>>();
  private running = 0;
  private readonly backlog: Array<() => Promise<void>> = [];
  /** Events dropped because the backlog was full. */
  dropped = 0;

  constructor(
    private readonly client: ApiClient,
    private readonly component: string,
    private readonly log: Logger,
    private readonly host = '',
  ) {}

  event(obj: KubeObject, type: EventType, reason: string, message: string): void {
    const meta = obj.metadata;
    const namespace = meta.namespace || 'default';
    const apiVersion = obj.apiVersion ?? '';
    const kind = obj.kind ?? '';
    const key = `${meta.uid ?? ''}|${kind}|${namespace}|${meta.name}|${type}|${reason}|${message}`;
    const now = new Date().toISOString();
    const existing = this.seen.get(key);
    if (existing) {
      existing.count++;
      const count = existing.count;
      existing.pending = this.track(existing.pending.then(() => this.limited(() => this.bump(existing, count, now))));
      return;
    }
    if (this.seen.size >= MAX_TRACKED) this.seen.delete(this.seen.keys().next().value as string);
    const name = `${meta.name}.${(Date.now() * 1000 + Math.floor(Math.random() * 1000)).toString(16)}`;
    const agg: Aggregate = { namespace, name, count: 1, pending: Promise.resolve() };
    this.seen.set(key, agg);
    const ev: Event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject: {
        kind,
        namespace: meta.namespace,
        name: meta.name,
        uid: meta.uid,
        apiVersion: apiVersion || (kind ? resourceForKind('v1', kind)?.version : undefined),
        resourceVersion: meta.resourceVersion,
      },
      reason,
      message,
      source: { component: this.component, ...(this.host ? { host: this.host } : {}) },
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
      type,
      eventTime: null,
      reportingComponent: this.component,
      reportingInstance: this.host,
    };
    agg.pending = this.track(
      this.limited(() =>
        this.client.create(R.events, namespace, ev).then(
          () => undefined,
          (err) => this.log.debug('event not recorded', { reason, err }),
        ),
      ),
    );
  }

  /** Runs fn when a write slot is free; resolves at once (dropping it) when the backlog is full. */
  private limited(fn: () => Promise<void>): Promise<void> {
    if (this.running < MAX_IN_FLIGHT) return this.start(fn);
    if (this.backlog.length >= MAX_BACKLOG) {
      this.dropped++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.backlog.push(() => this.start(fn).then(resolve)));
  }

  private async start(fn: () => Promise<void>): Promise<void> {
    this.running++;
    try {
      await fn();
    } finally {
      this.running--;
      const next = this.backlog.shift();
      if (next) void next();
    }
  }

  private async bump(agg: Aggregate, count: number, now: string): Promise<void> {
    try {
      await this.client.patch(R.events, agg.namespace, agg.name, 'merge', { count, lastTimestamp: now });
    } catch (err) {
      this.log.debug('event count not updated', { name: agg.name, err });
    }
  }

  private track(p: Promise<void>): Promise<void> {
    this.inflight.add(p);
    void p.finally(() => this.inflight.delete(p));
    return p;
  }

  /** Waits for writes in flight (tests and graceful shutdown). */
  async flush(): Promise<void> {
    while (this.inflight.size) await Promise.all([...this.inflight]);
  }
}

/** Keeps events in memory: for unit tests that assert on what was recorded. */
export class FakeRecorder implements EventRecorder {
  readonly events: string[] = [];
  event(_obj: KubeObject, type: EventType, reason: string, message: string): void {
    this.events.push(`${type} ${reason} ${message}`);
  }
}
