import { describe, expect, it } from 'vitest';
import { RESOURCES } from '../resources.js';
import { ALL_KIND_SCHEMAS, schemaFor } from './kinds.js';
import type { ArraySchema, ObjectSchema, Schema } from './schema.js';

/** Follows a dotted path through objects, array items (`[]`) and map values. */
function at(root: Schema, path: string): Schema {
  let s: Schema = root;
  for (const part of path.split('.')) {
    const key = part.replace(/\[\]$/, '');
    if (s.type !== 'object') throw new Error(`${path}: ${key} is under a ${s.type}`);
    const next: Schema | undefined = s.properties[key];
    if (!next) throw new Error(`${path}: no field ${key}`);
    s = next;
    if (part.endsWith('[]')) {
      if (s.type !== 'array') throw new Error(`${path}: ${key} is not a list`);
      s = s.items;
    }
  }
  return s;
}

function listAt(group: string, kind: string, path: string): ArraySchema {
  const k = schemaFor(group, kind);
  if (!k) throw new Error(`no schema for ${kind}`);
  const s = at(k.schema, path);
  if (s.type !== 'array') throw new Error(`${path} is a ${s.type}`);
  return s;
}

function patchMeta(s: ArraySchema) {
  return { patchStrategy: s.patchStrategy, patchMergeKey: s.patchMergeKey, listType: s.listType, listMapKeys: s.listMapKeys };
}

describe('kind schemas', () => {
  it('cover every resource and subresource kind in the resource table', () => {
    for (const r of RESOURCES) {
      const s = schemaFor(r.group, r.kind, r.version);
      expect(s, `${r.group}/${r.version} ${r.kind}`).toBeDefined();
      expect(s?.version).toBe(r.version);
      for (const sub of r.subresources.filter((x) => x.name === 'scale' || x.name === 'status')) {
        expect(schemaFor(sub.group, sub.kind, sub.version), `${r.kind}/${sub.name}`).toBeDefined();
      }
    }
  });

  it('give every kind apiVersion, kind and a full ObjectMeta', () => {
    for (const k of ALL_KIND_SCHEMAS) {
      const props = k.schema.properties;
      expect(Object.keys(props).slice(0, 3), k.kind).toEqual(['apiVersion', 'kind', 'metadata']);
      const meta = props.metadata as ObjectSchema;
      for (const f of ['name', 'namespace', 'labels', 'annotations', 'ownerReferences', 'finalizers', 'managedFields', 'uid', 'resourceVersion', 'generation']) {
        expect(meta.properties[f], `${k.kind}.metadata.${f}`).toBeDefined();
      }
      for (const [field, s] of Object.entries(props)) expect(s.description, `${k.kind}.${field}`).toBeTruthy();
      expect(k.definitionName.endsWith(`.${k.kind}`)).toBe(true);
    }
  });

  it('serve HPA v2 by default and v1 on request', () => {
    expect(schemaFor('autoscaling', 'HorizontalPodAutoscaler')?.version).toBe('v2');
    expect(schemaFor('autoscaling', 'HorizontalPodAutoscaler', 'v1')?.definitionName).toBe('io.k8s.api.autoscaling.v1.HorizontalPodAutoscaler');
    expect(schemaFor('autoscaling', 'HorizontalPodAutoscaler', 'v3')).toBeUndefined();
    expect(schemaFor('', 'Deployment')).toBeUndefined();
  });

  it('declare every list map key and merge key on the list items', () => {
    const bad: string[] = [];
    const seen = new Set<Schema>();
    const visit = (s: Schema, path: string) => {
      if (seen.has(s)) return;
      seen.add(s);
      if (s.type === 'object') for (const [k, v] of Object.entries(s.properties)) visit(v, `${path}.${k}`);
      if (s.type === 'map') visit(s.values, `${path}[*]`);
      if (s.type === 'array') {
        const keys = [...(s.listMapKeys ?? []), ...(s.patchMergeKey ? [s.patchMergeKey] : [])];
        for (const key of keys) if (s.items.type !== 'object' || !s.items.properties[key]) bad.push(`${path}: ${key}`);
        if (s.listType === 'map' && !s.listMapKeys?.length) bad.push(`${path}: map list without keys`);
        visit(s.items, `${path}[]`);
      }
    };
    for (const k of ALL_KIND_SCHEMAS) visit(k.schema, k.kind);
    expect(bad).toEqual([]);
  });
});

