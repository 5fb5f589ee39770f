import { afterEach, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger, type Node } from '@wharf/api';
import { endpointOf, fetchSummary, isNodeReady, MetricsScraper, ScrapeError, type StatsSummary } from './scraper.js';

const log = createLogger('test');

function node(ready: boolean, port = 10250): Node {
  return {
    metadata: { name: 'n1' },
    status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'Unknown' }], addresses: [{ type: 'Hostname', address: 'n1' }, { type: 'InternalIP', address: '127.0.0.1' }], daemonEndpoints: { kubeletEndpoint: { Port: port } } },
  } as Node;
}

describe('node selection', () => {
  it('scrapes Ready nodes at InternalIP and the kubelet endpoint port', () => {
    expect(isNodeReady(node(true))).toBe(true);
    expect(isNodeReady(node(false))).toBe(false);
    expect(endpointOf(node(true, 1234))).toEqual({ host: '127.0.0.1', port: 1234 });
    expect(endpointOf({ metadata: { name: 'x' } } as Node)).toBeUndefined();
  });
});

describe('MetricsScraper lifecycle', () => {
  let scraper: MetricsScraper | undefined;
  afterEach(() => scraper?.stop());

  it('stays idle until asked, then scrapes twice quickly so the first request has a window', async () => {
    let calls = 0;
    let cpu = 0;
    scraper = new MetricsScraper({
      resolutionMs: 200,
      token: '',
      log,
      listNodes: () => [node(true)],
      fetchSummary: async (): Promise<StatsSummary> => {
        calls++;
        cpu += 1e8;
        return { node: { nodeName: 'n1', cpu: { usageCoreNanoSeconds: cpu } }, pods: [{ podRef: { namespace: 'a', name: 'p' }, containers: [{ name: 'c', cpu: { usageCoreNanoSeconds: cpu } }] }] };
      },
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(calls).toBe(0);
    expect(scraper.currentState).toBe('idle');
    await scraper.demand();
    expect(scraper.currentState).toBe('running');
    expect(calls).toBeGreaterThanOrEqual(2);
    expect(scraper.pod('a', 'p')?.containers[0]?.name).toBe('c');
    expect(scraper.node('n1')).toBeDefined();
  });

  it('goes idle again after the idle period without requests', async () => {
    scraper = new MetricsScraper({ resolutionMs: 50, idleStopMs: 100, token: '', log, listNodes: () => [], fetchSummary: async () => ({ node: { nodeName: 'n1' }, pods: [] }) });
    await scraper.demand();
    await new Promise((r) => setTimeout(r, 400));
    expect(scraper.currentState).toBe('idle');
  });
});

describe('fetchSummary', () => {
  let server: http.Server | undefined;
  afterEach(() => server?.close());

  it('sends the bearer token and parses the summary; non-200 answers are ScrapeErrors', async () => {
    const seen: string[] = [];
    server = http.createServer((req, res) => {
      seen.push(`${req.url} ${req.headers.authorization}`);
      if (req.headers.authorization !== 'Bearer t') return void res.writeHead(401).end('Unauthorized');
      res.end(JSON.stringify({ node: { nodeName: 'n1' }, pods: [] }));
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    expect(await fetchSummary({ host: '127.0.0.1', port }, 't', 1000)).toEqual({ node: { nodeName: 'n1' }, pods: [] });
    await expect(fetchSummary({ host: '127.0.0.1', port }, 'wrong', 1000)).rejects.toBeInstanceOf(ScrapeError);
    expect(seen).toEqual(['/stats/summary Bearer t', '/stats/summary Bearer wrong']);
  });
});
