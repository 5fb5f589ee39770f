// Reads resource usage the way Kubernetes' HPA does: from metrics.k8s.io,
// the pods matching the scale target's selector, one figure per pod.
import { findResource, milli, type PodMetrics } from '@wharf/api';
import type { ApiClient } from '@wharf/client';
import type { PodMetricsInfo } from './replica-calculator.js';

const POD_METRICS = findResource('metrics.k8s.io', 'v1beta1', 'pods')!;

/** Parses a metav1.Duration ("5s", "4.987s", "1m0.5s", "500ms") into milliseconds. */
export function parseWindow(text: string | undefined): number {
  if (!text) return 0;
  let ms = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)) ms += Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
  return ms;
}

/** Usage of `resource` per pod in thousandths; a pod missing it for any counted container is left out (it counts as missing). */
export function podMetricsInfo(items: PodMetrics[], resource: string, container?: string): PodMetricsInfo {
  const out: PodMetricsInfo = new Map();
  for (const pm of items) {
    let sum = 0;
    let missing = false;
    let counted = 0;
    for (const c of pm.containers ?? []) {
      if (container && c.name !== container) continue;
      const q = c.usage?.[resource];
      if (q === undefined) {
        missing = true;
        break;
      }
      sum += milli(q);
      counted++;
    }
    if (missing || (container && counted === 0)) continue;
    out.set(pm.metadata.name ?? '', { value: sum, timestampMs: Date.parse(pm.timestamp), windowMs: parseWindow(pm.window) });
  }
  return out;
}

export class MetricsUnavailableError extends Error {
  override name = 'MetricsUnavailableError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export async function fetchResourceMetrics(client: ApiClient, namespace: string, selector: string, resource: string, container?: string): Promise<PodMetricsInfo> {
  let list;
  try {
    list = await client.list<PodMetrics>(POD_METRICS, { namespace, labelSelector: selector });
  } catch (err) {
    throw new MetricsUnavailableError(`unable to fetch metrics from resource metrics API: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  if (list.items.length === 0) throw new MetricsUnavailableError('no metrics returned from resource metrics API');
  return podMetricsInfo(list.items, resource, container);
}
