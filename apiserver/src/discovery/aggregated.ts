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

/** v2 (kubectl 1.30+) or v2beta1 (kubectl 1.26–1.29, which does not understand v2). */
export type AggregatedDiscoveryVersion = 'v2' | 'v2beta1';

export function aggregatedDiscoveryContentType(version: AggregatedDiscoveryVersion): string {
  return `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`;
}

/**
 * The aggregated discovery version an Accept header asks for, preferring v2;
 * undefined when the client wants legacy discovery.
 */
export function negotiateAggregatedDiscovery(accept: string | undefined): AggregatedDiscoveryVersion | undefined {
  if (!accept) return undefined;
  const offered = new Set<string>();
  for (const part of accept.split(',')) {
    const params = part.split(';').map((p) => p.trim());
    if (!params.includes('g=apidiscovery.k8s.io') || !params.includes('as=APIGroupDiscoveryList')) continue;
    for (const p of params) if (p.startsWith('v=')) offered.add(p.slice(2));
  }
  if (offered.has('v2')) return 'v2';
  if (offered.has('v2beta1')) return 'v2beta1';
  return undefined;
}

/**
 * True when the client accepts aggregated discovery v2, the body
 * `aggregatedDiscovery` returns by default. Clients offering only v2beta1
 * (kubectl 1.27) get false and so fall back to legacy discovery, unless the
 * caller negotiates v2beta1 with negotiateAggregatedDiscovery.
 */
export function acceptsAggregatedDiscovery(accept: string | undefined): boolean {
  return negotiateAggregatedDiscovery(accept) === 'v2';
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

const cache = new Map<string, APIGroupDiscoveryList>();

/**
 * The body of `GET /api` (kind 'core': the one legacy group) or `GET /apis`
 * (every named group, versions in preference order) as aggregated discovery.
 * v2beta1 has the same shape under its own apiVersion.
 */
export function aggregatedDiscovery(kind: 'core' | 'apis', version: AggregatedDiscoveryVersion = 'v2'): APIGroupDiscoveryList {
  const key = `${kind}/${version}`;
  const hit = cache.get(key);
  if (hit) return structuredClone(hit);
  const groups = GROUP_VERSIONS.filter((g) => (kind === 'core' ? g.group === '' : g.group !== ''));
  const list: APIGroupDiscoveryList = {
    kind: 'APIGroupDiscoveryList',
    apiVersion: `apidiscovery.k8s.io/${version}`,
    metadata: {},
    items: groups.map((g) => groupDiscovery(g.group, g.versions)),
  };
  cache.set(key, list);
  return structuredClone(list);
}
