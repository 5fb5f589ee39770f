// Short names for the resources components use all the time, resolved once
// from the shared resource table so URLs never drift from what is served.
import { findResource, RESOURCES, type ResourceInfo } from '@wharf/api';

function must(group: string, version: string, plural: string): ResourceInfo {
  const r = findResource(group, version, plural);
  if (!r) throw new Error(`resource ${plural}.${group}/${version} is missing from RESOURCES`);
  return r;
}

export const R = {
  namespaces: must('', 'v1', 'namespaces'),
  pods: must('', 'v1', 'pods'),
  nodes: must('', 'v1', 'nodes'),
  services: must('', 'v1', 'services'),
  endpoints: must('', 'v1', 'endpoints'),
  configmaps: must('', 'v1', 'configmaps'),
  secrets: must('', 'v1', 'secrets'),
  events: must('', 'v1', 'events'),
  serviceaccounts: must('', 'v1', 'serviceaccounts'),
  deployments: must('apps', 'v1', 'deployments'),
  replicasets: must('apps', 'v1', 'replicasets'),
  leases: must('coordination.k8s.io', 'v1', 'leases'),
  endpointslices: must('discovery.k8s.io', 'v1', 'endpointslices'),
  horizontalpodautoscalers: must('autoscaling', 'v2', 'horizontalpodautoscalers'),
} as const;

/** The stored, preferred-version resources: what namespace deletion and GC iterate over. */
export function persistedResources(): ResourceInfo[] {
  const seen = new Set<string>();
  const out: ResourceInfo[] = [];
  for (const r of RESOURCES) {
    if (r.virtual || !r.verbs.includes('list')) continue;
    const id = `${r.group}/${r.plural}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(r);
  }
  return out;
}

/** The URL path of a collection or object: /api/v1/namespaces/ns/pods/name/status. */
export function resourcePath(res: ResourceInfo, namespace: string | undefined, name?: string, subresource?: string): string {
  let p = res.group ? `/apis/${res.group}/${res.version}` : `/api/${res.version}`;
  if (res.namespaced && namespace) p += `/namespaces/${encodeURIComponent(namespace)}`;
  p += `/${res.plural}`;
  if (name !== undefined) p += `/${encodeURIComponent(name)}`;
  if (subresource) p += `/${subresource}`;
  return p;
}
