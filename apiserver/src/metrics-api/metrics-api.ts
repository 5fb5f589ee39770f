// metrics.k8s.io/v1beta1 served by the apiserver itself: the router hands
// every request for a virtual resource here. Pods and nodes (for names and
// labels) come from the watch cache; usage comes from the scraper's snapshot.
import { MethodNotAllowedError, NotFoundError, parseFieldSelector, parseLabelSelector, storagePrefix, findResource, type Logger, type Node, type ResourceInfo } from '@wharf/api';
import type { CachedObject } from '../cache/cached-object.js';
import type { WatchCache } from '../cache/watch-cache.js';
import type { ResourceRequest } from '../request-info.js';
import { MetricsScraper, type NodeEndpoint, type ScraperOptions } from './scraper.js';
import { metricsList, nodeMetricsOf, podMetricsOf } from './shape.js';

export interface MetricsApiOptions {
  resolutionMs: number;
  nodeProxyToken: string;
  cache: WatchCache;
  log: Logger;
  resolveNode?: (node: Node) => NodeEndpoint | undefined;
  fetchSummary?: ScraperOptions['fetchSummary'];
}

const PODS = findResource('', 'v1', 'pods')!;
const NODES = findResource('', 'v1', 'nodes')!;

export class MetricsApi {
  readonly scraper: MetricsScraper;

  constructor(private readonly o: MetricsApiOptions) {
    this.scraper = new MetricsScraper({
      resolutionMs: o.resolutionMs,
      token: o.nodeProxyToken,
      log: o.log.child({ part: 'metrics-scraper' }),
      listNodes: () => this.cached(NODES).map((c) => JSON.parse(c.json) as Node),
      ...(o.resolveNode ? { resolveNode: o.resolveNode } : {}),
      ...(o.fetchSummary ? { fetchSummary: o.fetchSummary } : {}),
    });
  }

  stop(): void {
    this.scraper.stop();
  }

  private cached(info: ResourceInfo, namespace?: string): CachedObject[] {
    const prefix = storagePrefix(info);
    const cache = this.o.cache.resource(prefix);
    return namespace ? cache.listPrefix(`${prefix}${namespace}/`) : cache.list();
  }

  /** The body for one request: a PodMetrics/NodeMetrics or a list of them. Throws ApiErrors. */
  async handle(req: Pick<ResourceRequest, 'verb' | 'info' | 'namespace' | 'name' | 'subresource'>, params: URLSearchParams): Promise<unknown> {
    if ((req.verb !== 'get' && req.verb !== 'list') || req.subresource !== undefined) {
      throw new MethodNotAllowedError('the server does not allow this method on the requested resource');
    }
    await this.scraper.demand();
    const labels = parseLabelSelector(params.get('labelSelector') ?? '');
    const fields = parseFieldSelector(params.get('fieldSelector') ?? '');
    if (req.info.plural === 'pods') {
      if (req.verb === 'get') {
        const pod = this.cached(PODS, req.namespace).find((c) => c.name === req.name);
        const point = this.scraper.pod(req.namespace ?? '', req.name ?? '');
        if (!pod || !point) throw new NotFoundError('podmetrics', req.name ?? '', 'metrics.k8s.io');
        return podMetricsOf(point, { labels: pod.labels });
      }
      const items = [];
      for (const pod of this.cached(PODS, req.namespace)) {
        if (!labels.matches(pod.labels)) continue;
        if (!fields.matches({ 'metadata.name': pod.name, 'metadata.namespace': pod.namespace ?? '' })) continue;
        const point = this.scraper.pod(pod.namespace ?? '', pod.name);
        if (point) items.push(podMetricsOf(point, { labels: pod.labels }));
      }
      return metricsList('PodMetricsList', items);
    }
    if (req.verb === 'get') {
      const node = this.cached(NODES).find((c) => c.name === req.name);
      const point = this.scraper.node(req.name ?? '');
      if (!node || !point) throw new NotFoundError('nodemetrics', req.name ?? '', 'metrics.k8s.io');
      return nodeMetricsOf(point, node.labels);
    }
    const items = [];
    for (const node of this.cached(NODES)) {
      if (!labels.matches(node.labels) || !fields.matches({ 'metadata.name': node.name })) continue;
      const point = this.scraper.node(node.name);
      if (point) items.push(nodeMetricsOf(point, node.labels));
    }
    return metricsList('NodeMetricsList', items);
  }
}
