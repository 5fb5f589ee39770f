// The protobufjs root holding every message Wharf decodes, and the kinds a
// request body may carry.
import protobuf from 'protobufjs';
import { CORE_CONTAINER_PROTO } from './proto/core-container.js';
import { CORE_OBJECTS_PROTO } from './proto/core-objects.js';
import { CORE_POD_PROTO } from './proto/core-pod.js';
import { APPS_PROTO, AUTOSCALING_V1_PROTO, AUTOSCALING_V2_PROTO, COORDINATION_PROTO, POLICY_PROTO } from './proto/groups.js';
import { INTSTR_PROTO, META_PROTO, METAV1_PROTO, RESOURCE_PROTO } from './proto/meta.js';

const SOURCES = [META_PROTO, INTSTR_PROTO, RESOURCE_PROTO, METAV1_PROTO, CORE_CONTAINER_PROTO, CORE_POD_PROTO, CORE_OBJECTS_PROTO, APPS_PROTO, AUTOSCALING_V1_PROTO, AUTOSCALING_V2_PROTO, COORDINATION_PROTO, POLICY_PROTO];

let root: protobuf.Root | undefined;

/** All definitions, parsed once and resolved so every type reference is checked up front. */
export function protoRoot(): protobuf.Root {
  if (!root) {
    const r = new protobuf.Root();
    // keepCase: the proto field names are the JSON field names.
    for (const source of SOURCES) protobuf.parse(source, r, { keepCase: true });
    r.resolveAll();
    root = r;
  }
  return root;
}

/** apiVersion + kind → fully qualified message name, for every kind a body may carry. */
export const KIND_MESSAGES: Readonly<Record<string, string>> = {
  'v1/Pod': 'k8s.io.api.core.v1.Pod',
  'v1/Binding': 'k8s.io.api.core.v1.Binding',
  'v1/Service': 'k8s.io.api.core.v1.Service',
  'v1/ConfigMap': 'k8s.io.api.core.v1.ConfigMap',
  'v1/Secret': 'k8s.io.api.core.v1.Secret',
  'v1/Namespace': 'k8s.io.api.core.v1.Namespace',
  'v1/ServiceAccount': 'k8s.io.api.core.v1.ServiceAccount',
  'v1/Event': 'k8s.io.api.core.v1.Event',
  'apps/v1/Deployment': 'k8s.io.api.apps.v1.Deployment',
  'apps/v1/ReplicaSet': 'k8s.io.api.apps.v1.ReplicaSet',
  'autoscaling/v1/HorizontalPodAutoscaler': 'k8s.io.api.autoscaling.v1.HorizontalPodAutoscaler',
  'autoscaling/v1/Scale': 'k8s.io.api.autoscaling.v1.Scale',
  'autoscaling/v2/HorizontalPodAutoscaler': 'k8s.io.api.autoscaling.v2.HorizontalPodAutoscaler',
  'coordination.k8s.io/v1/Lease': 'k8s.io.api.coordination.v1.Lease',
  'policy/v1/Eviction': 'k8s.io.api.policy.v1.Eviction',
};

export function messageTypeFor(apiVersion: string, kind: string): protobuf.Type | undefined {
  const name = KIND_MESSAGES[`${apiVersion}/${kind}`];
  return name ? protoRoot().lookupType(name) : undefined;
}
