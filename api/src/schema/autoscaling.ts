// autoscaling/v1 Scale, and HorizontalPodAutoscaler in v2 (stored) and v1.
import { atomicList, describe, enumOf, int32, int64, obj, quantity, str, time } from './builders.js';
import { conditionSchema, conditionsList, defineKind, labelSelectorSchema, SPEC_DESCRIPTION, STATUS_DESCRIPTION } from './meta.js';
import type { KindSchema } from './schema.js';

const v1 = (name: string) => `io.k8s.api.autoscaling.v1.${name}`;
const v2 = (name: string) => `io.k8s.api.autoscaling.v2.${name}`;

export const SCALE_SCHEMA: KindSchema = defineKind({
  group: 'autoscaling',
  version: 'v1',
  kind: 'Scale',
  pkg: 'autoscaling.v1',
  description: 'Scale represents a scaling request for a resource.',
  fields: {
    spec: obj(
      { replicas: int32('replicas is the desired number of instances for the scaled object.') },
      { description: `spec defines the behavior of the scale. ${SPEC_DESCRIPTION}`, definitionName: v1('ScaleSpec') },
    ),
    status: obj(
      {
        replicas: int32('replicas is the actual number of observed instances of the scaled object.'),
        selector: str('selector is the label query over pods that should match the replicas count. This is same as the label selector but in the string format to avoid introspection by clients.'),
      },
      { description: `status is the current status of the scale. ${STATUS_DESCRIPTION}`, required: ['replicas'], definitionName: v1('ScaleStatus') },
    ),
  },
});

const crossVersionObjectReference = (def: string) =>
  obj(
    { apiVersion: str('apiVersion is the API version of the referent'), kind: str('kind is the kind of the referent'), name: str('name is the name of the referent') },
    { description: 'CrossVersionObjectReference contains enough information to let you identify the referred resource.', required: ['kind', 'name'], mapType: 'atomic', definitionName: def },
  );

const metricTargetSchema = obj(
  {
    averageUtilization: int32(
      'averageUtilization is the target value of the average of the resource metric across all relevant pods, represented as a percentage of the requested value of the resource for the pods. Currently only valid for Resource metric source type',
    ),
    averageValue: quantity('averageValue is the target value of the average of the metric across all relevant pods (as a quantity)'),
    type: enumOf(['AverageValue', 'Utilization', 'Value'], 'type represents whether the metric type is Utilization, Value, or AverageValue'),
    value: quantity('value is the target value of the metric (as a quantity).'),
  },
  { description: 'MetricTarget defines the target value, average value, or average utilization of a specific metric', required: ['type'], definitionName: v2('MetricTarget') },
);

const metricValueStatusSchema = obj(
  {
    averageUtilization: int32('currentAverageUtilization is the current value of the average of the resource metric across all relevant pods, represented as a percentage of the requested value of the resource for the pods.'),
    averageValue: quantity('averageValue is the current value of the average of the metric across all relevant pods (as a quantity)'),
    value: quantity('value is the current value of the metric (as a quantity).'),
  },
  { description: 'MetricValueStatus holds the current value for a metric', definitionName: v2('MetricValueStatus') },
);

const metricIdentifierSchema = obj(
  {
    name: str('name is the name of the given metric'),
    selector: describe(labelSelectorSchema, 'selector is the string-encoded form of a standard kubernetes label selector for the given metric.'),
  },
  { description: 'MetricIdentifier defines the name and optionally selector for a metric', required: ['name'], definitionName: v2('MetricIdentifier') },
);

const source = (def: string, description: string, fields: Record<string, ReturnType<typeof obj> | ReturnType<typeof str>>, value: 'target' | 'current') =>
  obj(
    { ...fields, [value]: value === 'target' ? describe(metricTargetSchema, 'target specifies the target value for the given metric') : describe(metricValueStatusSchema, 'current contains the current value for the given metric') },
    { description, required: [...Object.keys(fields).filter((k) => k !== 'selector'), value], definitionName: v2(def) },
  );

