// The client-side `kubectl apply` round trip with the real kind schemas: the
// three-way patch from last-applied, manifest and live object, applied by the
// server, must leave the live object matching the manifest while keeping what
// the server and other writers set.
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../meta.js';
import { schemaFor } from '../schema/index.js';
import { createThreeWayMergePatch } from './strategic-diff.js';
import { applyStrategicMergePatch } from './strategic-merge.js';

const deploymentSchema = schemaFor('apps', 'Deployment')!.schema;
const serviceSchema = schemaFor('', 'Service')!.schema;
const podSchema = schemaFor('', 'Pod')!.schema;

// Test objects are poked at deeply; `any` keeps the assertions readable.
type Json = Record<string, any>;

function deployment(containers: Json[], extra: Json = {}): Json {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers } }, ...extra },
  };
}

/** What the server stores: the manifest plus defaults and status. */
function live(manifest: Json): Json {
  const obj = structuredClone(manifest);
  obj.metadata.uid = 'u-1';
  obj.metadata.annotations = { 'deployment.kubernetes.io/revision': '1' };
  obj.spec.strategy ??= { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } };
  for (const c of obj.spec.template.spec.containers) {
    c.imagePullPolicy ??= 'IfNotPresent';
    for (const p of c.ports ?? []) p.protocol ??= 'TCP';
  }
  obj.status = { replicas: obj.spec.replicas };
  return obj;
}

function kubectlApply(lastApplied: Json, manifest: Json, current: Json, schema = deploymentSchema): { patch: Json; result: Json } {
  const patch = createThreeWayMergePatch(lastApplied, manifest, current, schema);
  return { patch, result: applyStrategicMergePatch<Json>(current, patch, schema) };
}

const app = { name: 'app', image: 'nginx:1.25' };

describe('kubectl apply round trip on a Deployment', () => {
  it('sends only the replicas change, as kubectl 1.32 was measured to', () => {
    const v1 = deployment([app]);
    const v2 = structuredClone(v1);
    v2.spec.replicas = 3;
    const { patch, result } = kubectlApply(v1, v2, live(v1));
    expect(patch).toEqual({ spec: { replicas: 3 } });
    expect(result.spec.replicas).toBe(3);
    expect(result.status).toEqual({ replicas: 2 });
  });

  it('is empty for an unchanged manifest (kubectl prints "unchanged")', () => {
    const v1 = deployment([{ ...app, ports: [{ containerPort: 80 }], env: [{ name: 'A', value: '1' }] }]);
    expect(kubectlApply(v1, v1, live(v1)).patch).toEqual({});
  });

  it('changes the image and keeps server defaults in the container', () => {
    const v1 = deployment([app]);
    const v2 = deployment([{ ...app, image: 'nginx:1.26' }]);
    const { patch, result } = kubectlApply(v1, v2, live(v1));
    expect(patch).toEqual({
      spec: { template: { spec: { containers: [{ name: 'app', image: 'nginx:1.26' }], '$setElementOrder/containers': [{ name: 'app' }] } } },
    });
    expect(result.spec.template.spec.containers).toEqual([{ name: 'app', image: 'nginx:1.26', imagePullPolicy: 'IfNotPresent' }]);
  });

  it('adds and removes env vars and ports, keeping the manifest order', () => {
    const v1 = deployment([{ ...app, env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }], ports: [{ containerPort: 80 }] }]);
    const v2 = deployment([{ ...app, env: [{ name: 'A', value: '1' }, { name: 'C', value: '3' }], ports: [{ containerPort: 443 }] }]);
    const { patch, result } = kubectlApply(v1, v2, live(v1));
    const c = patch.spec.template.spec.containers[0];
    expect(c.env).toEqual([{ name: 'C', value: '3' }, { name: 'B', $patch: 'delete' }]);
    expect(c['$setElementOrder/env']).toEqual([{ name: 'A' }, { name: 'C' }]);
    expect(c.ports).toEqual([{ containerPort: 443 }, { containerPort: 80, $patch: 'delete' }]);
    const container = result.spec.template.spec.containers[0];
    expect(container.env).toEqual([{ name: 'A', value: '1' }, { name: 'C', value: '3' }]);
    expect(container.ports).toEqual([{ containerPort: 443 }]);
  });

  it('adds a sidecar after the app container and removes it again', () => {
    const v1 = deployment([app]);
    const v2 = deployment([app, { name: 'sidecar', image: 'busybox' }]);
    const added = kubectlApply(v1, v2, live(v1)).result;
    expect(added.spec.template.spec.containers.map((c: Json) => c.name)).toEqual(['app', 'sidecar']);
    const removed = kubectlApply(v2, v1, added).result;
    expect(removed.spec.template.spec.containers.map((c: Json) => c.name)).toEqual(['app']);
  });

  it('removes a field dropped from the manifest but keeps fields others set', () => {
    const v1 = deployment([app], { minReadySeconds: 5 });
    const v2 = deployment([app]);
    const current = live(v1);
    current.metadata.labels = { team: 'a' };
    const { result } = kubectlApply(v1, v2, current);
    expect(result.spec.minReadySeconds).toBeUndefined();
    expect(result.metadata.labels).toEqual({ team: 'a' });
    expect(result.metadata.annotations).toEqual({ 'deployment.kubernetes.io/revision': '1' });
  });

  it('switches the strategy to Recreate with $retainKeys clearing rollingUpdate', () => {
    const v1 = deployment([app]);
    const v2 = deployment([app], { strategy: { type: 'Recreate' } });
    const { patch, result } = kubectlApply(v1, v2, live(v1));
    expect(patch.spec.strategy).toEqual({ $retainKeys: ['type'], type: 'Recreate' });
    expect(result.spec.strategy).toEqual({ type: 'Recreate' });
  });
});

