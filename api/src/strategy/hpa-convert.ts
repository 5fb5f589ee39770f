// HorizontalPodAutoscaler conversion between autoscaling/v2 (stored) and
// autoscaling/v1, as Kubernetes converts: v1 carries only the CPU utilization
// target; every other metric, the current metrics, the conditions and the
// behavior ride in `autoscaling.alpha.kubernetes.io/*` annotations so that a
// v1 read-modify-write round-trips without losing v2 data.
import type { KubeObject } from '../meta.js';
import { arr, isObj, obj, str, type Json } from './field-errors.js';

export const HPA_METRICS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/metrics';
export const HPA_CURRENT_METRICS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/current-metrics';
export const HPA_CONDITIONS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/conditions';
export const HPA_BEHAVIOR_ANNOTATION = 'autoscaling.alpha.kubernetes.io/behavior';
const ROUND_TRIP = [HPA_METRICS_ANNOTATION, HPA_CURRENT_METRICS_ANNOTATION, HPA_CONDITIONS_ANNOTATION, HPA_BEHAVIOR_ANNOTATION];

/** Drops undefined members so converted objects serialize like Go's omitempty. */
function compact(o: Json): Json {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}

function isCpuUtilization(m: Json): boolean {
  const r = obj(m.resource);
  return m.type === 'Resource' && r?.name === 'cpu' && obj(r.target)?.averageUtilization !== undefined;
}

function metricToV1(m: Json): Json {
  const type = m.type;
  const t = (src: Json | undefined) => obj(src?.target) ?? {};
  switch (type) {
    case 'Resource':
    case 'ContainerResource': {
      const src = obj(type === 'Resource' ? m.resource : m.containerResource) ?? {};
      const out = compact({ name: src.name, targetAverageUtilization: t(src).averageUtilization, targetAverageValue: t(src).averageValue, container: src.container });
      return type === 'Resource' ? { type, resource: out } : { type, containerResource: out };
    }
    case 'Pods': {
      const src = obj(m.pods) ?? {};
      const metric = obj(src.metric) ?? {};
      return { type, pods: compact({ metricName: metric.name, targetAverageValue: t(src).averageValue, selector: metric.selector }) };
    }
    case 'Object': {
      const src = obj(m.object) ?? {};
      const metric = obj(src.metric) ?? {};
      return {
        type,
        object: compact({ target: src.describedObject, metricName: metric.name, targetValue: t(src).value, selector: metric.selector, averageValue: t(src).averageValue }),
      };
    }
    case 'External': {
      const src = obj(m.external) ?? {};
      const metric = obj(src.metric) ?? {};
      return {
        type,
        external: compact({ metricName: metric.name, metricSelector: metric.selector, targetValue: t(src).value, targetAverageValue: t(src).averageValue }),
      };
    }
    default:
      return { ...m };
  }
}

function metricFromV1(m: Json): Json {
  const type = m.type;
  switch (type) {
    case 'Resource':
    case 'ContainerResource': {
      const src = obj(type === 'Resource' ? m.resource : m.containerResource) ?? {};
      const util = src.targetAverageUtilization;
      const target = compact({ type: util === undefined ? 'AverageValue' : 'Utilization', averageUtilization: util, averageValue: src.targetAverageValue });
      const out = compact({ name: src.name, container: src.container, target });
      return type === 'Resource' ? { type, resource: out } : { type, containerResource: out };
    }
    case 'Pods': {
      const src = obj(m.pods) ?? {};
      return { type, pods: { metric: compact({ name: src.metricName, selector: src.selector }), target: compact({ type: 'AverageValue', averageValue: src.targetAverageValue }) } };
    }
    case 'Object': {
      const src = obj(m.object) ?? {};
      const target = compact({ type: src.averageValue === undefined ? 'Value' : 'AverageValue', value: src.targetValue, averageValue: src.averageValue });
      return { type, object: { describedObject: src.target, metric: compact({ name: src.metricName, selector: src.selector }), target } };
    }
    case 'External': {
      const src = obj(m.external) ?? {};
      const target = compact({ type: src.targetValue !== undefined ? 'Value' : 'AverageValue', value: src.targetValue, averageValue: src.targetAverageValue });
      return { type, external: { metric: compact({ name: src.metricName, selector: src.metricSelector }), target } };
    }
    default:
      return { ...m };
  }
}

