import { describe, expect, it } from 'vitest';
import type { FieldError } from '../errors.js';
import type { KubeObject } from '../meta.js';
import { parseFieldSelector } from '../selectors/field-selector.js';
import { keepNamespaceFinalizers } from './cluster-kinds.js';
import { strategyFor } from './registry.js';

type Case = [name: string, group: string, kind: string, valid: () => any, mutate: (o: any) => void, field: string, message?: string];

const cm = () => ({ metadata: { name: 'cfg', namespace: 'default' }, data: { 'app.conf': 'x=1', KEY_2: 'y' } });
const secret = () => ({ metadata: { name: 's', namespace: 'default' }, data: { password: 'cGFzcw==' } });
const ns = () => ({ metadata: { name: 'team-a' } });
const node = () => ({ metadata: { name: 'node-1' }, spec: { podCIDR: '10.244.1.0/24', taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] } });
const lease = () => ({
  metadata: { name: 'node-1', namespace: 'kube-node-lease' },
  spec: { holderIdentity: 'node-1', leaseDurationSeconds: 40, renewTime: '2026-11-26T10:00:00.000000Z' },
});
const event = () => ({
  metadata: { name: 'web.17a', namespace: 'default' },
  involvedObject: { kind: 'Pod', namespace: 'default', name: 'web', uid: 'u1' },
  reason: 'Scheduled',
  message: 'ok',
  type: 'Normal',
  source: { component: 'default-scheduler' },
});
const endpoints = () => ({
  metadata: { name: 'web', namespace: 'default' },
  subsets: [{ addresses: [{ ip: '10.244.0.5', nodeName: 'node-1' }], ports: [{ port: 8080 }] }],
});
const slice = () => ({
  metadata: { name: 'web-abc', namespace: 'default' },
  addressType: 'IPv4',
  endpoints: [{ addresses: ['10.244.0.5'] }],
  ports: [{ port: 8080, name: 'http' }],
});
const binding = () => ({ metadata: { name: 'web', namespace: 'default' }, target: { kind: 'Node', name: 'node-1' } });
const sa = () => ({ metadata: { name: 'builder', namespace: 'default' } });

