// Legacy discovery: APIVersions at /api, APIGroupList at /apis and one
// APIResourceList per group-version. Old clients (and kubectl when it does not
// ask for aggregated discovery) walk these.
import { GROUP_VERSIONS, resourcesIn } from '@wharf/api';
import type { APIGroup, APIGroupList, APIResource, APIResourceList, APIVersions, GroupVersionForDiscovery } from './types.js';

function groupVersion(group: string, version: string): GroupVersionForDiscovery {
  return { groupVersion: group ? `${group}/${version}` : version, version };
}

/** `GET /api`. `serverAddress` is the host:port clients reached us at. */
export function apiVersions(serverAddress = ''): APIVersions {
  const core = GROUP_VERSIONS.find((g) => g.group === '');
  return {
    kind: 'APIVersions',
    versions: [...(core?.versions ?? [])],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

/** `GET /apis`: every named group, its versions in preference order. */
export function apiGroupList(): APIGroupList {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: GROUP_VERSIONS.filter((g) => g.group !== '').map(apiGroup) };
}

/** `GET /apis/<group>`, or undefined when the group is not served. */
export function apiGroup(g: { group: string; versions: readonly string[] }): APIGroup {
  const versions = g.versions.map((v) => groupVersion(g.group, v));
  return { name: g.group, versions, preferredVersion: versions[0] ?? groupVersion(g.group, '') };
}

export function findApiGroup(group: string): APIGroup | undefined {
  const g = GROUP_VERSIONS.find((x) => x.group === group && group !== '');
  return g ? apiGroup(g) : undefined;
}

/**
 * `GET /api/v1` or `GET /apis/<group>/<version>`, with subresources as
 * `<plural>/<sub>` entries; undefined when the group-version is not served.
 */
export function apiResourceList(group: string, version: string): APIResourceList | undefined {
  const served = GROUP_VERSIONS.some((g) => g.group === group && g.versions.includes(version));
  if (!served) return undefined;
  const resources: APIResource[] = [];
  for (const info of resourcesIn(group, version)) {
    const entry: APIResource = {
      name: info.plural,
      singularName: info.singular,
      namespaced: info.namespaced,
      kind: info.kind,
      verbs: [...info.verbs].sort(),
    };
    if (info.shortNames.length > 0) entry.shortNames = [...info.shortNames];
    if (info.categories.length > 0) entry.categories = [...info.categories];
    resources.push(entry);
    for (const sub of info.subresources) {
      const subEntry: APIResource = {
        name: `${info.plural}/${sub.name}`,
        singularName: '',
        namespaced: info.namespaced,
        kind: sub.kind,
        verbs: [...sub.verbs].sort(),
      };
      // Kubernetes names the group and version only when they differ from the list's.
      if (sub.group !== group || sub.version !== version) {
        subEntry.group = sub.group;
        subEntry.version = sub.version;
      }
      resources.push(subEntry);
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources };
}
