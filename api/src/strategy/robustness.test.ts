// Request bodies are untrusted JSON: whatever shape arrives, strategies must
// answer with field errors, never throw (a throw would become a 500).
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../meta.js';
import { strategyFor } from './registry.js';

const container = { name: 'app', image: 'nginx', ports: [{ containerPort: 80 }], env: [{ name: 'A', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }], resources: { limits: { cpu: '1' } }, livenessProbe: { httpGet: { port: 80 } }, volumeMounts: [{ name: 'v', mountPath: '/v' }] };
const podSpec = { containers: [container], volumes: [{ name: 'v', configMap: { name: 'c', items: [{ key: 'k', path: 'p' }] } }], tolerations: [{ key: 'k', operator: 'Exists' }] };
const template = { metadata: { labels: { app: 'a' } }, spec: podSpec };
const meta = { name: 'x', namespace: 'default', labels: { a: 'b' }, annotations: { c: 'd' }, ownerReferences: [{ apiVersion: 'v1', kind: 'X', name: 'y', uid: 'z' }], finalizers: ['kubernetes'] };

const samples: Array<[string, string, Record<string, unknown>]> = [
  ['', 'Pod', { metadata: meta, spec: podSpec, status: { phase: 'Running' } }],
  ['apps', 'Deployment', { metadata: meta, spec: { selector: { matchLabels: { app: 'a' }, matchExpressions: [{ key: 'a', operator: 'In', values: ['a'] }] }, template, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } } }],
  ['apps', 'ReplicaSet', { metadata: meta, spec: { selector: { matchLabels: { app: 'a' } }, template }, status: { replicas: 1 } }],
  ['', 'Service', { metadata: meta, spec: { type: 'NodePort', selector: { a: 'b' }, ports: [{ port: 80, nodePort: 30001 }], clusterIPs: ['10.96.0.1'] } }],
  ['autoscaling', 'HorizontalPodAutoscaler', { metadata: meta, spec: { scaleTargetRef: { kind: 'Deployment', name: 'x' }, maxReplicas: 3, metrics: [{ type: 'Pods', pods: { metric: { name: 'm' }, target: { type: 'AverageValue', averageValue: '1' } } }], behavior: { scaleUp: { policies: [{ type: 'Pods', value: 1, periodSeconds: 1 }] } } } }],
  ['', 'ConfigMap', { metadata: meta, data: { a: 'b' }, binaryData: { c: 'ZA==' }, immutable: true }],
  ['', 'Secret', { metadata: meta, data: { a: 'Yg==' }, stringData: { c: 'd' }, type: 'kubernetes.io/tls' }],
  ['', 'Namespace', { metadata: { name: 'n' }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } }],
  ['', 'Node', { metadata: { name: 'n' }, spec: { podCIDR: '10.0.0.0/24', taints: [{ key: 'k', effect: 'NoSchedule' }], unschedulable: true }, status: { capacity: { cpu: '1' } } }],
  ['coordination.k8s.io', 'Lease', { metadata: meta, spec: { holderIdentity: 'h', leaseDurationSeconds: 10, renewTime: '2026-01-01T00:00:00Z' } }],
  ['', 'Event', { metadata: meta, involvedObject: { kind: 'Pod', name: 'x', namespace: 'default' }, source: { component: 'c' }, reason: 'r' }],
  ['', 'Endpoints', { metadata: meta, subsets: [{ addresses: [{ ip: '10.0.0.1' }], ports: [{ port: 80 }] }] }],
  ['discovery.k8s.io', 'EndpointSlice', { metadata: meta, addressType: 'IPv4', endpoints: [{ addresses: ['10.0.0.1'] }], ports: [{ port: 80 }] }],
  ['', 'Binding', { metadata: meta, target: { kind: 'Node', name: 'n' } }],
  ['', 'ServiceAccount', { metadata: meta, secrets: [{ name: 's' }] }],
];

const WEIRD: unknown[] = [null, 0, -1, 1.5, 'x', '', true, [], [null], {}, { a: null }];

/** Every path to a value inside `o`, as key lists. */
function paths(o: unknown, prefix: string[] = []): string[][] {
  if (typeof o !== 'object' || o === null) return [prefix];
  const out: string[][] = prefix.length > 0 ? [prefix] : [];
  for (const [k, v] of Object.entries(o)) out.push(...paths(v, [...prefix, k]));
  return out;
}

function replaced(o: Record<string, unknown>, path: string[], value: unknown): KubeObject {
  const copy: any = structuredClone(o);
  let cur = copy;
  for (const k of path.slice(0, -1)) cur = cur[k];
  cur[path[path.length - 1] as string] = structuredClone(value);
  if (typeof copy.metadata !== 'object' || copy.metadata === null) copy.metadata = {};
  return copy;
}

describe('strategies never throw on malformed objects', () => {
  it.each(samples)('%s/%s', (group, kind, sample) => {
    const s = strategyFor(group, kind);
    const valid = structuredClone(sample) as KubeObject;
    s.applyDefaults(valid);
    let checked = 0;
    for (const path of paths(sample)) {
      for (const value of WEIRD) {
        const o = replaced(sample, path, value);
        const run = () => {
          s.applyDefaults(o);
          s.validateCreate(o);
          s.prepareForUpdate(o, valid);
          s.validateUpdate(o, valid);
          s.validateUpdate(valid, o);
          s.selectableFields(o);
        };
        expect(run, `${kind} ${path.join('.')} = ${JSON.stringify(value)}`).not.toThrow();
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(10);
  });
});
