// The Kubernetes replica calculation (pkg/controller/podautoscaler/
// replica_calculator.go), as pure functions over pods and their metrics so the
// table tests can feed it the cases from the Kubernetes sources.
//
// desired = ceil(currentUsage / target × readyPods), unless the ratio is
// within the tolerance. Pods without metrics and pods not yet ready are not
// allowed to push the result the wrong way: on a scale-up missing and unready
// pods count as 0% of their request, on a scale-down missing pods count as
// 100%, and if those assumptions would flip the direction nothing changes.
import { milli, type Pod } from '@wharf/api';

export interface PodMetric {
  /** Usage in thousandths of the base unit (millicores, millibytes), as MilliValue(). */
  value: number;
  /** When the sample was taken and over how long it was averaged. */
  timestampMs: number;
  windowMs: number;
}

/** Usage by pod name. */
export type PodMetricsInfo = Map<string, PodMetric>;

export interface CalculatorOptions {
  tolerance: number;
  /** A pod this young has its CPU discarded while it is unready or its sample predates readiness (--horizontal-pod-autoscaler-cpu-initialization-period). */
  cpuInitializationPeriodMs: number;
  /** After that, a pod that never became ready this long after its start is still ignored (--horizontal-pod-autoscaler-initial-readiness-delay). */
  delayOfInitialReadinessStatusMs: number;
  now: number;
}

export const DEFAULT_TOLERANCE = 0.1;
export const DEFAULT_CPU_INITIALIZATION_PERIOD_MS = 5 * 60_000;
export const DEFAULT_INITIAL_READINESS_DELAY_MS = 30_000;

export class ReplicaCalculationError extends Error {
  override name = 'ReplicaCalculationError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export interface PodGroups {
  readyPodCount: number;
  /** Pending, or (for CPU) not ready yet: counted as 0% on a scale-up, left out otherwise. */
  unready: Set<string>;
  /** Running but with no metrics yet. */
  missing: Set<string>;
  /** Deleted or failed: never counted. */
  ignored: Set<string>;
}

function readyCondition(pod: Pod) {
  return pod.status?.conditions?.find((c) => c.type === 'Ready');
}

export function groupPods(pods: Pod[], metrics: PodMetricsInfo, resource: string, o: Pick<CalculatorOptions, 'cpuInitializationPeriodMs' | 'delayOfInitialReadinessStatusMs' | 'now'>): PodGroups {
  const g: PodGroups = { readyPodCount: 0, unready: new Set(), missing: new Set(), ignored: new Set() };
  for (const pod of pods) {
    const name = pod.metadata.name ?? '';
    if (pod.metadata.deletionTimestamp || pod.status?.phase === 'Failed') {
      g.ignored.add(name);
      continue;
    }
    if (pod.status?.phase === 'Pending' || pod.status?.phase === undefined) {
      g.unready.add(name);
      continue;
    }
    const metric = metrics.get(name);
    if (!metric) {
      g.missing.add(name);
      continue;
    }
    if (resource === 'cpu') {
      const cond = readyCondition(pod);
      const start = pod.status?.startTime ? Date.parse(pod.status.startTime) : NaN;
      let unready: boolean;
      if (!cond || !Number.isFinite(start)) unready = true;
      else {
        const transition = cond.lastTransitionTime ? Date.parse(cond.lastTransitionTime) : start;
        if (start + o.cpuInitializationPeriodMs > o.now) {
          // Still initialising: ignore an unready pod, or a sample whose window began before the pod turned ready.
          unready = cond.status === 'False' || metric.timestampMs < transition + metric.windowMs;
        } else {
          // Ignore a pod that is unready and has never been ready since it started.
          unready = cond.status === 'False' && start + o.delayOfInitialReadinessStatusMs > transition;
        }
      }
      if (unready) {
        g.unready.add(name);
        continue;
      }
    }
    g.readyPodCount++;
  }
  return g;
}

/** Sum of the containers' requests of `resource`, in thousandths, by pod name. */
export function podRequests(pods: Pod[], resource: string, container?: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const pod of pods) {
    let sum = 0;
    for (const c of pod.spec?.containers ?? []) {
      if (container && c.name !== container) continue;
      const req = c.resources?.requests?.[resource];
      if (req === undefined) throw new ReplicaCalculationError(`missing request for ${resource} in container ${c.name} of Pod ${pod.metadata.name}`);
      sum += milli(req);
    }
    out.set(pod.metadata.name ?? '', sum);
  }
  return out;
}

export interface UtilizationRatio {
  ratio: number;
  /** Whole percent of the requests. */
  utilization: number;
  /** Average usage per pod, in thousandths. */
  rawAverage: number;
}

export function resourceUtilizationRatio(metrics: PodMetricsInfo, requests: Map<string, number>, targetUtilization: number): UtilizationRatio {
  let metricsTotal = 0;
  let requestsTotal = 0;
  let n = 0;
  for (const [name, m] of metrics) {
    const req = requests.get(name);
    if (req === undefined) continue;
    metricsTotal += m.value;
    requestsTotal += req;
    n++;
  }
  // A pod that requests 0 of the resource cannot have a utilization.
  if (requestsTotal === 0) throw new ReplicaCalculationError('no metrics returned matched known pods');
  const utilization = Math.trunc((metricsTotal * 100) / requestsTotal);
  return { ratio: utilization / targetUtilization, utilization, rawAverage: Math.trunc(metricsTotal / n) };
}

