// Aggregated discovery (apidiscovery.k8s.io/v2): the whole resource table in
// two documents, so kubectl discovers everything with `GET /api` + `GET /apis`.
import { GROUP_VERSIONS, resourcesIn, type ResourceInfo } from '@wharf/api';
import type { APIGroupDiscovery, APIGroupDiscoveryList, APIResourceDiscovery } from './types.js';

/**
 * kubectl only treats the body as aggregated discovery when the response
 * carries exactly this Content-Type; plain application/json makes it parse the
 * body as legacy APIVersions and fail.
 */
export const AGGREGATED_DISCOVERY_CONTENT_TYPE = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

/** True when an Accept header asks for aggregated discovery (v2 or v2beta1). */
export function acceptsAggregatedDiscovery(accept: string | undefined): boolean {
  if (!accept) return false;
  return accept.split(',').some((part) => {
    const params = part.split(';').map((p) => p.trim());
    return params.includes('g=apidiscovery.k8s.io') && params.includes('as=APIGroupDiscoveryList') && (params.includes('v=v2') || params.includes('v=v2beta1'));
  });
}

function resourceDiscovery(info: ResourceInfo): APIResourceDiscovery {
  const entry: APIResourceDiscovery = {
    resource: info.plural,
    responseKind: { group: info.group, version: info.version, kind: info.kind },
    scope: info.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: info.singular,
    verbs: [...info.verbs].sort(),
  };
  if (info.shortNames.length > 0) entry.shortNames = [...info.shortNames];
  if (info.categories.length > 0) entry.categories = [...info.categories];
  if (info.subresources.length > 0) {
    entry.subresources = info.subresources.map((s) => ({
      subresource: s.name,
      responseKind: { group: s.group, version: s.version, kind: s.kind },
      verbs: [...s.verbs].sort(),
    }));
  }
  return entry;
}

function groupDiscovery(group: string, versions: readonly string[]): APIGroupDiscovery {
  return {
    // The core group has no name; Kubernetes leaves it out entirely.
    metadata: group ? { name: group, creationTimestamp: null } : { creationTimestamp: null },
    versions: versions.map((version) => ({
      version,
      resources: resourcesIn(group, version).map(resourceDiscovery),
      freshness: 'Current',
    })),
  };
}

const cache = new Map<'core' | 'apis', APIGroupDiscoveryList>();

/**
 * The body of `GET /api` (kind 'core': the one legacy group) or `GET /apis`
 * (every named group, versions in preference order) as aggregated discovery.
 */
export function aggregatedDiscovery(kind: 'core' | 'apis'): APIGroupDiscoveryList {
  const hit = cache.get(kind);
  if (hit) return structuredClone(hit);
  const groups = GROUP_VERSIONS.filter((g) => (kind === 'core' ? g.group === '' : g.group !== ''));
  const list: APIGroupDiscoveryList = {
    kind: 'APIGroupDiscoveryList',
    apiVersion: 'apidiscovery.k8s.io/v2',
    metadata: {},
    items: groups.map((g) => groupDiscovery(g.group, g.versions)),
  };
  cache.set(kind, list);
  return structuredClone(list);
}
