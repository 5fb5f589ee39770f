// The metrics pipeline inside the apiserver: every resolution period, fetch
// /stats/summary from each Ready node's agent, turn cumulative CPU into a rate
// and keep the newest point per pod, container and node. Requests are served
// from that snapshot, never by dialing nodes on the request path.
//
// Scraping is demand-driven: it starts with the first metrics request and stops
// after a long idle spell, so an apiserver nobody asks for metrics never dials
// its nodes (and test clusters whose node addresses live in another network
// namespace are never dialed from outside it).
import http from 'node:http';
import type { Logger, Node } from '@wharf/api';
import { CounterRates, type Rate } from './rates.js';

/** The part of the node agent's /stats/summary the pipeline reads. */
export interface StatsSummary {
  node: { nodeName: string; cpu?: { usageCoreNanoSeconds?: number }; memory?: { workingSetBytes?: number } };
  pods: Array<{
    podRef: { name: string; namespace: string; uid?: string };
    containers: Array<{ name: string; cpu?: { usageCoreNanoSeconds?: number }; memory?: { workingSetBytes?: number } }>;
  }>;
}

export interface ContainerPoint {
  name: string;
  nanoCores: number;
  workingSetBytes: number;
}

export interface PodPoint {
  namespace: string;
  name: string;
  containers: ContainerPoint[];
  atMs: number;
  windowMs: number;
}

export interface NodePoint {
  name: string;
  nanoCores: number;
  workingSetBytes: number;
  atMs: number;
  windowMs: number;
}

export interface NodeEndpoint {
  host: string;
  port: number;
}

export interface ScraperOptions {
  /** How often nodes are scraped (metrics-server's --metric-resolution). */
  resolutionMs: number;
  /** Bearer token the node agents accept (the apiserver's node proxy token). */
  token: string;
  /** The Nodes to scrape (the apiserver's cached list). */
  listNodes: () => Node[];
  log: Logger;
  /** Stop scraping after this long without a metrics request. */
  idleStopMs?: number;
  /** Where a node's agent listens; defaults to InternalIP and daemonEndpoints.kubeletEndpoint. */
  resolveNode?: (node: Node) => NodeEndpoint | undefined;
  /** Fetches one summary (tests substitute a fake agent here). */
  fetchSummary?: (ep: NodeEndpoint, token: string, timeoutMs: number) => Promise<StatsSummary>;
  now?: () => number;
}

export class ScrapeError extends Error {
  override name = 'ScrapeError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Lifecycle: `idle` (no one asked) → `running` (scraping every resolution) → `idle` after idleStopMs, or `stopped`. */
export type ScraperState = 'idle' | 'running' | 'stopped';

export class MetricsScraper {
  private readonly rates = new CounterRates();
  private pods = new Map<string, PodPoint>();
  private nodes = new Map<string, NodePoint>();
  private timer: NodeJS.Timeout | undefined;
  private state: ScraperState = 'idle';
  private lastDemandMs = 0;
  private inflight: Promise<void> | undefined;
  /** Resolves once the first rates exist after a start (a first request waits for it). */
  private warm: Promise<void> | undefined;
  readonly stats = { scrapes: 0, failures: 0 };
  private readonly now: () => number;

  constructor(private readonly o: ScraperOptions) {
    this.now = o.now ?? Date.now;
  }

  get currentState(): ScraperState {
    return this.state;
  }

  /** Marks demand; starts scraping if idle. Resolves when a first window is available (or after a short wait). */
  async demand(): Promise<void> {
    this.lastDemandMs = this.now();
    if (this.state === 'stopped') return;
    if (this.state === 'idle') {
      this.state = 'running';
      // Two quick samples give rates within a second instead of one resolution period.
      this.warm = this.scrapeOnce().then(async () => {
        await new Promise((r) => setTimeout(r, Math.min(1000, this.o.resolutionMs)));
        if (this.state === 'running') await this.scrapeOnce();
        this.schedule();
      });
    }
    if (this.warm) await Promise.race([this.warm, new Promise((r) => setTimeout(r, 3000).unref())]);
  }

