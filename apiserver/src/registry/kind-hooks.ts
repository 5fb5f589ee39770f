// The few ways kinds differ inside the generic registry: which have a status
// subresource (so main-resource writes keep the stored status), how status is
// reset on create, and which deletions are graceful.
import { podQosClass, type KubeObject, type ResourceInfo } from '@wharf/api';

export interface DeleteOptionsBody {
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  orphanDependents?: boolean;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: string[];
}

export interface KindHooks {
  prepareForCreate(obj: KubeObject): void;
  /**
   * Seconds of grace a delete gets, or 0 to remove at once. Only pods bound to
   * a node wait: their node agent stops the containers and confirms with grace 0.
   */
  gracePeriod(obj: KubeObject, options: DeleteOptionsBody): number;
}

const defaults: KindHooks = {
  prepareForCreate(obj) {
    if ('status' in obj) delete obj['status'];
  },
  gracePeriod: () => 0,
};

const podHooks: KindHooks = {
  prepareForCreate(obj) {
    obj['status'] = { phase: 'Pending', qosClass: podQosClass((obj['spec'] ?? {}) as Record<string, unknown>) };
  },
  gracePeriod(obj, options) {
    const spec = (obj['spec'] ?? {}) as { nodeName?: string; terminationGracePeriodSeconds?: number };
    const phase = (obj['status'] as { phase?: string } | undefined)?.phase;
    // An unscheduled pod, or one that has finished, has nothing to stop.
    if (!spec.nodeName || phase === 'Succeeded' || phase === 'Failed') return 0;
    const requested = options.gracePeriodSeconds ?? spec.terminationGracePeriodSeconds ?? 30;
    return Math.max(0, requested);
  },
};

const keepStatus: KindHooks = { ...defaults, prepareForCreate() {} };

const namespaceHooks: KindHooks = {
  ...defaults,
  prepareForCreate(obj) {
    obj['status'] = { phase: 'Active' };
    const spec = (obj['spec'] ?? {}) as { finalizers?: string[] };
    if (!spec.finalizers?.includes('kubernetes')) spec.finalizers = [...(spec.finalizers ?? []), 'kubernetes'];
    obj['spec'] = spec;
  },
};

export function hooksFor(info: ResourceInfo): KindHooks {
  switch (info.kind) {
    case 'Pod':
      return podHooks;
    case 'Namespace':
      return namespaceHooks;
    case 'Node':
    case 'Event':
    case 'Lease':
    case 'ConfigMap':
    case 'Secret':
    case 'Endpoints':
    case 'EndpointSlice':
    case 'ServiceAccount':
    case 'Binding':
      return keepStatus;
    default:
      return defaults;
  }
}

export function hasStatusSubresource(info: ResourceInfo): boolean {
  return info.subresources.some((s) => s.name === 'status');
}
