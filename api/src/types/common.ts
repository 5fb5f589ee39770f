// Small shapes shared by many kinds: quantities, selectors, references, conditions.

/** A resource quantity as it travels in JSON: "100m", "64Mi", "2" (numbers are accepted on input). */
export type Quantity = string;

/** intstr.IntOrString: a port number or name, a count or a percentage ("25%"). */
export type IntOrString = number | string;

/** corev1.ResourceList: resource name → quantity. */
export type ResourceList = Record<string, Quantity>;

export type LabelSelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

export interface LabelSelectorRequirement {
  key: string;
  operator: LabelSelectorOperator | string;
  values?: string[];
}

/** metav1.LabelSelector: matchLabels and matchExpressions are ANDed. */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

export type ConditionStatus = 'True' | 'False' | 'Unknown';

/** metav1.Condition: the standard condition shape of newer APIs. */
export interface Condition {
  type: string;
  status: ConditionStatus;
  observedGeneration?: number;
  lastTransitionTime: string;
  reason: string;
  message: string;
}

/** corev1.ObjectReference. */
export interface ObjectReference {
  kind?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  apiVersion?: string;
  resourceVersion?: string;
  fieldPath?: string;
}

/** corev1.LocalObjectReference: a name in the same namespace. */
export interface LocalObjectReference {
  name?: string;
}

/** Keys of a ConfigMap or Secret projected to files. */
export interface KeyToPath {
  key: string;
  path: string;
  mode?: number;
}

export type Protocol = 'TCP' | 'UDP' | 'SCTP';