describe('strategic merge patches against the real schemas', () => {
  it('merges Service ports by port and replaces the selector map entries', () => {
    const svc: KubeObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web' },
      spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }], clusterIP: '10.0.0.10' },
    };
    const out = applyStrategicMergePatch<Json>(svc, { spec: { ports: [{ port: 443, targetPort: 8443 }, { port: 80, targetPort: 9090 }] } }, serviceSchema);
    expect(out.spec.ports).toEqual([
      { port: 443, targetPort: 8443 },
      { port: 80, targetPort: 9090, protocol: 'TCP' },
    ]);
    expect(out.spec.clusterIP).toBe('10.0.0.10');
  });

  it('deletes a Pod volume and its mount by key, and replaces a volume source with retainKeys', () => {
    const pod = {
      spec: {
        containers: [{ name: 'app', image: 'x', volumeMounts: [{ name: 'a', mountPath: '/a' }, { name: 'b', mountPath: '/b' }] }],
        volumes: [{ name: 'a', emptyDir: {} }, { name: 'b', configMap: { name: 'cm' } }],
      },
    };
    const out = applyStrategicMergePatch<Json>(
      pod,
      {
        spec: {
          containers: [{ name: 'app', volumeMounts: [{ mountPath: '/b', $patch: 'delete' }] }],
          volumes: [{ name: 'b', $patch: 'delete' }, { name: 'a', $retainKeys: ['name', 'secret'], secret: { secretName: 's' } }],
        },
      },
      podSchema,
    );
    expect(out.spec.containers[0].volumeMounts).toEqual([{ name: 'a', mountPath: '/a' }]);
    expect(out.spec.volumes).toEqual([{ name: 'a', secret: { secretName: 's' } }]);
  });

  it('merges finalizers as a set and deletes with $deleteFromPrimitiveList; labels merge as a map', () => {
    const obj = { metadata: { finalizers: ['a', 'b'], labels: { x: '1', y: '2' } } };
    const out = applyStrategicMergePatch<Json>(
      obj,
      { metadata: { finalizers: ['c'], '$deleteFromPrimitiveList/finalizers': ['a'], labels: { y: null, z: '3' } } },
      podSchema,
    );
    // Without $setElementOrder, items only the patch has go first (as in apimachinery).
    expect(out.metadata.finalizers).toEqual(['c', 'b']);
    expect(out.metadata.labels).toEqual({ x: '1', z: '3' });
  });

  it('replaces the whole container list with $patch: replace', () => {
    const pod = { spec: { containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'y' }] } };
    const out = applyStrategicMergePatch<Json>(pod, { spec: { containers: [{ name: 'c', image: 'z' }, { $patch: 'replace' }] } }, podSchema);
    expect(out.spec.containers).toEqual([{ name: 'c', image: 'z' }]);
  });

  it('rejects a container without its merge key', () => {
    expect(() => applyStrategicMergePatch({ spec: { containers: [{ name: 'a' }] } }, { spec: { containers: [{ image: 'x' }] } }, podSchema)).toThrow(
      'does not contain declared merge key: name',
    );
  });
});
