// Scheduling constraints: tolerations, node and pod (anti-)affinity, topology spread.
import { atomicList, describe, enumOf, int32, int64, obj, str } from './builders.js';
import { labelSelectorSchema } from './meta.js';

const core = (name: string) => `io.k8s.api.core.v1.${name}`;

export const tolerationSchema = obj(
  {
    effect: enumOf(['NoExecute', 'NoSchedule', 'PreferNoSchedule'], 'Effect indicates the taint effect to match. Empty means match all taint effects.'),
    key: str('Key is the taint key that the toleration applies to. Empty means match all taint keys. If the key is empty, operator must be Exists.'),
    operator: enumOf(['Equal', 'Exists'], "Operator represents a key's relationship to the value. Valid operators are Exists and Equal. Defaults to Equal."),
    tolerationSeconds: int64('TolerationSeconds represents the period of time the toleration (which must be of effect NoExecute, otherwise this field is ignored) tolerates the taint.'),
    value: str('Value is the taint value the toleration matches to. If the operator is Exists, the value should be empty, otherwise just a regular string.'),
  },
  {
    description: 'The pod this Toleration is attached to tolerates any taint that matches the triple <key,value,effect> using the matching operator <operator>.',
    definitionName: core('Toleration'),
  },
);

const nodeSelectorRequirementSchema = obj(
  {
    key: str('The label key that the selector applies to.'),
    operator: enumOf(['DoesNotExist', 'Exists', 'Gt', 'In', 'Lt', 'NotIn'], "Represents a key's relationship to a set of values. Valid operators are In, NotIn, Exists, DoesNotExist. Gt, and Lt."),
    values: atomicList(str(), 'An array of string values. If the operator is In or NotIn, the values array must be non-empty. If the operator is Exists or DoesNotExist, the values array must be empty.'),
  },
  {
    description: 'A node selector requirement is a selector that contains values, a key, and an operator that relates the key and values.',
    required: ['key', 'operator'],
    definitionName: core('NodeSelectorRequirement'),
  },
);

const nodeSelectorTermSchema = obj(
  {
    matchExpressions: atomicList(nodeSelectorRequirementSchema, "A list of node selector requirements by node's labels."),
    matchFields: atomicList(nodeSelectorRequirementSchema, "A list of node selector requirements by node's fields."),
  },
  {
    description: 'A null or empty node selector term matches no objects. The requirements of them are ANDed.',
    mapType: 'atomic',
    definitionName: core('NodeSelectorTerm'),
  },
);

const nodeAffinitySchema = obj(
  {
    preferredDuringSchedulingIgnoredDuringExecution: atomicList(
      obj(
        {
          preference: describe(nodeSelectorTermSchema, 'A node selector term, associated with the corresponding weight.'),
          weight: int32('Weight associated with matching the corresponding nodeSelectorTerm, in the range 1-100.'),
        },
        {
          description: "An empty preferred scheduling term matches all objects with implicit weight 0 (i.e. it's a no-op).",
          required: ['weight', 'preference'],
          definitionName: core('PreferredSchedulingTerm'),
        },
      ),
      'The scheduler will prefer to schedule pods to nodes that satisfy the affinity expressions specified by this field, but it may choose a node that violates one or more of the expressions.',
    ),
    requiredDuringSchedulingIgnoredDuringExecution: obj(
      { nodeSelectorTerms: atomicList(nodeSelectorTermSchema, 'Required. A list of node selector terms. The terms are ORed.') },
      {
        description: 'If the affinity requirements specified by this field are not met at scheduling time, the pod will not be scheduled onto the node.',
        required: ['nodeSelectorTerms'],
        mapType: 'atomic',
        definitionName: core('NodeSelector'),
      },
    ),
  },
  { description: 'Describes node affinity scheduling rules for the pod.', definitionName: core('NodeAffinity') },
);