function statusToV1(m: Json): Json {
  const type = m.type;
  const cur = (src: Json | undefined) => obj(src?.current) ?? {};
  switch (type) {
    case 'Resource':
    case 'ContainerResource': {
      const src = obj(type === 'Resource' ? m.resource : m.containerResource) ?? {};
      const out = compact({ name: src.name, currentAverageUtilization: cur(src).averageUtilization, currentAverageValue: cur(src).averageValue, container: src.container });
      return type === 'Resource' ? { type, resource: out } : { type, containerResource: out };
    }
    case 'Pods': {
      const src = obj(m.pods) ?? {};
      const metric = obj(src.metric) ?? {};
      return { type, pods: compact({ metricName: metric.name, currentAverageValue: cur(src).averageValue, selector: metric.selector }) };
    }
    case 'Object': {
      const src = obj(m.object) ?? {};
      const metric = obj(src.metric) ?? {};
      return {
        type,
        object: compact({ target: src.describedObject, metricName: metric.name, currentValue: cur(src).value, selector: metric.selector, averageValue: cur(src).averageValue }),
      };
    }
    case 'External': {
      const src = obj(m.external) ?? {};
      const metric = obj(src.metric) ?? {};
      return {
        type,
        external: compact({ metricName: metric.name, metricSelector: metric.selector, currentValue: cur(src).value, currentAverageValue: cur(src).averageValue }),
      };
    }
    default:
      return { ...m };
  }
}

function statusFromV1(m: Json): Json {
  const type = m.type;
  switch (type) {
    case 'Resource':
    case 'ContainerResource': {
      const src = obj(type === 'Resource' ? m.resource : m.containerResource) ?? {};
      const out = compact({ name: src.name, container: src.container, current: compact({ averageUtilization: src.currentAverageUtilization, averageValue: src.currentAverageValue }) });
      return type === 'Resource' ? { type, resource: out } : { type, containerResource: out };
    }
    case 'Pods': {
      const src = obj(m.pods) ?? {};
      return { type, pods: { metric: compact({ name: src.metricName, selector: src.selector }), current: compact({ averageValue: src.currentAverageValue }) } };
    }
    case 'Object': {
      const src = obj(m.object) ?? {};
      return {
        type,
        object: { describedObject: src.target, metric: compact({ name: src.metricName, selector: src.selector }), current: compact({ value: src.currentValue, averageValue: src.averageValue }) },
      };
    }
    case 'External': {
      const src = obj(m.external) ?? {};
      return {
        type,
        external: { metric: compact({ name: src.metricName, selector: src.metricSelector }), current: compact({ value: src.currentValue, averageValue: src.currentAverageValue }) },
      };
    }
    default:
      return { ...m };
  }
}

/** Kubernetes stores the behavior annotation as its internal Go struct, whose JSON keys are the Go field names. */
function goKeys(v: unknown, upper: boolean): unknown {
  if (Array.isArray(v)) return v.map((x) => goKeys(x, upper));
  if (!isObj(v)) return v;
  const out: Json = {};
  for (const [k, x] of Object.entries(v)) out[(upper ? k[0]?.toUpperCase() : k[0]?.toLowerCase()) + k.slice(1)] = goKeys(x, upper);
  return out;
}

function parseJsonArray(text: string | undefined): Json[] | undefined {
  if (text === undefined) return undefined;
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) ? v.filter(isObj) : undefined;
  } catch {
    return undefined;
  }
}

function cleanAnnotations(meta: Json): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj(meta.annotations) ?? {})) if (!ROUND_TRIP.includes(k) && typeof v === 'string') out[k] = v;
  return out;
}