const cases: Case[] = [
  ['ConfigMap key', '', 'ConfigMap', cm, (o) => (o.data['bad key'] = 'x'), 'data[bad key]', "a valid config key must consist of alphanumeric characters, '-', '_' or '.'"],
  ['ConfigMap dot key', '', 'ConfigMap', cm, (o) => (o.data['..x'] = 'x'), 'data[..x]', "must not start with '..'"],
  ['ConfigMap binaryData duplicate', '', 'ConfigMap', cm, (o) => (o.binaryData = { KEY_2: 'eA==' }), 'binaryData', 'duplicate of key present in data'],
  ['ConfigMap size', '', 'ConfigMap', cm, (o) => (o.data.big = 'x'.repeat(1024 * 1024)), '', 'Too long: must have at most 1048576 bytes'],
  ['Secret key', '', 'Secret', secret, (o) => (o.data['a/b'] = 'eA=='), 'data[a/b]'],
  ['Secret base64', '', 'Secret', secret, (o) => (o.data.password = 'not base64!'), 'data[password]', 'illegal base64 data at input byte 3'],
  ['Secret tls keys', '', 'Secret', secret, (o) => (o.type = 'kubernetes.io/tls'), 'data[tls.crt]', 'Required value'],
  ['Secret dockerconfigjson', '', 'Secret', secret, (o) => (o.type = 'kubernetes.io/dockerconfigjson'), 'data[.dockerconfigjson]', 'Required value'],
  ['Namespace name is a DNS label', '', 'Namespace', ns, (o) => (o.metadata.name = 'team.a'), 'metadata.name', 'must not contain dots'],
  ['Namespace has no namespace', '', 'Namespace', ns, (o) => (o.metadata.namespace = 'default'), 'metadata.namespace', 'not allowed on this type'],
  ['Namespace finalizer', '', 'Namespace', ns, (o) => (o.spec.finalizers = ['bad finalizer']), 'spec.finalizers'],
  ['Node taint effect', '', 'Node', node, (o) => (o.spec.taints[0].effect = 'Never'), 'spec.taints[0].effect', 'supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"'],
  ['Node taint key', '', 'Node', node, (o) => delete o.spec.taints[0].key, 'spec.taints[0].key', 'Required value'],
  ['Node podCIDR', '', 'Node', node, (o) => (o.spec.podCIDRs = ['10.244.1.0/33']), 'spec.podCIDRs[0]'],
  ['Lease duration', 'coordination.k8s.io', 'Lease', lease, (o) => (o.spec.leaseDurationSeconds = 0), 'spec.leaseDurationSeconds', 'Invalid value: 0: must be greater than 0'],
  ['Lease transitions', 'coordination.k8s.io', 'Lease', lease, (o) => (o.spec.leaseTransitions = -1), 'spec.leaseTransitions', 'must be greater than or equal to 0'],
  ['Lease renewTime', 'coordination.k8s.io', 'Lease', lease, (o) => (o.spec.renewTime = 'yesterday'), 'spec.renewTime'],
  ['Event namespace', '', 'Event', event, (o) => (o.involvedObject.namespace = 'other'), 'involvedObject.namespace', 'Invalid value: "other": does not match event.namespace'],
  ['Event name', '', 'Event', event, (o) => (o.metadata.name = 'a/b'), 'metadata.name'],
  ['Endpoints ip', '', 'Endpoints', endpoints, (o) => (o.subsets[0].addresses[0].ip = 'node-1'), 'subsets[0].addresses[0].ip', 'must be a valid IP address'],
  ['Endpoints addresses', '', 'Endpoints', endpoints, (o) => (o.subsets[0].addresses = []), 'subsets[0]', 'must specify `addresses` or `notReadyAddresses`'],
  ['Endpoints port', '', 'Endpoints', endpoints, (o) => (o.subsets[0].ports[0].port = 0), 'subsets[0].ports[0].port'],
  ['EndpointSlice addressType', 'discovery.k8s.io', 'EndpointSlice', slice, (o) => (o.addressType = 'IPv5'), 'addressType', 'supported values: "FQDN", "IPv4", "IPv6"'],
  ['EndpointSlice address', 'discovery.k8s.io', 'EndpointSlice', slice, (o) => (o.endpoints[0].addresses = ['fe80::1']), 'endpoints[0].addresses[0]', 'must be a valid IPv4 address'],
  ['EndpointSlice no address', 'discovery.k8s.io', 'EndpointSlice', slice, (o) => (o.endpoints[0].addresses = []), 'endpoints[0].addresses'],
  ['Binding target', '', 'Binding', binding, (o) => (o.target = { kind: 'Pod' }), 'target.kind', 'supported values: "Node", "<empty>"'],
  ['Binding target name', '', 'Binding', binding, (o) => delete o.target.name, 'target.name', 'Required value'],
  ['ServiceAccount secret ref', '', 'ServiceAccount', sa, (o) => (o.secrets = [{}]), 'secrets[0].name'],
];

function errorsFor(group: string, kind: string, o: KubeObject): FieldError[] {
  const s = strategyFor(group, kind);
  s.applyDefaults(o);
  return s.validateCreate(o);
}

describe('validation of the remaining kinds', () => {
  it.each(cases)('%s: valid case passes', (_n, group, kind, valid) => {
    expect(errorsFor(group, kind, valid())).toEqual([]);
  });

  it.each(cases)('%s: invalid case reports its field', (_n, group, kind, valid, mutate, field, message) => {
    const o = valid();
    strategyFor(group, kind).applyDefaults(o);
    mutate(o);
    const errs = strategyFor(group, kind).validateCreate(o);
    const hit = errs.find((e) => e.field === field);
    expect(hit, JSON.stringify(errs)).toBeDefined();
    if (message) expect(hit?.message).toContain(message);
  });
});

