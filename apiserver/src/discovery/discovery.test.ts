import { describe, it, expect } from 'vitest';
import {
  AGGREGATED_DISCOVERY_CONTENT_TYPE,
  acceptsAggregatedDiscovery,
  aggregatedDiscovery,
  aggregatedDiscoveryContentType,
  negotiateAggregatedDiscovery,
  apiGroupList,
  apiResourceList,
  apiVersions,
  findApiGroup,
} from './index.js';

const KUBECTL_ACCEPT =
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';

describe('aggregated discovery', () => {
  it('uses the exact content type kubectl requires', () => {
    expect(AGGREGATED_DISCOVERY_CONTENT_TYPE).toBe('application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
    expect(acceptsAggregatedDiscovery(KUBECTL_ACCEPT)).toBe(true);
    expect(acceptsAggregatedDiscovery('application/json, */*')).toBe(false);
    expect(acceptsAggregatedDiscovery(undefined)).toBe(false);
  });

  it('negotiates v2beta1 for kubectl 1.27, which does not understand v2', () => {
    const kubectl127 = 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';
    expect(negotiateAggregatedDiscovery(KUBECTL_ACCEPT)).toBe('v2');
    expect(negotiateAggregatedDiscovery(kubectl127)).toBe('v2beta1');
    expect(negotiateAggregatedDiscovery('application/json')).toBeUndefined();
    // Callers that only know acceptsAggregatedDiscovery serve such clients legacy discovery.
    expect(acceptsAggregatedDiscovery(kubectl127)).toBe(false);
    expect(aggregatedDiscoveryContentType('v2beta1')).toBe('application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList');
    const beta = aggregatedDiscovery('apis', 'v2beta1');
    expect(beta.apiVersion).toBe('apidiscovery.k8s.io/v2beta1');
    expect(beta.items).toEqual(aggregatedDiscovery('apis').items);
    expect(aggregatedDiscovery('apis').apiVersion).toBe('apidiscovery.k8s.io/v2');
  });

  it('lists the core group as one unnamed item with pods and their subresources', () => {
    const core = aggregatedDiscovery('core');
    expect(core.kind).toBe('APIGroupDiscoveryList');
    expect(core.apiVersion).toBe('apidiscovery.k8s.io/v2');
    expect(core.items).toHaveLength(1);
    const item = core.items[0]!;
    expect(item.metadata.name).toBeUndefined();
    expect(item.versions.map((v) => v.version)).toEqual(['v1']);
    const pods = item.versions[0]!.resources.find((r) => r.resource === 'pods')!;
    expect(pods).toMatchObject({
      responseKind: { group: '', version: 'v1', kind: 'Pod' },
      scope: 'Namespaced',
      singularResource: 'pod',
      shortNames: ['po'],
      categories: ['all'],
      verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
    });
    expect(pods.subresources?.find((s) => s.subresource === 'log')).toEqual({
      subresource: 'log',
      responseKind: { group: '', version: 'v1', kind: 'Pod' },
      verbs: ['get'],
    });
    const ns = item.versions[0]!.resources.find((r) => r.resource === 'namespaces')!;
    expect(ns.scope).toBe('Cluster');
    expect(ns.categories).toBeUndefined();
  });

  it('lists named groups with the preferred version first and the scale subresource kind', () => {
    const apis = aggregatedDiscovery('apis');
    const names = apis.items.map((i) => i.metadata.name);
    expect(names).toEqual(['apps', 'autoscaling', 'coordination.k8s.io', 'discovery.k8s.io', 'metrics.k8s.io']);
    const autoscaling = apis.items.find((i) => i.metadata.name === 'autoscaling')!;
    expect(autoscaling.versions.map((v) => v.version)).toEqual(['v2', 'v1']);
    const deploy = apis.items[0]!.versions[0]!.resources.find((r) => r.resource === 'deployments')!;
    expect(deploy.shortNames).toEqual(['deploy']);
    expect(deploy.subresources?.find((s) => s.subresource === 'scale')?.responseKind).toEqual({ group: 'autoscaling', version: 'v1', kind: 'Scale' });
    const metrics = apis.items.find((i) => i.metadata.name === 'metrics.k8s.io')!;
    expect(metrics.versions[0]!.resources.map((r) => [r.resource, r.verbs])).toEqual([
      ['pods', ['get', 'list']],
      ['nodes', ['get', 'list']],
    ]);
  });

  it('returns a copy callers may mutate', () => {
    aggregatedDiscovery('apis').items.pop();
    expect(aggregatedDiscovery('apis').items).toHaveLength(5);
  });

  it('tags exactly the kinds real Kubernetes puts in category all', () => {
    const all = [...aggregatedDiscovery('core').items, ...aggregatedDiscovery('apis').items]
      .flatMap((g) => g.versions.slice(0, 1))
      .flatMap((v) => v.resources)
      .filter((r) => r.categories?.includes('all'))
      .map((r) => r.resource);
    expect(all).toEqual(['pods', 'services', 'deployments', 'replicasets', 'horizontalpodautoscalers']);
  });
});

describe('legacy discovery', () => {
  it('answers /api with APIVersions', () => {
    expect(apiVersions('127.0.0.1:6443')).toEqual({
      kind: 'APIVersions',
      versions: ['v1'],
      serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1:6443' }],
    });
  });

  it('answers /apis with preferred versions', () => {
    const list = apiGroupList();
    expect(list.kind).toBe('APIGroupList');
    const autoscaling = list.groups.find((g) => g.name === 'autoscaling')!;
    expect(autoscaling.preferredVersion).toEqual({ groupVersion: 'autoscaling/v2', version: 'v2' });
    expect(autoscaling.versions.map((v) => v.groupVersion)).toEqual(['autoscaling/v2', 'autoscaling/v1']);
    expect(list.groups.some((g) => g.name === 'metrics.k8s.io')).toBe(true);
    expect(findApiGroup('apps')?.preferredVersion.groupVersion).toBe('apps/v1');
    expect(findApiGroup('nope')).toBeUndefined();
    expect(findApiGroup('')).toBeUndefined();
  });

  it('lists resources and subresources per group-version', () => {
    const v1 = apiResourceList('', 'v1')!;
    expect(v1.groupVersion).toBe('v1');
    expect(v1.resources.find((r) => r.name === 'pods')).toMatchObject({ singularName: 'pod', namespaced: true, kind: 'Pod', shortNames: ['po'], categories: ['all'] });
    expect(v1.resources.find((r) => r.name === 'pods/log')).toEqual({ name: 'pods/log', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get'] });
    expect(v1.resources.find((r) => r.name === 'nodes')?.namespaced).toBe(false);
    const apps = apiResourceList('apps', 'v1')!;
    expect(apps.resources.find((r) => r.name === 'deployments/scale')).toEqual({
      name: 'deployments/scale',
      singularName: '',
      namespaced: true,
      group: 'autoscaling',
      version: 'v1',
      kind: 'Scale',
      verbs: ['get', 'patch', 'update'],
    });
    expect(apiResourceList('apps', 'v2')).toBeUndefined();
    expect(apiResourceList('metrics.k8s.io', 'v1beta1')?.resources.map((r) => r.name)).toEqual(['pods', 'nodes']);
  });
});
