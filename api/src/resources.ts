// The table of every resource Wharf serves. Routing, discovery, OpenAPI,
// storage keys, the CLI's type names and the client's URLs all come from here,
// so adding a kind is one entry.

export type Verb = 'get' | 'list' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection' | 'watch';

export interface SubresourceInfo {
  name: string;
  /** The kind sent and received on this subresource (Scale for `scale`, the parent kind for `status`). */
  kind: string;
  group: string;
  version: string;
  verbs: Verb[] | string[];
}

export interface ResourceInfo {
  group: string;
  version: string;
  kind: string;
  listKind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: Verb[];
  subresources: SubresourceInfo[];
  /** The group/version the object is stored in; served versions convert to and from it. */
  storageVersion: string;
  /** True when the resource is computed on request rather than stored (metrics). */
  virtual?: boolean;
}

const ALL_VERBS: Verb[] = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const READ_VERBS: Verb[] = ['get', 'list'];
// Kubernetes serves no deletecollection for namespaces and services.
const NO_COLLECTION_DELETE: Verb[] = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];

function gv(group: string, version: string): string {
  return group ? `${group}/${version}` : version;
}

function resource(
  group: string,
  version: string,
  kind: string,
  plural: string,
  opts: {
    namespaced?: boolean;
    shortNames?: string[];
    categories?: string[];
    verbs?: Verb[];
    subresources?: Array<[name: string, kind?: string, group?: string, version?: string, verbs?: string[]]>;
    storageVersion?: string;
    virtual?: boolean;
  } = {},
): ResourceInfo {
  const info: ResourceInfo = {
    group,
    version,
    kind,
    listKind: `${kind}List`,
    plural,
    singular: kind.toLowerCase(),
    namespaced: opts.namespaced ?? true,
    shortNames: opts.shortNames ?? [],
    categories: opts.categories ?? [],
    verbs: opts.verbs ?? ALL_VERBS,
    subresources: (opts.subresources ?? []).map(([name, k, g, v, verbs]) => ({
      name,
      kind: k ?? kind,
      group: g ?? group,
      version: v ?? version,
      verbs: verbs ?? (name === 'status' || name === 'scale' ? ['get', 'patch', 'update'] : ['create']),
    })),
    storageVersion: opts.storageVersion ?? gv(group, version),
  };
  if (opts.virtual) info.virtual = true;
  return info;
}

const status: [string] = ['status'];
const scale: [string, string, string, string] = ['scale', 'Scale', 'autoscaling', 'v1'];