describe('patch metadata matches the Kubernetes Go types', () => {
  const byName = (key: string) => ({ patchStrategy: 'merge', patchMergeKey: key, listType: 'map', listMapKeys: [key] });
  const atomic = { patchStrategy: undefined, patchMergeKey: undefined, listType: 'atomic', listMapKeys: undefined };

  it('pod spec lists', () => {
    expect(patchMeta(listAt('', 'Pod', 'spec.containers'))).toEqual(byName('name'));
    expect(patchMeta(listAt('', 'Pod', 'spec.initContainers'))).toEqual(byName('name'));
    expect(patchMeta(listAt('', 'Pod', 'spec.ephemeralContainers'))).toEqual(byName('name'));
    expect(patchMeta(listAt('', 'Pod', 'spec.volumes'))).toEqual({ ...byName('name'), patchStrategy: 'merge,retainKeys' });
    expect(patchMeta(listAt('', 'Pod', 'spec.imagePullSecrets'))).toEqual(byName('name'));
    expect(patchMeta(listAt('', 'Pod', 'spec.tolerations'))).toEqual(atomic);
    expect(patchMeta(listAt('', 'Pod', 'spec.hostAliases'))).toEqual(byName('ip'));
    expect(patchMeta(listAt('', 'Pod', 'spec.resourceClaims'))).toEqual({ ...byName('name'), patchStrategy: 'merge,retainKeys' });
    expect(patchMeta(listAt('', 'Pod', 'spec.topologySpreadConstraints'))).toEqual({
      patchStrategy: 'merge',
      patchMergeKey: 'topologyKey',
      listType: 'map',
      listMapKeys: ['topologyKey', 'whenUnsatisfiable'],
    });
  });

  it('container lists, also inside Deployment and ReplicaSet templates', () => {
    for (const [group, kind, prefix] of [
      ['', 'Pod', 'spec'],
      ['apps', 'Deployment', 'spec.template.spec'],
      ['apps', 'ReplicaSet', 'spec.template.spec'],
    ] as const) {
      expect(patchMeta(listAt(group, kind, `${prefix}.containers[].ports`))).toEqual({
        patchStrategy: 'merge',
        patchMergeKey: 'containerPort',
        listType: 'map',
        listMapKeys: ['containerPort', 'protocol'],
      });
      expect(patchMeta(listAt(group, kind, `${prefix}.containers[].env`))).toEqual(byName('name'));
      expect(patchMeta(listAt(group, kind, `${prefix}.containers[].volumeMounts`))).toEqual(byName('mountPath'));
      expect(patchMeta(listAt(group, kind, `${prefix}.initContainers[].env`))).toEqual(byName('name'));
      expect(patchMeta(listAt(group, kind, `${prefix}.containers[].envFrom`))).toEqual(atomic);
      expect(patchMeta(listAt(group, kind, `${prefix}.containers[].command`))).toEqual(atomic);
      expect(patchMeta(listAt(group, kind, `${prefix}.containers[].args`))).toEqual(atomic);
      // ResourceRequirements.Claims has list markers but no patch strategy.
      expect(patchMeta(listAt(group, kind, `${prefix}.containers[].resources.claims`))).toEqual({ ...byName('name'), patchStrategy: undefined, patchMergeKey: undefined });
    }
  });

  it('status conditions merge by type', () => {
    expect(patchMeta(listAt('', 'Pod', 'status.conditions'))).toEqual(byName('type'));
    expect(patchMeta(listAt('', 'Node', 'status.conditions'))).toEqual(byName('type'));
    expect(patchMeta(listAt('', 'Node', 'status.addresses'))).toEqual(byName('type'));
    expect(patchMeta(listAt('', 'Namespace', 'status.conditions'))).toEqual(byName('type'));
    expect(patchMeta(listAt('', 'Service', 'status.conditions'))).toEqual(byName('type'));
    expect(patchMeta(listAt('apps', 'Deployment', 'status.conditions'))).toEqual(byName('type'));
    expect(patchMeta(listAt('apps', 'ReplicaSet', 'status.conditions'))).toEqual(byName('type'));
    expect(patchMeta(listAt('autoscaling', 'HorizontalPodAutoscaler', 'status.conditions'))).toEqual(byName('type'));
    expect(patchMeta(listAt('', 'Pod', 'status.podIPs'))).toEqual(byName('ip'));
    expect(patchMeta(listAt('', 'Pod', 'status.containerStatuses'))).toEqual(atomic);
  });

  it('service, node, endpoints, metadata and others', () => {
    expect(patchMeta(listAt('', 'Service', 'spec.ports'))).toEqual({
      patchStrategy: 'merge',
      patchMergeKey: 'port',
      listType: 'map',
      listMapKeys: ['port', 'protocol'],
    });
    expect(patchMeta(listAt('', 'Service', 'spec.clusterIPs'))).toEqual(atomic);
    // NodeSpec.Taints is `+listType=atomic` with no patch strategy in core/v1.
    expect(patchMeta(listAt('', 'Node', 'spec.taints'))).toEqual(atomic);
    expect(patchMeta(listAt('', 'Node', 'spec.podCIDRs'))).toEqual({ patchStrategy: 'merge', patchMergeKey: undefined, listType: 'set', listMapKeys: undefined });
    expect(patchMeta(listAt('', 'Endpoints', 'subsets'))).toEqual(atomic);
    expect(patchMeta(listAt('discovery.k8s.io', 'EndpointSlice', 'endpoints'))).toEqual(atomic);
    expect(patchMeta(listAt('', 'ServiceAccount', 'secrets'))).toEqual(byName('name'));
    expect(patchMeta(listAt('autoscaling', 'HorizontalPodAutoscaler', 'spec.metrics'))).toEqual(atomic);
    for (const k of ALL_KIND_SCHEMAS) {
      expect(patchMeta(listAt(k.group, k.kind, 'metadata.finalizers'))).toEqual({ patchStrategy: 'merge', patchMergeKey: undefined, listType: 'set', listMapKeys: undefined });
      expect(patchMeta(listAt(k.group, k.kind, 'metadata.ownerReferences'))).toEqual(byName('uid'));
      expect(patchMeta(listAt(k.group, k.kind, 'metadata.managedFields'))).toEqual(atomic);
    }
  });

  it('retainKeys objects and atomic maps', () => {
    const deployment = schemaFor('apps', 'Deployment')!.schema;
    expect((at(deployment, 'spec.strategy') as ObjectSchema).patchStrategy).toBe('retainKeys');
    const pod = schemaFor('', 'Pod')!.schema;
    expect(at(pod, 'spec.nodeSelector')).toMatchObject({ type: 'map', mapType: 'atomic' });
    expect(at(schemaFor('', 'Service')!.schema, 'spec.selector')).toMatchObject({ type: 'map', mapType: 'atomic' });
    expect(at(deployment, 'spec.selector')).toMatchObject({ type: 'object', mapType: 'atomic' });
  });
});