describe('defaults of the remaining kinds', () => {
  it('Secret: type Opaque and stringData folded into data', () => {
    const s: any = { metadata: { name: 's', namespace: 'd' }, stringData: { user: 'admin' }, data: { a: 'eA==' } };
    strategyFor('', 'Secret').applyDefaults(s);
    expect(s).toEqual({ metadata: { name: 's', namespace: 'd' }, type: 'Opaque', data: { a: 'eA==', user: 'YWRtaW4=' } });
  });

  it('Namespace: kubernetes finalizer and Active phase; keepNamespaceFinalizers restores them', () => {
    const n: any = ns();
    const s = strategyFor('', 'Namespace');
    s.applyDefaults(n);
    expect(n.spec).toEqual({ finalizers: ['kubernetes'] });
    expect(n.status).toEqual({ phase: 'Active' });
    expect(n.metadata.labels).toEqual({ 'kubernetes.io/metadata.name': 'team-a' });
    const next: any = { metadata: { name: 'team-a' }, spec: {} };
    keepNamespaceFinalizers(next, n);
    expect(next.spec.finalizers).toEqual(['kubernetes']);
    // /finalize goes through validateUpdate too: it must not undo the change.
    const finalized: any = structuredClone(n);
    finalized.spec.finalizers = [];
    expect(s.validateUpdate(finalized, n)).toEqual([]);
    expect(finalized.spec.finalizers).toEqual([]);
  });

  it('Endpoints and EndpointSlice ports default to TCP', () => {
    const e: any = endpoints();
    strategyFor('', 'Endpoints').applyDefaults(e);
    expect(e.subsets[0].ports[0].protocol).toBe('TCP');
    const sl: any = slice();
    strategyFor('discovery.k8s.io', 'EndpointSlice').applyDefaults(sl);
    expect(sl.ports[0].protocol).toBe('TCP');
  });

  it('Node: allocatable defaults to capacity', () => {
    const n: any = { metadata: { name: 'n' }, status: { capacity: { cpu: '2', memory: '4Gi' } } };
    strategyFor('', 'Node').applyDefaults(n);
    expect(n.status.allocatable).toEqual({ cpu: '2', memory: '4Gi' });
  });
});

describe('immutability on update', () => {
  it('locks data of immutable ConfigMaps and Secrets', () => {
    for (const [kind, make] of [
      ['ConfigMap', cm],
      ['Secret', secret],
    ] as const) {
      const s = strategyFor('', kind);
      const old: any = make();
      old.immutable = true;
      s.applyDefaults(old);
      const same = structuredClone(old);
      same.metadata.labels = { a: 'b' };
      expect(s.validateUpdate(same, old)).toEqual([]);
      const changed = structuredClone(old);
      changed.data.extra = 'eA==';
      changed.immutable = false;
      expect(s.validateUpdate(changed, old).map((e) => e.field).sort()).toEqual(['data', 'immutable']);
    }
  });

  it('keeps Secret type, EndpointSlice addressType and node podCIDR fixed', () => {
    const s: any = secret();
    strategyFor('', 'Secret').applyDefaults(s);
    const s2 = { ...structuredClone(s), type: 'kubernetes.io/basic-auth', data: { username: 'eA==' } };
    expect(strategyFor('', 'Secret').validateUpdate(s2, s).map((e) => e.field)).toEqual(['type']);
    const sl: any = slice();
    strategyFor('discovery.k8s.io', 'EndpointSlice').applyDefaults(sl);
    const sl2 = { ...structuredClone(sl), addressType: 'IPv6', endpoints: [{ addresses: ['fe80::1'] }] };
    expect(strategyFor('discovery.k8s.io', 'EndpointSlice').validateUpdate(sl2, sl).map((e) => e.field)).toEqual(['addressType']);
    const n: any = node();
    const n2 = structuredClone(n);
    n2.spec.podCIDR = '10.244.2.0/24';
    expect(strategyFor('', 'Node').validateUpdate(n2, n).map((e) => e.field)).toContain('spec.podCIDR');
  });
});