const podAffinityTermSchema = obj(
  {
    labelSelector: describe(labelSelectorSchema, "A label query over a set of resources, in this case pods. If it's null, this PodAffinityTerm matches with no Pods."),
    matchLabelKeys: atomicList(str(), 'MatchLabelKeys is a set of pod label keys to select which pods will be taken into consideration.'),
    mismatchLabelKeys: atomicList(str(), 'MismatchLabelKeys is a set of pod label keys to select which pods will be taken into consideration.'),
    namespaceSelector: describe(labelSelectorSchema, 'A label query over the set of namespaces that the term applies to.'),
    namespaces: atomicList(str(), 'namespaces specifies a static list of namespace names that the term applies to.'),
    topologyKey: str(
      'This pod should be co-located (affinity) or not co-located (anti-affinity) with the pods matching the labelSelector in the specified namespaces, where co-located is defined as running on a node whose value of the label with key topologyKey matches that of any node on which any of the selected pods is running. Empty topologyKey is not allowed.',
    ),
  },
  {
    description: 'Defines a set of pods (namely those matching the labelSelector relative to the given namespace(s)) that this pod should be co-located (affinity) or not co-located (anti-affinity) with.',
    required: ['topologyKey'],
    definitionName: core('PodAffinityTerm'),
  },
);

const weightedPodAffinityTermSchema = obj(
  {
    podAffinityTerm: describe(podAffinityTermSchema, 'Required. A pod affinity term, associated with the corresponding weight.'),
    weight: int32('weight associated with matching the corresponding podAffinityTerm, in the range 1-100.'),
  },
  {
    description: 'The weights of all of the matched WeightedPodAffinityTerm fields are added per-node to find the most preferred node(s)',
    required: ['weight', 'podAffinityTerm'],
    definitionName: core('WeightedPodAffinityTerm'),
  },
);

const podAffinityFields = (what: string) => ({
  preferredDuringSchedulingIgnoredDuringExecution: atomicList(
    weightedPodAffinityTermSchema,
    `The scheduler will prefer to schedule pods to nodes that satisfy the ${what} expressions specified by this field, but it may choose a node that violates one or more of the expressions.`,
  ),
  requiredDuringSchedulingIgnoredDuringExecution: atomicList(
    podAffinityTermSchema,
    `If the ${what} requirements specified by this field are not met at scheduling time, the pod will not be scheduled onto the node.`,
  ),
});

export const affinitySchema = obj(
  {
    nodeAffinity: nodeAffinitySchema,
    podAffinity: obj(podAffinityFields('affinity'), {
      description: 'Describes pod affinity scheduling rules (e.g. co-locate this pod in the same node, zone, etc. as some other pod(s)).',
      definitionName: core('PodAffinity'),
    }),
    podAntiAffinity: obj(podAffinityFields('anti-affinity'), {
      description: 'Describes pod anti-affinity scheduling rules (e.g. avoid putting this pod in the same node, zone, etc. as some other pod(s)).',
      definitionName: core('PodAntiAffinity'),
    }),
  },
  { description: "If specified, the pod's scheduling constraints", definitionName: core('Affinity') },
);

export const topologySpreadConstraintSchema = obj(
  {
    labelSelector: describe(labelSelectorSchema, 'LabelSelector is used to find matching pods.'),
    matchLabelKeys: atomicList(str(), 'MatchLabelKeys is a set of pod label keys to select the pods over which spreading will be calculated.'),
    maxSkew: int32('MaxSkew describes the degree to which pods may be unevenly distributed.'),
    minDomains: int32('MinDomains indicates a minimum number of eligible domains.'),
    nodeAffinityPolicy: enumOf(['Honor', 'Ignore'], "NodeAffinityPolicy indicates how we will treat Pod's nodeAffinity/nodeSelector when calculating pod topology spread skew."),
    nodeTaintsPolicy: enumOf(['Honor', 'Ignore'], 'NodeTaintsPolicy indicates how we will treat node taints when calculating pod topology spread skew.'),
    topologyKey: str('TopologyKey is the key of node labels. Nodes that have a label with this key and identical values are considered to be in the same topology.'),
    whenUnsatisfiable: enumOf(['DoNotSchedule', 'ScheduleAnyway'], "WhenUnsatisfiable indicates how to deal with a pod if it doesn't satisfy the spread constraint."),
  },
  {
    description: 'TopologySpreadConstraint specifies how to spread matching pods among the given topology.',
    required: ['maxSkew', 'topologyKey', 'whenUnsatisfiable'],
    definitionName: core('TopologySpreadConstraint'),
  },
);
