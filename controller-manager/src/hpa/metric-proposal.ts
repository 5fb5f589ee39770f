// One metric spec → one replica proposal plus its MetricStatus, as
// horizontal.go's computeStatusFor*Metric. Resource and ContainerResource
// metrics come from metrics.k8s.io; Pods, Object and External metrics need a
// custom or external metrics API, which Wharf does not serve.
import { milli, type MetricSpec, type MetricStatus, type Pod } from '@wharf/api';
import type { ApiClient } from '@wharf/client';
import { milliQuantity } from './conditions.js';
import { fetchResourceMetrics } from './metrics-client.js';
import type { HpaOptions } from './options.js';
import { plainMetricReplicas, resourceReplicas, type CalculatorOptions } from './replica-calculator.js';

export interface MetricContext {
  client: ApiClient;
  namespace: string;
  /** The scale target's selector (label query syntax). */
  selector: string;
  pods: Pod[];
  currentReplicas: number;
  options: HpaOptions;
  now: number;
}

export interface MetricProposal {
  replicas: number;
  /** How the rescale reason names the metric: "cpu resource utilization (percentage of request)". */
  metric: string;
  status: MetricStatus;
}

/** A failed metric, carrying the condition reason Kubernetes reports for its type. */
export class MetricProposalError extends Error {
  override name = 'MetricProposalError';
  constructor(
    readonly reason: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

function calcOptions(mc: MetricContext): CalculatorOptions {
  return { tolerance: mc.options.tolerance, cpuInitializationPeriodMs: mc.options.cpuInitializationPeriodMs, delayOfInitialReadinessStatusMs: mc.options.initialReadinessDelayMs, now: mc.now };
}

const msg = (err: unknown) => (err instanceof Error ? err.message : String(err));

export async function computeMetricProposal(spec: MetricSpec, mc: MetricContext): Promise<MetricProposal> {
  if (spec.type === 'Resource' || spec.type === 'ContainerResource') {
    const src = spec.type === 'Resource' ? spec.resource : spec.containerResource;
    const container = spec.type === 'ContainerResource' ? spec.containerResource?.container : undefined;
    const reason = spec.type === 'Resource' ? 'FailedGetResourceMetric' : 'FailedGetContainerResourceMetric';
    if (!src) throw new MetricProposalError(reason, `invalid ${spec.type} metric source: the ${spec.type === 'Resource' ? 'resource' : 'containerResource'} field is missing`);
    const name = src.name;
    const prefix = container ? `${name} container resource` : `${name} resource`;
    const status = (current: MetricStatus['resource'] & object): MetricStatus =>
      spec.type === 'Resource' ? { type: 'Resource', resource: current } : { type: 'ContainerResource', containerResource: { ...current, container: container ?? '' } };
    const fetch = async () => {
      try {
        return await fetchResourceMetrics(mc.client, mc.namespace, mc.selector, name, container);
      } catch (err) {
        throw new MetricProposalError(reason, `unable to get metrics for resource ${name}: ${msg(err)}`, { cause: err });
      }
    };
    if (src.target.averageValue !== undefined) {
      try {
        const metrics = await fetch();
        const r = plainMetricReplicas(mc.currentReplicas, milli(src.target.averageValue), name, mc.pods, metrics, calcOptions(mc));
        return { replicas: r.replicas, metric: prefix, status: status({ name, current: { averageValue: milliQuantity(r.utilization) } }) };
      } catch (err) {
        throw new MetricProposalError(reason, `failed to get ${name} utilization: ${msg(err)}`, { cause: err });
      }
    }
    if (src.target.averageUtilization === undefined) {
      throw new MetricProposalError(reason, `invalid resource metric source: neither a utilization target nor a value target was set`);
    }
    try {
      const metrics = await fetch();
      const r = resourceReplicas(mc.currentReplicas, src.target.averageUtilization, name, mc.pods, metrics, calcOptions(mc), container);
      return {
        replicas: r.replicas,
        metric: `${prefix} utilization (percentage of request)`,
        status: status({ name, current: { averageUtilization: r.utilization, averageValue: milliQuantity(r.rawAverage) } }),
      };
    } catch (err) {
      throw new MetricProposalError(reason, `failed to get ${name} utilization: ${msg(err)}`, { cause: err });
    }
  }
  const reasons: Record<string, string> = { Pods: 'FailedGetPodsMetric', Object: 'FailedGetObjectMetric', External: 'FailedGetExternalMetric' };
  const api = spec.type === 'External' ? 'external.metrics.k8s.io' : 'custom.metrics.k8s.io';
  if (reasons[spec.type]) throw new MetricProposalError(reasons[spec.type]!, `unable to get metric: no ${api} API is served by this cluster`);
  throw new MetricProposalError('InvalidMetricSourceType', `unknown metric source type "${String(spec.type)}"`);
}
