import { describe, expect, it } from 'vitest';
import { createLogger, storagePrefix, findResource, type Node } from '@wharf/api';
import type { CachedObject } from '../cache/cached-object.js';
import type { WatchCache } from '../cache/watch-cache.js';
import { MetricsApi } from './metrics-api.js';
import { CounterRates, formatNanoCores, formatWindow, formatWorkingSet, rateBetween } from './rates.js';
import { MetricsScraper, type StatsSummary } from './scraper.js';

const log = createLogger('test');

describe('rates', () => {
  it.each([
    // [prev ns, prev ms, cur ns, cur ms, nanocores, window]
    [0, 0, 5e9, 5000, 1e9, 5000], // one core busy for 5 s
    [1e9, 1000, 1.5e9, 11_000, 5e7, 10_000], // 50m over 10 s
    [2e9, 0, 2e9, 5000, 0, 5000], // idle
  ])('%d ns@%d ms → %d ns@%d ms is %d nanocores over %d ms', (pn, pm, cn, cm, rate, window) => {
    expect(rateBetween({ usageNs: pn, atMs: pm }, { usageNs: cn, atMs: cm })).toEqual({ nanoCores: rate, windowMs: window, atMs: cm });
  });

  it('gives no rate without a previous sample, for a counter reset, or for the same instant', () => {
    expect(rateBetween(undefined, { usageNs: 1, atMs: 1 })).toBeUndefined();
    expect(rateBetween({ usageNs: 10, atMs: 0 }, { usageNs: 5, atMs: 1000 })).toBeUndefined();
    expect(rateBetween({ usageNs: 10, atMs: 1000 }, { usageNs: 20, atMs: 1000 })).toBeUndefined();
  });

  it('keeps one sample per counter and prunes old ones', () => {
    const r = new CounterRates();
    expect(r.observe('a', { usageNs: 0, atMs: 0 })).toBeUndefined();
    expect(r.observe('a', { usageNs: 1e9, atMs: 1000 })?.nanoCores).toBe(1e9);
    r.observe('b', { usageNs: 0, atMs: 5000 });
    r.prune(2000);
    expect(r.size).toBe(1);
  });

  it('formats quantities the way metrics-server does', () => {
    expect(formatNanoCores(1234567.4)).toBe('1234567n');
    expect(formatNanoCores(-3)).toBe('0n');
    expect(formatWorkingSet(10240 * 1024)).toBe('10240Ki');
    expect(formatWorkingSet(1000)).toBe('1000');
    expect(formatWorkingSet(0)).toBe('0');
    expect(formatWindow(5000)).toBe('5s');
    expect(formatWindow(4987)).toBe('4.987s');
    expect(formatWindow(60_500)).toBe('1m0.5s');
    expect(formatWindow(500)).toBe('500ms');
  });
});

function node(name: string, ready = true, labels: Record<string, string> = {}): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels },
    status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }], addresses: [{ type: 'InternalIP', address: '127.0.0.1' }], daemonEndpoints: { kubeletEndpoint: { Port: 1 } } },
  } as Node;
}

function cached(prefix: string, obj: { metadata: { name: string; namespace?: string; labels?: Record<string, string> } }): CachedObject {
  const m = obj.metadata;
  return { key: m.namespace ? `${prefix}${m.namespace}/${m.name}` : `${prefix}${m.name}`, namespace: m.namespace, name: m.name, rv: 1, json: JSON.stringify(obj), labels: m.labels ?? {}, fields: {} };
}

/** Just the slice of the watch cache the metrics API reads. */
function fakeCache(objects: Record<string, CachedObject[]>): WatchCache {
  return {
    resource: (prefix: string) => ({
      list: () => objects[prefix] ?? [],
      listPrefix: (p: string) => (objects[prefix] ?? []).filter((o) => o.key.startsWith(p)),
    }),
  } as unknown as WatchCache;
}

function summary(nodeName: string, cpuNs: number, pods: Array<[string, string, Array<[string, number, number]>]>): StatsSummary {
  return {
    node: { nodeName, cpu: { usageCoreNanoSeconds: cpuNs * 2 }, memory: { workingSetBytes: 512 * 1024 * 1024 } },
    pods: pods.map(([namespace, name, containers]) => ({
      podRef: { namespace, name, uid: `${namespace}-${name}` },
      containers: containers.map(([c, ns, mem]) => ({ name: c, cpu: { usageCoreNanoSeconds: ns }, memory: { workingSetBytes: mem } })),
    })),
  };
}

