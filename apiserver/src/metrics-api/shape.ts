// PodMetrics and NodeMetrics exactly as metrics-server serves them (what
// `kubectl top` and the HPA read): usage as "<n>n" nanocores and BinarySI
// bytes, the scrape time as timestamp and the rate's span as window.
import type { NodeMetrics, PodMetrics } from '@wharf/api';
import { formatNanoCores, formatWindow, formatWorkingSet } from './rates.js';
import type { NodePoint, PodPoint } from './scraper.js';

export const METRICS_API_VERSION = 'metrics.k8s.io/v1beta1';

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function podMetricsOf(point: PodPoint, pod: { labels?: Record<string, string> | undefined; creationTimestamp?: string | undefined } = {}): PodMetrics {
  return {
    kind: 'PodMetrics',
    apiVersion: METRICS_API_VERSION,
    metadata: {
      name: point.name,
      namespace: point.namespace,
      // metrics-server stamps the response time, not the pod's creation.
      creationTimestamp: iso(Date.now()),
      ...(pod.labels && Object.keys(pod.labels).length ? { labels: pod.labels } : {}),
    },
    timestamp: iso(point.atMs),
    window: formatWindow(point.windowMs),
    containers: point.containers.map((c) => ({ name: c.name, usage: { cpu: formatNanoCores(c.nanoCores), memory: formatWorkingSet(c.workingSetBytes) } })),
  };
}

export function nodeMetricsOf(point: NodePoint, labels?: Record<string, string>): NodeMetrics {
  return {
    kind: 'NodeMetrics',
    apiVersion: METRICS_API_VERSION,
    metadata: { name: point.name, creationTimestamp: iso(Date.now()), ...(labels && Object.keys(labels).length ? { labels } : {}) },
    timestamp: iso(point.atMs),
    window: formatWindow(point.windowMs),
    usage: { cpu: formatNanoCores(point.nanoCores), memory: formatWorkingSet(point.workingSetBytes) },
  };
}

export function metricsList(kind: 'PodMetricsList' | 'NodeMetricsList', items: Array<PodMetrics | NodeMetrics>): Record<string, unknown> {
  return { kind, apiVersion: METRICS_API_VERSION, metadata: {}, items };
}