describe('selectable fields', () => {
  it('offers the Kubernetes field labels per kind and rejects others', () => {
    const events = strategyFor('', 'Event');
    const fields = events.selectableFields(event());
    expect(fields).toMatchObject({
      'involvedObject.kind': 'Pod',
      'involvedObject.name': 'web',
      'involvedObject.namespace': 'default',
      'involvedObject.uid': 'u1',
      reason: 'Scheduled',
      source: 'default-scheduler',
      type: 'Normal',
    });
    expect(parseFieldSelector('involvedObject.name=web,type=Normal', events.fieldLabels).matches(fields)).toBe(true);
    expect(() => parseFieldSelector('spec.nodeName=x', events.fieldLabels)).toThrow('field label not supported: spec.nodeName');
    expect(strategyFor('', 'Node').selectableFields({ metadata: { name: 'n' }, spec: { unschedulable: true } })).toEqual({
      'metadata.name': 'n',
      'metadata.namespace': '',
      'spec.unschedulable': 'true',
    });
    expect(strategyFor('', 'Secret').selectableFields({ metadata: { name: 's', namespace: 'd' }, type: 'Opaque' }).type).toBe('Opaque');
    expect(strategyFor('', 'Namespace').selectableFields({ metadata: { name: 'n' }, status: { phase: 'Terminating' } })['status.phase']).toBe('Terminating');
    expect(strategyFor('apps', 'Deployment').fieldLabels).toEqual(['metadata.name', 'metadata.namespace']);
  });
});

describe('metadata rules for every kind', () => {
  it('reports only one controller owner reference and generateName prefixes', () => {
    const s = strategyFor('', 'ConfigMap');
    const o: any = cm();
    o.metadata.ownerReferences = [
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'a', uid: '1', controller: true },
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'b', uid: '2', controller: true },
    ];
    expect(s.validateCreate(o).map((e) => e.field)).toEqual(['metadata.ownerReferences']);
    const g: any = cm();
    g.metadata = { generateName: 'cfg-', name: 'cfg-x7k2p', namespace: 'default' };
    expect(s.validateCreate(g)).toEqual([]);
  });

  it('falls back to metadata validation for kinds without rules', () => {
    const s = strategyFor('example.com', 'Widget');
    expect(s.validateCreate({ metadata: { name: 'w', namespace: 'd' } })).toEqual([]);
    expect(s.validateCreate({ metadata: { name: 'W!', namespace: 'd' } }).map((e) => e.field)).toEqual(['metadata.name']);
  });
});

describe('prepareForUpdate', () => {
  it('keeps uid, creationTimestamp and the deletion mark of the stored object', () => {
    const s = strategyFor('', 'ConfigMap');
    const old: any = { metadata: { name: 'c', namespace: 'd', uid: 'u1', creationTimestamp: '2026-01-01T00:00:00Z', deletionTimestamp: '2026-01-02T00:00:00Z', deletionGracePeriodSeconds: 0 } };
    const next: any = { metadata: { name: 'c', namespace: 'd', creationTimestamp: '1999-01-01T00:00:00Z' }, data: { a: 'b' } };
    s.prepareForUpdate(next, old);
    expect(next.metadata).toEqual({ ...old.metadata });
    expect(s.validateUpdate(next, old)).toEqual([]);
    const other: any = { metadata: { name: 'c', namespace: 'd', uid: 'u2' } };
    s.prepareForUpdate(other, old);
    expect(s.validateUpdate(other, old).map((e) => e.field)).toEqual(['metadata.uid']);
  });
});
