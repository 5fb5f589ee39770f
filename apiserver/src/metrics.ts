// Prometheus metrics with Kubernetes' names where one exists, so existing
// dashboards read them: request counts and latencies by verb and resource,
// registered watchers, storage latencies.
import { Counter, Gauge, Histogram, Registry as PromRegistry, collectDefaultMetrics } from 'prom-client';
import type { Storage } from './storage/interface.js';

export class ApiMetrics {
  readonly registry = new PromRegistry();
  readonly requests = new Counter({
    name: 'apiserver_request_total',
    help: 'Counter of apiserver requests broken out by verb, group, resource and HTTP response code.',
    labelNames: ['verb', 'group', 'resource', 'subresource', 'code'] as const,
    registers: [this.registry],
  });
  readonly latency = new Histogram({
    name: 'apiserver_request_duration_seconds',
    help: 'Response latency distribution in seconds for each verb, group and resource.',
    labelNames: ['verb', 'group', 'resource', 'subresource'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });
  readonly watchers = new Gauge({
    name: 'apiserver_registered_watchers',
    help: 'Number of currently registered watchers for a given resource.',
    labelNames: ['group', 'resource'] as const,
    registers: [this.registry],
  });
  readonly storageLatency = new Histogram({
    name: 'etcd_request_duration_seconds',
    help: 'Storage request latency in seconds for each operation (SQLite or etcd backend).',
    labelNames: ['operation', 'backend'] as const,
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** Wraps a storage backend so every operation's latency is observed. */
  instrument(storage: Storage): Storage {
    const h = this.storageLatency;
    const timed = <A extends unknown[], R>(op: string, fn: (...args: A) => Promise<R>) =>
      async (...args: A): Promise<R> => {
        const end = h.startTimer({ operation: op, backend: storage.backend });
        try {
          return await fn(...args);
        } finally {
          end();
        }
      };
    return {
      backend: storage.backend,
      currentRevision: timed('currentRevision', () => storage.currentRevision()),
      get: timed('get', (k: string) => storage.get(k)),
      list: timed('list', (p: string, o?: Parameters<Storage['list']>[1]) => storage.list(p, o)),
      create: timed('create', (k: string, v: string) => storage.create(k, v)),
      update: timed('update', (k: string, v: string, r: number) => storage.update(k, v, r)),
      delete: timed('delete', (k: string, r?: number) => storage.delete(k, r)),
      watch: (p, r) => storage.watch(p, r),
      compact: timed('compact', (r: number) => storage.compact(r)),
      compactedRevision: () => storage.compactedRevision(),
      close: () => storage.close(),
    };
  }
}
