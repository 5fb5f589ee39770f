// The downward API: fieldRef paths and resourceFieldRef resources resolved
// against the pod, shared by env vars and downwardAPI volume files.
import { parseQuantity, type Container, type Pod, type ResourceFieldSelector } from '@wharf/api';
import { ContainerConfigError } from './errors.js';

const SUBSCRIPT = /^metadata\.(labels|annotations)\['(.+)'\]$/;

function formatMap(m: Record<string, string> | undefined): string {
  return Object.keys(m ?? {})
    .sort()
    .map((k) => `${k}=${JSON.stringify(m![k])}`)
    .join('\n');
}

export function fieldPathValue(pod: Pod, fieldPath: string, podIP: string, hostIP: string): string {
  const sub = SUBSCRIPT.exec(fieldPath);
  if (sub) return (sub[1] === 'labels' ? pod.metadata.labels : pod.metadata.annotations)?.[sub[2]!] ?? '';
  switch (fieldPath) {
    case 'metadata.name':
      return pod.metadata.name ?? '';
    case 'metadata.namespace':
      return pod.metadata.namespace ?? '';
    case 'metadata.uid':
      return pod.metadata.uid ?? '';
    case 'metadata.labels':
      return formatMap(pod.metadata.labels);
    case 'metadata.annotations':
      return formatMap(pod.metadata.annotations);
    case 'spec.nodeName':
      return pod.spec?.nodeName ?? '';
    case 'spec.serviceAccountName':
      return pod.spec?.serviceAccountName ?? '';
    case 'status.podIP':
    case 'status.podIPs':
      return podIP;
    case 'status.hostIP':
    case 'status.hostIPs':
      return hostIP;
    default:
      throw new ContainerConfigError(`unsupported fieldRef path ${JSON.stringify(fieldPath)}`);
  }
}

export interface NodeAllocatable {
  cpuMillis: number;
  memoryBytes: number;
}

/** limits.* default to the node's allocatable when unset, as in Kubernetes. */
export function resourceFieldValue(pod: Pod, container: Container | undefined, sel: ResourceFieldSelector, node: NodeAllocatable): string {
  const c = sel.containerName ? pod.spec?.containers.find((x) => x.name === sel.containerName) : container;
  if (!c) throw new ContainerConfigError(`resourceFieldRef: container ${JSON.stringify(sel.containerName)} not found`);
  const [kind, resource] = sel.resource.split('.', 2) as [string, string | undefined];
  if (!resource || (kind !== 'limits' && kind !== 'requests')) throw new ContainerConfigError(`unsupported resource ${JSON.stringify(sel.resource)}`);
  const set = kind === 'limits' ? c.resources?.limits : c.resources?.requests;
  let value: number;
  const raw = set?.[resource];
  if (raw !== undefined) value = parseQuantity(raw);
  else if (resource === 'cpu') value = kind === 'limits' ? node.cpuMillis / 1000 : 0;
  else if (resource === 'memory') value = kind === 'limits' ? node.memoryBytes : 0;
  else value = 0;
  const divisor = sel.divisor !== undefined ? parseQuantity(sel.divisor) : 1;
  // Kubernetes rounds up so a fractional CPU never reads as 0.
  return String(Math.ceil(value / (divisor || 1)));
}