function metricUnion(value: 'target' | 'current') {
  const suffix = value === 'target' ? 'Source' : 'Status';
  const ref = crossVersionObjectReference(v2('CrossVersionObjectReference'));
  return {
    containerResource: source(
      `ContainerResourceMetric${suffix}`,
      'containerResource refers to a resource metric (such as those specified in requests and limits) known to Kubernetes describing a single container in each pod of the current scale target (e.g. CPU or memory).',
      { container: str('container is the name of the container in the pods of the scaling target'), name: str('name is the name of the resource in question.') },
      value,
    ),
    external: source(
      `ExternalMetric${suffix}`,
      'external refers to a global metric that is not associated with any Kubernetes object.',
      { metric: describe(metricIdentifierSchema, 'metric identifies the target metric by name and selector') },
      value,
    ),
    object: source(
      `ObjectMetric${suffix}`,
      'object refers to a metric describing a single kubernetes object (for example, hits-per-second on an Ingress object).',
      { describedObject: describe(ref, 'describedObject specifies the descriptions of a object,such as kind,name apiVersion'), metric: describe(metricIdentifierSchema, 'metric identifies the target metric by name and selector') },
      value,
    ),
    pods: source(
      `PodsMetric${suffix}`,
      'pods refers to a metric describing each pod in the current scale target (for example, transactions-processed-per-second).',
      { metric: describe(metricIdentifierSchema, 'metric identifies the target metric by name and selector') },
      value,
    ),
    resource: source(
      `ResourceMetric${suffix}`,
      'resource refers to a resource metric (such as those specified in requests and limits) known to Kubernetes describing each pod in the current scale target (e.g. CPU or memory).',
      { name: str('name is the name of the resource in question.') },
      value,
    ),
    type: enumOf(
      ['ContainerResource', 'External', 'Object', 'Pods', 'Resource'],
      'type is the type of metric source.  It should be one of "ContainerResource", "External", "Object", "Pods" or "Resource", each mapping to a matching field in the object.',
    ),
  };
}

const scalingRulesSchema = obj(
  {
    policies: atomicList(
      obj(
        {
          periodSeconds: int32('periodSeconds specifies the window of time for which the policy should hold true. PeriodSeconds must be greater than zero and less than or equal to 1800 (30 min).'),
          type: enumOf(['Percent', 'Pods'], 'type is used to specify the scaling policy.'),
          value: int32('value contains the amount of change which is permitted by the policy. It must be greater than zero'),
        },
        { description: 'HPAScalingPolicy is a single policy which must hold true for a specified past interval.', required: ['type', 'value', 'periodSeconds'], definitionName: v2('HPAScalingPolicy') },
      ),
      'policies is a list of potential scaling polices which can be used during scaling. At least one policy must be specified, otherwise the HPAScalingRules will be discarded as invalid',
    ),
    selectPolicy: enumOf(['Disabled', 'Max', 'Min'], 'selectPolicy is used to specify which policy should be used. If not set, the default value Max is used.'),
    stabilizationWindowSeconds: int32(
      'stabilizationWindowSeconds is the number of seconds for which past recommendations should be considered while scaling up or scaling down. StabilizationWindowSeconds must be greater than or equal to zero and less than or equal to 3600 (one hour).',
    ),
    tolerance: quantity('tolerance is the tolerance on the ratio between the current and desired metric value under which no updates are made to the desired number of replicas.'),
  },
  { description: 'HPAScalingRules configures the scaling behavior for one direction.', definitionName: v2('HPAScalingRules') },
);

const hpaV2SpecSchema = obj(
  {
    behavior: obj(
      {
        scaleDown: describe(scalingRulesSchema, 'scaleDown is scaling policy for scaling Down. If not set, the default value is to allow to scale down to minReplicas pods, with a 300 second stabilization window.'),
        scaleUp: describe(scalingRulesSchema, 'scaleUp is scaling policy for scaling Up. If not set, the default value is the higher of: increase no more than 4 pods per 60 seconds, double the number of pods per 60 seconds. No stabilization is used.'),
      },
      {
        description: 'behavior configures the scaling behavior of the target in both Up and Down directions (scaleUp and scaleDown fields respectively). If not set, the default HPAScalingRules for scale up and scale down are used.',
        definitionName: v2('HorizontalPodAutoscalerBehavior'),
      },
    ),
    maxReplicas: int32('maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up. It cannot be less that minReplicas.'),
    metrics: atomicList(
      obj(metricUnion('target'), {
        description: 'MetricSpec specifies how to scale based on a single metric (only `type` and one other matching field should be set at once).',
        required: ['type'],
        definitionName: v2('MetricSpec'),
      }),
      'metrics contains the specifications for which to use to calculate the desired replica count (the maximum replica count across all metrics will be used). If not set, the default metric will be set to 80% average CPU utilization.',
    ),
    minReplicas: int32('minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down. It defaults to 1 pod.'),
    scaleTargetRef: crossVersionObjectReference(v2('CrossVersionObjectReference')),
  },
  { description: 'HorizontalPodAutoscalerSpec describes the desired functionality of the HorizontalPodAutoscaler.', required: ['scaleTargetRef', 'maxReplicas'], definitionName: v2('HorizontalPodAutoscalerSpec') },
);