export const RESOURCES: readonly ResourceInfo[] = [
  resource('', 'v1', 'Namespace', 'namespaces', { namespaced: false, shortNames: ['ns'], verbs: NO_COLLECTION_DELETE, subresources: [status, ['finalize', 'Namespace', '', 'v1', ['update']]] }),
  resource('', 'v1', 'Pod', 'pods', {
    shortNames: ['po'],
    categories: ['all'],
    subresources: [
      status,
      ['binding', 'Binding', '', 'v1', ['create']],
      ['eviction', 'Eviction', 'policy', 'v1', ['create']],
      ['log', 'Pod', '', 'v1', ['get']],
      ['exec', 'PodExecOptions', '', 'v1', ['create', 'get']],
      ['attach', 'PodAttachOptions', '', 'v1', ['create', 'get']],
      ['portforward', 'PodPortForwardOptions', '', 'v1', ['create', 'get']],
    ],
  }),
  resource('', 'v1', 'Binding', 'bindings', { verbs: ['create'] }),
  resource('', 'v1', 'Node', 'nodes', { namespaced: false, shortNames: ['no'], subresources: [status, ['proxy', 'NodeProxyOptions', '', 'v1', ['create', 'delete', 'get', 'patch', 'update']]] }),
  resource('', 'v1', 'Service', 'services', { shortNames: ['svc'], verbs: NO_COLLECTION_DELETE, categories: ['all'], subresources: [status, ['proxy', 'ServiceProxyOptions', '', 'v1', ['create', 'delete', 'get', 'patch', 'update']]] }),
  resource('', 'v1', 'Endpoints', 'endpoints', { shortNames: ['ep'] }),
  resource('', 'v1', 'ConfigMap', 'configmaps', { shortNames: ['cm'] }),
  resource('', 'v1', 'Secret', 'secrets'),
  resource('', 'v1', 'Event', 'events', { shortNames: ['ev'] }),
  resource('', 'v1', 'ServiceAccount', 'serviceaccounts', { shortNames: ['sa'] }),
  resource('apps', 'v1', 'Deployment', 'deployments', { shortNames: ['deploy'], categories: ['all'], subresources: [status, scale] }),
  resource('apps', 'v1', 'ReplicaSet', 'replicasets', { shortNames: ['rs'], categories: ['all'], subresources: [status, scale] }),
  resource('autoscaling', 'v2', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers', { shortNames: ['hpa'], categories: ['all'], subresources: [status] }),
  resource('autoscaling', 'v1', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers', { shortNames: ['hpa'], categories: ['all'], subresources: [status], storageVersion: 'autoscaling/v2' }),
  resource('coordination.k8s.io', 'v1', 'Lease', 'leases'),
  resource('discovery.k8s.io', 'v1', 'EndpointSlice', 'endpointslices'),
  resource('metrics.k8s.io', 'v1beta1', 'PodMetrics', 'pods', { verbs: READ_VERBS, virtual: true }),
  resource('metrics.k8s.io', 'v1beta1', 'NodeMetrics', 'nodes', { namespaced: false, verbs: READ_VERBS, virtual: true }),
];

/** Served group versions in discovery order; the first version of a group is its preferred one. */
export const GROUP_VERSIONS: ReadonlyArray<{ group: string; versions: string[] }> = [
  { group: '', versions: ['v1'] },
  { group: 'apps', versions: ['v1'] },
  { group: 'autoscaling', versions: ['v2', 'v1'] },
  { group: 'coordination.k8s.io', versions: ['v1'] },
  { group: 'discovery.k8s.io', versions: ['v1'] },
  { group: 'metrics.k8s.io', versions: ['v1beta1'] },
];

export function apiVersionOf(info: Pick<ResourceInfo, 'group' | 'version'>): string {
  return gv(info.group, info.version);
}

export function resourcesIn(group: string, version: string): ResourceInfo[] {
  return RESOURCES.filter((r) => r.group === group && r.version === version);
}

export function findResource(group: string, version: string, plural: string): ResourceInfo | undefined {
  return RESOURCES.find((r) => r.group === group && r.version === version && r.plural === plural);
}

/** The preferred served resource for an apiVersion + kind, e.g. ("apps/v1", "Deployment"). */
export function resourceForKind(apiVersion: string, kind: string): ResourceInfo | undefined {
  const [group, version] = apiVersion.includes('/') ? (apiVersion.split('/') as [string, string]) : ['', apiVersion];
  return RESOURCES.find((r) => r.group === group && r.version === version && r.kind === kind);
}

/**
 * Resolves what a user types (`po`, `pods`, `pod`, `deploy`, `deployments.apps`,
 * `Deployment`) to the preferred version of the resource.
 */
export function resolveResourceName(name: string): ResourceInfo | undefined {
  const lower = name.toLowerCase();
  const dot = lower.indexOf('.');
  const base = dot < 0 ? lower : lower.slice(0, dot);
  const group = dot < 0 ? undefined : lower.slice(dot + 1);
  const preferred = (r: ResourceInfo) => GROUP_VERSIONS.find((g) => g.group === r.group)?.versions[0] === r.version;
  return RESOURCES.find(
    (r) =>
      !r.virtual &&
      preferred(r) &&
      (group === undefined || r.group === group) &&
      (r.plural === base || r.singular === base || r.shortNames.includes(base) || r.kind.toLowerCase() === base),
  );
}

/** The storage key prefix of a resource: every version of a resource shares it. */
export function storagePrefix(info: Pick<ResourceInfo, 'group' | 'plural'>): string {
  return `/registry/${info.group || 'core'}/${info.plural}/`;
}

export function storageKey(info: Pick<ResourceInfo, 'group' | 'plural' | 'namespaced'>, namespace: string | undefined, name: string): string {
  return info.namespaced ? `${storagePrefix(info)}${namespace}/${name}` : `${storagePrefix(info)}${name}`;
}