describe('MetricsApi', () => {
  const podsPrefix = storagePrefix(findResource('', 'v1', 'pods')!);
  const nodesPrefix = storagePrefix(findResource('', 'v1', 'nodes')!);

  async function setup() {
    let now = 1_700_000_000_000;
    let cpu = 0;
    const fetched: string[] = [];
    const cache = fakeCache({
      [nodesPrefix]: [cached(nodesPrefix, node('n1', true, { zone: 'a' })), cached(nodesPrefix, node('n2', false))],
      [podsPrefix]: [
        cached(podsPrefix, { metadata: { name: 'web-1', namespace: 'default', labels: { app: 'web' } } }),
        cached(podsPrefix, { metadata: { name: 'db-1', namespace: 'default', labels: { app: 'db' } } }),
        cached(podsPrefix, { metadata: { name: 'web-1', namespace: 'other', labels: { app: 'web' } } }),
      ],
    });
    const api = new MetricsApi({
      resolutionMs: 5000,
      nodeProxyToken: 'tok',
      cache,
      log,
      fetchSummary: async (ep, token) => {
        fetched.push(`${ep.host}:${ep.port} ${token}`);
        return summary('n1', cpu, [
          ['default', 'web-1', [['app', cpu, 10240 * 1024], ['sidecar', cpu / 10, 4096]]],
          ['default', 'db-1', [['db', cpu / 2, 1000]]],
          ['other', 'web-1', [['app', 0, 2048]]],
        ]);
      },
    });
    // Drive the scraper by hand: two samples 5 s apart, 0.5 core busy in web-1/app.
    const scraper = api.scraper as MetricsScraper;
    (scraper as unknown as { now: () => number }).now = () => now;
    await scraper.scrapeOnce();
    now += 5000;
    cpu = 2.5e9;
    await scraper.scrapeOnce();
    // Pretend the demand-driven start already happened.
    (scraper as unknown as { state: string; warm: Promise<void> }).state = 'running';
    (scraper as unknown as { warm: Promise<void> }).warm = Promise.resolve();
    return { api, fetched, now };
  }

  it('scrapes only Ready nodes, with the proxy token', async () => {
    const { api, fetched } = await setup();
    expect(fetched).toEqual(['127.0.0.1:1 tok', '127.0.0.1:1 tok']);
    api.stop();
  });

  it('lists PodMetrics in a namespace with CPU as a rate over the window', async () => {
    const { api, now } = await setup();
    const list = (await api.handle({ verb: 'list', info: findResource('metrics.k8s.io', 'v1beta1', 'pods')!, namespace: 'default', name: undefined, subresource: undefined }, new URLSearchParams())) as {
      kind: string;
      items: Array<Record<string, unknown>>;
    };
    expect(list.kind).toBe('PodMetricsList');
    expect(list.items.map((i) => (i.metadata as { name: string }).name).sort()).toEqual(['db-1', 'web-1']);
    const web = list.items.find((i) => (i.metadata as { name: string }).name === 'web-1')!;
    expect(web).toMatchObject({
      apiVersion: 'metrics.k8s.io/v1beta1',
      kind: 'PodMetrics',
      metadata: { name: 'web-1', namespace: 'default', labels: { app: 'web' } },
      timestamp: new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      window: '5s',
      containers: [
        { name: 'app', usage: { cpu: '500000000n', memory: '10240Ki' } },
        { name: 'sidecar', usage: { cpu: '50000000n', memory: '4Ki' } },
      ],
    });
    api.stop();
  });

  it('filters by label selector across all namespaces', async () => {
    const { api } = await setup();
    const list = (await api.handle({ verb: 'list', info: findResource('metrics.k8s.io', 'v1beta1', 'pods')!, namespace: undefined, name: undefined, subresource: undefined }, new URLSearchParams({ labelSelector: 'app=web' }))) as {
      items: Array<{ metadata: { namespace: string } }>;
    };
    expect(list.items.map((i) => i.metadata.namespace).sort()).toEqual(['default', 'other']);
    api.stop();
  });

  it('gets one PodMetrics and answers NotFound like metrics-server', async () => {
    const { api } = await setup();
    const info = findResource('metrics.k8s.io', 'v1beta1', 'pods')!;
    const one = (await api.handle({ verb: 'get', info, namespace: 'default', name: 'db-1', subresource: undefined }, new URLSearchParams())) as { containers: unknown[] };
    expect(one.containers).toEqual([{ name: 'db', usage: { cpu: '250000000n', memory: '1000' } }]);
    await expect(api.handle({ verb: 'get', info, namespace: 'default', name: 'nope', subresource: undefined }, new URLSearchParams())).rejects.toThrow('podmetrics.metrics.k8s.io "nope" not found');
    await expect(api.handle({ verb: 'watch', info, namespace: 'default', name: undefined, subresource: undefined }, new URLSearchParams())).rejects.toMatchObject({ code: 405 });
    api.stop();
  });

  it('serves NodeMetrics with the node labels', async () => {
    const { api } = await setup();
    const info = findResource('metrics.k8s.io', 'v1beta1', 'nodes')!;
    const list = (await api.handle({ verb: 'list', info, namespace: undefined, name: undefined, subresource: undefined }, new URLSearchParams())) as { kind: string; items: unknown[] };
    expect(list.kind).toBe('NodeMetricsList');
    expect(list.items).toEqual([expect.objectContaining({ metadata: expect.objectContaining({ name: 'n1', labels: { zone: 'a' } }), usage: { cpu: '1000000000n', memory: '524288Ki' }, window: '5s' })]);
    const none = (await api.handle({ verb: 'list', info, namespace: undefined, name: undefined, subresource: undefined }, new URLSearchParams({ labelSelector: 'zone=b' }))) as { items: unknown[] };
    expect(none.items).toEqual([]);
    api.stop();
  });
});