const hpaV2StatusSchema = obj(
  {
    conditions: conditionsList(
      conditionSchema(v2('HorizontalPodAutoscalerCondition'), 'HorizontalPodAutoscalerCondition describes the state of a HorizontalPodAutoscaler at a certain point.'),
      'conditions is the set of conditions required for this autoscaler to scale its target, and indicates whether or not those conditions are met.',
    ),
    currentMetrics: atomicList(
      obj(metricUnion('current'), { description: 'MetricStatus describes the last-read state of a single metric.', required: ['type'], definitionName: v2('MetricStatus') }),
      'currentMetrics is the last read state of the metrics used by this autoscaler.',
    ),
    currentReplicas: int32('currentReplicas is current number of replicas of pods managed by this autoscaler, as last seen by the autoscaler.'),
    desiredReplicas: int32('desiredReplicas is the desired number of replicas of pods managed by this autoscaler, as last calculated by the autoscaler.'),
    lastScaleTime: time('lastScaleTime is the last time the HorizontalPodAutoscaler scaled the number of pods, used by the autoscaler to control how often the number of pods is changed.'),
    observedGeneration: int64('observedGeneration is the most recent generation observed by this autoscaler.'),
  },
  { description: 'HorizontalPodAutoscalerStatus describes the current status of a horizontal pod autoscaler.', required: ['desiredReplicas'], definitionName: v2('HorizontalPodAutoscalerStatus') },
);

const HPA_DESCRIPTION =
  'HorizontalPodAutoscaler is the configuration for a horizontal pod autoscaler, which automatically manages the replica count of any resource implementing the scale subresource based on the metrics specified.';

export const HPA_V2_SCHEMA: KindSchema = defineKind({
  group: 'autoscaling',
  version: 'v2',
  kind: 'HorizontalPodAutoscaler',
  pkg: 'autoscaling.v2',
  description: HPA_DESCRIPTION,
  fields: {
    spec: describe(hpaV2SpecSchema, `spec is the specification for the behaviour of the autoscaler. ${SPEC_DESCRIPTION}`),
    status: describe(hpaV2StatusSchema, 'status is the current information about the autoscaler.'),
  },
});

export const HPA_V1_SCHEMA: KindSchema = defineKind({
  group: 'autoscaling',
  version: 'v1',
  kind: 'HorizontalPodAutoscaler',
  pkg: 'autoscaling.v1',
  description: 'configuration of a horizontal pod autoscaler.',
  fields: {
    spec: obj(
      {
        maxReplicas: int32('maxReplicas is the upper limit for the number of pods that can be set by the autoscaler; cannot be smaller than MinReplicas.'),
        minReplicas: int32('minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down. It defaults to 1 pod.'),
        scaleTargetRef: crossVersionObjectReference(v1('CrossVersionObjectReference')),
        targetCPUUtilizationPercentage: int32(
          'targetCPUUtilizationPercentage is the target average CPU utilization (represented as a percentage of requested CPU) over all the pods; if not specified the default autoscaling policy will be used.',
        ),
      },
      { description: `spec defines the behaviour of autoscaler. ${SPEC_DESCRIPTION}`, required: ['scaleTargetRef', 'maxReplicas'], definitionName: v1('HorizontalPodAutoscalerSpec') },
    ),
    status: obj(
      {
        currentCPUUtilizationPercentage: int32(
          'currentCPUUtilizationPercentage is the current average CPU utilization over all pods, represented as a percentage of requested CPU, e.g. 70 means that an average pod is using now 70% of its requested CPU.',
        ),
        currentReplicas: int32('currentReplicas is the current number of replicas of pods managed by this autoscaler.'),
        desiredReplicas: int32('desiredReplicas is the desired number of replicas of pods managed by this autoscaler.'),
        lastScaleTime: time('lastScaleTime is the last time the HorizontalPodAutoscaler scaled the number of pods; used by the autoscaler to control how often the number of pods is changed.'),
        observedGeneration: int64('observedGeneration is the most recent generation observed by this autoscaler.'),
      },
      { description: `status is the current information about the autoscaler. ${STATUS_DESCRIPTION}`, required: ['currentReplicas', 'desiredReplicas'], definitionName: v1('HorizontalPodAutoscalerStatus') },
    ),
  },
});
