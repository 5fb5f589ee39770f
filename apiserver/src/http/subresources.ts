// Subresources that are writes of their parent object: scale (Deployments and
// ReplicaSets, as autoscaling/v1 Scale) and binding (the scheduler's write).
import {
  ConflictError,
  InvalidError,
  invalid,
  scaleFromObject,
  type KubeObject,
} from '@wharf/api';
import type { WriteOptions } from '../registry/context.js';
import { nowRfc3339 } from '../registry/object-meta.js';
import type { Registry } from '../registry/registry.js';
import type { ResourceRequest } from '../request-info.js';

export async function setScale(
  registry: Registry,
  ri: ResourceRequest,
  scale: KubeObject & { spec?: { replicas?: number } },
  expectedRv: string | undefined,
  options: WriteOptions,
): Promise<KubeObject> {
  const replicas = scale.spec?.replicas;
  if (replicas === undefined || !Number.isInteger(replicas) || replicas < 0) {
    throw new InvalidError('Scale', ri.name!, [invalid('spec.replicas', replicas ?? null, 'must be greater than or equal to 0')], 'autoscaling');
  }
  const updated = await registry.guaranteedUpdate(
    { info: ri.info, namespace: ri.namespace, name: ri.name!, subresource: 'scale', expectedRv, options },
    (current) => {
      const spec = ((current['spec'] ?? {}) as Record<string, unknown>);
      spec['replicas'] = replicas;
      current['spec'] = spec;
      return current;
    },
  );
  return scaleFromObject(updated);
}

const POD = { group: '', version: 'v1', plural: 'pods' };

export async function bindPod(registry: Registry, namespace: string | undefined, podName: string, binding: Record<string, unknown>, options: WriteOptions): Promise<void> {
  const target = (binding['target'] ?? {}) as { kind?: string; name?: string };
  if (!target.name) throw new InvalidError('Binding', podName, [invalid('target.name', target.name ?? '', 'must be set')]);
  if (target.kind !== undefined && target.kind !== '' && target.kind !== 'Node') {
    throw new InvalidError('Binding', podName, [invalid('target.kind', target.kind, 'must be empty or Node')]);
  }
  const info = registry.resourceInfo(POD.group, POD.version, POD.plural);
  await registry.guaranteedUpdate({ info, namespace, name: podName, subresource: 'binding', options }, (pod) => {
    const spec = (pod['spec'] ?? {}) as { nodeName?: string };
    if (pod.metadata.deletionTimestamp) throw new ConflictError('pods', podName, '', 'pod is being deleted, cannot be assigned to a host');
    if (spec.nodeName) throw new ConflictError('pods', podName, '', `pod ${podName} is already assigned to node "${spec.nodeName}"`);
    spec.nodeName = target.name!;
    pod['spec'] = spec;
    const status = (pod['status'] ?? {}) as { conditions?: Array<Record<string, unknown>> };
    const conditions = (status.conditions ?? []).filter((c) => c['type'] !== 'PodScheduled');
    conditions.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: nowRfc3339() });
    status.conditions = conditions;
    pod['status'] = status;
    const annotations = (binding['metadata'] as { annotations?: Record<string, string> } | undefined)?.annotations;
    if (annotations) pod.metadata.annotations = { ...(pod.metadata.annotations ?? {}), ...annotations };
    return pod;
  });
}