/** autoscaling/v2 → autoscaling/v1. The input is not modified. */
export function convertHpaV2ToV1(hpa: KubeObject): KubeObject {
  const src = structuredClone(hpa);
  const meta = (obj(src.metadata) ?? {}) as Json;
  const spec = obj(src.spec) ?? {};
  const status = obj(src.status) ?? {};
  const annotations = cleanAnnotations(meta);
  const metrics = arr(spec.metrics).filter(isObj);
  const cpu = metrics.find((m) => m.type === 'Resource' && obj(m.resource)?.name === 'cpu');
  const others = metrics.filter((m) => !isCpuUtilization(m)).map(metricToV1);
  if (others.length > 0) annotations[HPA_METRICS_ANNOTATION] = JSON.stringify(others);
  const current = arr(status.currentMetrics).filter(isObj);
  if (current.length > 0) annotations[HPA_CURRENT_METRICS_ANNOTATION] = JSON.stringify(current.map(statusToV1));
  if (isObj(spec.behavior)) annotations[HPA_BEHAVIOR_ANNOTATION] = JSON.stringify(goKeys(spec.behavior, true));
  const conditions = arr(status.conditions);
  if (conditions.length > 0) annotations[HPA_CONDITIONS_ANNOTATION] = JSON.stringify(conditions);
  const cpuCurrent = current.find((m) => m.type === 'Resource' && obj(m.resource)?.name === 'cpu');
  const outMeta: Json = { ...meta };
  if (Object.keys(annotations).length > 0) outMeta.annotations = annotations;
  else delete outMeta.annotations;
  return {
    apiVersion: 'autoscaling/v1',
    kind: 'HorizontalPodAutoscaler',
    metadata: outMeta,
    spec: compact({
      scaleTargetRef: spec.scaleTargetRef,
      minReplicas: spec.minReplicas,
      maxReplicas: spec.maxReplicas,
      targetCPUUtilizationPercentage: obj(obj(cpu?.resource)?.target)?.averageUtilization,
    }),
    status: compact({
      observedGeneration: status.observedGeneration,
      lastScaleTime: status.lastScaleTime,
      currentReplicas: status.currentReplicas ?? 0,
      desiredReplicas: status.desiredReplicas ?? 0,
      currentCPUUtilizationPercentage: obj(obj(cpuCurrent?.resource)?.current)?.averageUtilization,
    }),
  };
}

/** autoscaling/v1 → autoscaling/v2, restoring what the round-trip annotations carry. The input is not modified. */
export function convertHpaV1ToV2(hpa: KubeObject): KubeObject {
  const src = structuredClone(hpa);
  const meta = (obj(src.metadata) ?? {}) as Json;
  const given = obj(meta.annotations) ?? {};
  const spec = obj(src.spec) ?? {};
  const status = obj(src.status) ?? {};
  const metrics: Json[] = (parseJsonArray(str(given[HPA_METRICS_ANNOTATION])) ?? []).map(metricFromV1);
  if (typeof spec.targetCPUUtilizationPercentage === 'number') {
    metrics.push({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: spec.targetCPUUtilizationPercentage } } });
  }
  let behavior: unknown;
  const behaviorText = str(given[HPA_BEHAVIOR_ANNOTATION]);
  if (behaviorText !== undefined) {
    try {
      const parsed = goKeys(JSON.parse(behaviorText), false);
      if (isObj(parsed) && Object.keys(parsed).length > 0) behavior = parsed;
    } catch {
      behavior = undefined;
    }
  }
  let currentMetrics: Json[] | undefined = parseJsonArray(str(given[HPA_CURRENT_METRICS_ANNOTATION]))?.map(statusFromV1);
  if (!currentMetrics && typeof status.currentCPUUtilizationPercentage === 'number') {
    currentMetrics = [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: status.currentCPUUtilizationPercentage } } }];
  }
  const conditions = parseJsonArray(str(given[HPA_CONDITIONS_ANNOTATION]));
  const annotations = cleanAnnotations(meta);
  const outMeta: Json = { ...meta };
  if (Object.keys(annotations).length > 0) outMeta.annotations = annotations;
  else delete outMeta.annotations;
  // v1 implied 80% CPU when nothing was given; v2 states it.
  if (metrics.length === 0) metrics.push({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } });
  const out: KubeObject = {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: outMeta,
    spec: compact({ scaleTargetRef: spec.scaleTargetRef, minReplicas: spec.minReplicas, maxReplicas: spec.maxReplicas, metrics, behavior }),
  };
  if (isObj(src.status)) {
    out.status = compact({
      observedGeneration: status.observedGeneration,
      lastScaleTime: status.lastScaleTime,
      currentReplicas: status.currentReplicas,
      desiredReplicas: status.desiredReplicas,
      currentMetrics,
      conditions,
    });
  }
  return out;
}