export function metricUtilizationRatio(metrics: PodMetricsInfo, target: number): { ratio: number; utilization: number } {
  let total = 0;
  for (const m of metrics.values()) total += m.value;
  const utilization = Math.trunc(total / metrics.size);
  return { ratio: utilization / target, utilization };
}

export interface ResourceReplicas {
  replicas: number;
  utilization: number;
  rawAverage: number;
  timestampMs: number;
}

function latest(metrics: PodMetricsInfo): number {
  let t = 0;
  for (const m of metrics.values()) t = Math.max(t, m.timestampMs);
  return t;
}

/** GetResourceReplicas: a Utilization target (percent of the request). */
export function resourceReplicas(currentReplicas: number, targetUtilization: number, resource: string, pods: Pod[], metricsIn: PodMetricsInfo, o: CalculatorOptions, container?: string): ResourceReplicas {
  if (pods.length === 0) throw new ReplicaCalculationError('no pods returned by selector while calculating replica count');
  const metrics = new Map(metricsIn);
  const timestampMs = latest(metrics);
  const g = groupPods(pods, metrics, resource, o);
  for (const n of [...g.ignored, ...g.unready]) metrics.delete(n);
  const requests = podRequests(pods, resource, container);
  if (metrics.size === 0) throw new ReplicaCalculationError('did not receive metrics for targeted pods (pods might be unready)');
  const first = resourceUtilizationRatio(metrics, requests, targetUtilization);
  const { ratio, utilization, rawAverage } = first;
  const rebalanceUnready = g.unready.size > 0 && ratio > 1;
  if (!rebalanceUnready && g.missing.size === 0) {
    if (Math.abs(1 - ratio) <= o.tolerance) return { replicas: currentReplicas, utilization, rawAverage, timestampMs };
    return { replicas: Math.ceil(ratio * g.readyPodCount), utilization, rawAverage, timestampMs };
  }
  if (g.missing.size > 0) {
    for (const n of g.missing) {
      if (ratio < 1) metrics.set(n, { value: requests.get(n) ?? 0, timestampMs, windowMs: 0 });
      else if (ratio > 1) metrics.set(n, { value: 0, timestampMs, windowMs: 0 });
    }
  }
  if (rebalanceUnready) for (const n of g.unready) metrics.set(n, { value: 0, timestampMs, windowMs: 0 });
  const { ratio: newRatio } = resourceUtilizationRatio(metrics, requests, targetUtilization);
  if (Math.abs(1 - newRatio) <= o.tolerance || (ratio < 1 && newRatio > 1) || (ratio > 1 && newRatio < 1)) {
    return { replicas: currentReplicas, utilization, rawAverage, timestampMs };
  }
  const replicas = Math.ceil(newRatio * metrics.size);
  if ((newRatio < 1 && replicas > currentReplicas) || (newRatio > 1 && replicas < currentReplicas)) {
    return { replicas: currentReplicas, utilization, rawAverage, timestampMs };
  }
  return { replicas, utilization, rawAverage, timestampMs };
}

/** GetRawResourceReplicas / calcPlainMetricReplicas: an AverageValue target (thousandths per pod). */
export function plainMetricReplicas(currentReplicas: number, targetMilli: number, resource: string, pods: Pod[], metricsIn: PodMetricsInfo, o: CalculatorOptions): { replicas: number; utilization: number; timestampMs: number } {
  if (pods.length === 0) throw new ReplicaCalculationError('no pods returned by selector while calculating replica count');
  const metrics = new Map(metricsIn);
  const timestampMs = latest(metrics);
  const g = groupPods(pods, metrics, resource, o);
  for (const n of [...g.ignored, ...g.unready]) metrics.delete(n);
  if (metrics.size === 0) throw new ReplicaCalculationError('did not receive metrics for targeted pods (pods might be unready)');
  const { ratio, utilization } = metricUtilizationRatio(metrics, targetMilli);
  const rebalanceUnready = g.unready.size > 0 && ratio > 1;
  if (!rebalanceUnready && g.missing.size === 0) {
    if (Math.abs(1 - ratio) <= o.tolerance) return { replicas: currentReplicas, utilization, timestampMs };
    return { replicas: Math.ceil(ratio * g.readyPodCount), utilization, timestampMs };
  }
  if (g.missing.size > 0) {
    for (const n of g.missing) metrics.set(n, { value: ratio < 1 ? targetMilli : 0, timestampMs, windowMs: 0 });
  }
  if (rebalanceUnready) for (const n of g.unready) metrics.set(n, { value: 0, timestampMs, windowMs: 0 });
  const { ratio: newRatio } = metricUtilizationRatio(metrics, targetMilli);
  if (Math.abs(1 - newRatio) <= o.tolerance || (ratio < 1 && newRatio > 1) || (ratio > 1 && newRatio < 1)) {
    return { replicas: currentReplicas, utilization, timestampMs };
  }
  const replicas = Math.ceil(newRatio * metrics.size);
  if ((newRatio < 1 && replicas > currentReplicas) || (newRatio > 1 && replicas < currentReplicas)) return { replicas: currentReplicas, utilization, timestampMs };
  return { replicas, utilization, timestampMs };
}