  private schedule(): void {
    if (this.state !== 'running') return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.now() - this.lastDemandMs > (this.o.idleStopMs ?? 10 * 60_000)) {
        this.state = 'idle';
        this.warm = undefined;
        return;
      }
      void this.scrapeOnce().finally(() => this.schedule());
    }, this.o.resolutionMs);
    this.timer.unref();
  }

  stop(): void {
    this.state = 'stopped';
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  pod(namespace: string, name: string): PodPoint | undefined {
    return this.pods.get(`${namespace}/${name}`);
  }

  allPods(): PodPoint[] {
    return [...this.pods.values()];
  }

  node(name: string): NodePoint | undefined {
    return this.nodes.get(name);
  }

  allNodes(): NodePoint[] {
    return [...this.nodes.values()];
  }

  /** One pass over every Ready node; a node that fails keeps no stale points. */
  scrapeOnce(): Promise<void> {
    this.inflight ??= this.scrape().finally(() => (this.inflight = undefined));
    return this.inflight;
  }

  private async scrape(): Promise<void> {
    const nodes = this.o.listNodes().filter(isNodeReady);
    const timeoutMs = Math.max(1000, Math.min(10_000, this.o.resolutionMs));
    const fetch = this.o.fetchSummary ?? fetchSummary;
    const results = await Promise.all(
      nodes.map(async (node) => {
        const ep = (this.o.resolveNode ?? endpointOf)(node);
        if (!ep) return { node, summary: undefined };
        try {
          return { node, summary: await fetch(ep, this.o.token, timeoutMs), atMs: this.now() };
        } catch (err) {
          this.stats.failures++;
          this.o.log.debug('metrics scrape failed', { node: node.metadata.name, err });
          return { node, summary: undefined };
        }
      }),
    );
    const pods = new Map<string, PodPoint>();
    const nodePoints = new Map<string, NodePoint>();
    for (const r of results) {
      if (!r.summary || r.atMs === undefined) continue;
      this.ingest(r.summary, r.atMs, pods, nodePoints);
    }
    this.pods = pods;
    this.nodes = nodePoints;
    this.stats.scrapes++;
    this.rates.prune(this.now() - 3 * this.o.resolutionMs - 10_000);
  }

  private ingest(s: StatsSummary, atMs: number, pods: Map<string, PodPoint>, nodes: Map<string, NodePoint>): void {
    const nodeRate = this.rates.observe(`node/${s.node.nodeName}`, { usageNs: s.node.cpu?.usageCoreNanoSeconds ?? 0, atMs });
    if (nodeRate) nodes.set(s.node.nodeName, { name: s.node.nodeName, nanoCores: nodeRate.nanoCores, workingSetBytes: s.node.memory?.workingSetBytes ?? 0, atMs, windowMs: nodeRate.windowMs });
    for (const p of s.pods) {
      const containers: ContainerPoint[] = [];
      let window: Rate | undefined;
      let complete = true;
      for (const c of p.containers) {
        const rate = this.rates.observe(`pod/${p.podRef.uid ?? ''}/${p.podRef.namespace}/${p.podRef.name}/${c.name}`, { usageNs: c.cpu?.usageCoreNanoSeconds ?? 0, atMs });
        if (!rate) {
          complete = false;
          continue;
        }
        window ??= rate;
        containers.push({ name: c.name, nanoCores: rate.nanoCores, workingSetBytes: c.memory?.workingSetBytes ?? 0 });
      }
      // Like metrics-server, a pod is reported only when every container has a full window.
      if (!complete || !window || containers.length === 0) continue;
      pods.set(`${p.podRef.namespace}/${p.podRef.name}`, { namespace: p.podRef.namespace, name: p.podRef.name, containers, atMs, windowMs: window.windowMs });
    }
  }
}

export function isNodeReady(node: Node): boolean {
  return node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** The agent's address as the node reports it (the same rule the logs/exec proxy uses). */
export function endpointOf(node: Node): NodeEndpoint | undefined {
  const host = node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address ?? node.status?.addresses?.[0]?.address;
  const port = node.status?.daemonEndpoints?.kubeletEndpoint?.Port;
  return host && port ? { host, port } : undefined;
}

export function fetchSummary(ep: NodeEndpoint, token: string, timeoutMs: number): Promise<StatsSummary> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: ep.host, port: ep.port, path: '/stats/summary', method: 'GET', headers: token ? { authorization: `Bearer ${token}` } : {}, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', (err) => reject(new ScrapeError(`reading summary from ${ep.host}:${ep.port}: ${err.message}`, { cause: err })));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        if (res.statusCode !== 200) return reject(new ScrapeError(`summary from ${ep.host}:${ep.port}: HTTP ${res.statusCode}: ${body.slice(0, 200)}`));
        try {
          resolve(JSON.parse(body) as StatsSummary);
        } catch (err) {
          reject(new ScrapeError(`summary from ${ep.host}:${ep.port} is not JSON`, { cause: err }));
        }
      });
    });
    req.on('timeout', () => req.destroy(new ScrapeError(`summary from ${ep.host}:${ep.port} timed out after ${timeoutMs}ms`)));
    req.on('error', (err) => reject(err instanceof ScrapeError ? err : new ScrapeError(`dialing ${ep.host}:${ep.port}: ${err.message}`, { cause: err })));
    req.end();
  });
}
