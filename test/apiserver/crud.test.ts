// Every verb on every served kind, against a real apiserver process on SQLite.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, type ApiServerProcess } from '../harness/apiserver.js';
import { collectionPath, everyKind, pod } from '../fixtures/objects.js';

let api: ApiServerProcess;

beforeAll(async () => {
  api = await startApiServer();
});
afterAll(async () => {
  await api?.cleanup();
});

describe('every kind: create, get, list, update, merge patch, delete, deletecollection', () => {
  for (const k of everyKind('crud')) {
    it(`${k.body.kind}`, async () => {
      const coll = collectionPath(k);
      const name = k.body.metadata.name as string;

      const created = await api.request('POST', coll, k.body);
      expect(created.status, created.text).toBe(201);
      const obj = created.json();
      expect(obj.apiVersion).toBe(k.body.apiVersion);
      expect(obj.kind).toBe(k.body.kind);
      expect(obj.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
      expect(Number(obj.metadata.resourceVersion)).toBeGreaterThan(0);
      expect(obj.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

      const got = await api.request('GET', `${coll}/${name}`);
      expect(got.status).toBe(200);
      expect(got.json().metadata.uid).toBe(obj.metadata.uid);

      const list = await api.request('GET', coll);
      expect(list.status).toBe(200);
      const l = list.json();
      expect(l.kind).toBe(`${k.body.kind}List`);
      expect(l.items.map((i: any) => i.metadata.name)).toContain(name);
      expect(Number(l.metadata.resourceVersion)).toBeGreaterThanOrEqual(Number(obj.metadata.resourceVersion));

      const put = structuredClone(got.json());
      put.metadata.labels = { ...(put.metadata.labels ?? {}), updated: 'yes' };
      const updated = await api.request('PUT', `${coll}/${name}`, put);
      expect(updated.status, updated.text).toBe(200);
      expect(updated.json().metadata.labels.updated).toBe('yes');
      expect(Number(updated.json().metadata.resourceVersion)).toBeGreaterThan(Number(obj.metadata.resourceVersion));

      const patched = await api.request('PATCH', `${coll}/${name}`, { metadata: { annotations: { note: 'patched' } } }, { 'content-type': 'application/merge-patch+json' });
      expect(patched.status, patched.text).toBe(200);
      expect(patched.json().metadata.annotations.note).toBe('patched');
      expect(patched.json().metadata.labels.updated).toBe('yes');

      if (k.body.kind === 'Namespace') {
        // Namespaces are finalized by the namespace controller; here the
        // delete only marks the namespace Terminating.
        const del = await api.request('DELETE', `${coll}/${name}`);
        expect(del.status).toBe(202);
        expect(del.json().status.phase).toBe('Terminating');
        return;
      }
      const del = await api.request('DELETE', `${coll}/${name}`);
      expect(del.status, del.text).toBe(200);
      const after = await api.request('GET', `${coll}/${name}`);
      expect(after.status).toBe(404);
      expect(after.json()).toMatchObject({ kind: 'Status', reason: 'NotFound', code: 404 });

      if (k.body.kind === 'Service') {
        // Like Kubernetes, services have no deletecollection.
        const dc = await api.request('DELETE', coll);
        expect(dc.status).toBe(405);
        expect(dc.json()).toMatchObject({ kind: 'Status', reason: 'MethodNotAllowed' });
        return;
      }
      // deletecollection with a label selector removes only what it selects.
      const a = structuredClone(k.body);
      a.metadata = { ...a.metadata, name: `${name}-a`, labels: { ...(a.metadata.labels ?? {}), batch: 'x' } };
      const b = structuredClone(k.body);
      b.metadata = { ...b.metadata, name: `${name}-b`, labels: { ...(b.metadata.labels ?? {}), batch: 'y' } };
      expect((await api.request('POST', coll, a)).status).toBe(201);
      expect((await api.request('POST', coll, b)).status).toBe(201);
      const dc = await api.request('DELETE', `${coll}?labelSelector=batch%3Dx`);
      expect(dc.status, dc.text).toBe(200);
      const names = (await api.request('GET', coll)).json().items.map((i: any) => i.metadata.name);
      expect(names).not.toContain(`${name}-a`);
      expect(names).toContain(`${name}-b`);
    });
  }
});

describe('metadata', () => {
  it('generateName makes a unique name', async () => {
    const body = pod('');
    delete (body.metadata as any).name;
    (body.metadata as any).generateName = 'gen-';
    const r1 = await api.request('POST', '/api/v1/namespaces/default/pods', body);
    const r2 = await api.request('POST', '/api/v1/namespaces/default/pods', body);
    expect(r1.status).toBe(201);
    expect(r2.status).toBe(201);
    expect(r1.json().metadata.name).toMatch(/^gen-[a-z0-9]{5}$/);
    expect(r1.json().metadata.name).not.toBe(r2.json().metadata.name);
  });

  it('bumps generation on spec changes only', async () => {
    const coll = '/apis/apps/v1/namespaces/default/deployments';
    const d = (await api.request('POST', coll, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'gen' }, spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } } })).json();
    expect(d.metadata.generation).toBe(1);
    const l = await api.request('PATCH', `${coll}/gen`, { metadata: { labels: { x: 'y' } } }, { 'content-type': 'application/merge-patch+json' });
    expect(l.json().metadata.generation).toBe(1);
    const s = await api.request('PATCH', `${coll}/gen`, { spec: { replicas: 4 } }, { 'content-type': 'application/merge-patch+json' });
    expect(s.json().metadata.generation).toBe(2);
    const st = await api.request('PATCH', `${coll}/gen/status`, { status: { replicas: 4 } }, { 'content-type': 'application/merge-patch+json' });
    expect(st.json().metadata.generation).toBe(2);
    expect(st.json().status.replicas).toBe(4);
  });

  it('applies defaults as Kubernetes does', async () => {
    const p = (await api.request('POST', '/api/v1/namespaces/default/pods', pod('defaults'))).json();
    expect(p.spec.restartPolicy).toBe('Always');
    expect(p.spec.terminationGracePeriodSeconds).toBe(30);
    expect(p.spec.dnsPolicy).toBe('ClusterFirst');
    expect(p.spec.containers[0].imagePullPolicy).toBe('IfNotPresent');
    expect(p.spec.containers[0].ports[0].protocol).toBe('TCP');
    expect(p.status.phase).toBe('Pending');
    expect(p.status.qosClass).toBe('Burstable');
    const d = (await api.request('POST', '/apis/apps/v1/namespaces/default/deployments', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'defaults' }, spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'x:latest' }] } } } })).json();
    expect(d.spec.replicas).toBe(1);
    expect(d.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } });
    expect(d.spec.revisionHistoryLimit).toBe(10);
    expect(d.spec.progressDeadlineSeconds).toBe(600);
    expect(d.spec.template.spec.containers[0].imagePullPolicy).toBe('Always');
  });
});

describe('optimistic concurrency', () => {
  it('rejects an update with a stale resourceVersion with 409 and keeps the stored object', async () => {
    const coll = '/api/v1/namespaces/default/configmaps';
    const cm = (await api.request('POST', coll, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'occ' }, data: { v: '1' } })).json();
    const fresh = { ...cm, data: { v: '2' } };
    expect((await api.request('PUT', `${coll}/occ`, fresh)).status).toBe(200);
    const stale = { ...cm, data: { v: 'stale' } };
    const r = await api.request('PUT', `${coll}/occ`, stale);
    expect(r.status).toBe(409);
    expect(r.json()).toMatchObject({ reason: 'Conflict', code: 409 });
    expect((await api.request('GET', `${coll}/occ`)).json().data.v).toBe('2');
    // Without a resourceVersion the update is unconditional.
    const { resourceVersion: _rv, ...meta } = cm.metadata;
    const unconditional = await api.request('PUT', `${coll}/occ`, { ...cm, metadata: meta, data: { v: '3' } });
    expect(unconditional.status).toBe(200);
    expect(unconditional.json().data.v).toBe('3');
  });

  it('a create of an existing name is 409 AlreadyExists', async () => {
    const coll = '/api/v1/namespaces/default/configmaps';
    await api.request('POST', coll, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dup' } });
    const r = await api.request('POST', coll, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dup' } });
    expect(r.status).toBe(409);
    expect(r.json()).toMatchObject({ reason: 'AlreadyExists', message: 'configmaps "dup" already exists' });
  });
});

describe('status and scale subresources', () => {
  it('main-resource writes ignore status; /status writes change only status', async () => {
    const coll = '/apis/apps/v1/namespaces/default/replicasets';
    const rs = (await api.request('POST', coll, { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'st' }, spec: { replicas: 1, selector: { matchLabels: { a: 'st' } }, template: { metadata: { labels: { a: 'st' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } }, status: { replicas: 9 } })).json();
    expect(rs.status?.replicas).toBeUndefined();
    const main = await api.request('PATCH', `${coll}/st`, { status: { replicas: 5 } }, { 'content-type': 'application/merge-patch+json' });
    expect(main.json().status?.replicas).toBeUndefined();
    const st = await api.request('PATCH', `${coll}/st/status`, { spec: { replicas: 7 }, status: { replicas: 5 } }, { 'content-type': 'application/merge-patch+json' });
    expect(st.status, st.text).toBe(200);
    expect(st.json().status.replicas).toBe(5);
    expect(st.json().spec.replicas).toBe(1);
  });

  it('scale reads and writes spec.replicas through an autoscaling/v1 Scale', async () => {
    const coll = '/apis/apps/v1/namespaces/default/deployments';
    await api.request('POST', coll, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'sc' }, spec: { replicas: 2, selector: { matchLabels: { app: 'sc' } }, template: { metadata: { labels: { app: 'sc' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } } });
    const scale = await api.request('GET', `${coll}/sc/scale`);
    expect(scale.json()).toMatchObject({ kind: 'Scale', apiVersion: 'autoscaling/v1', spec: { replicas: 2 }, status: { selector: 'app=sc' } });
    const patched = await api.request('PATCH', `${coll}/sc/scale`, { spec: { replicas: 5 } }, { 'content-type': 'application/merge-patch+json' });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.json().spec.replicas).toBe(5);
    const put = await api.request('PUT', `${coll}/sc/scale`, { ...patched.json(), spec: { replicas: 3 } });
    expect(put.json().spec.replicas).toBe(3);
    expect((await api.request('GET', `${coll}/sc`)).json().spec.replicas).toBe(3);
    const bad = await api.request('PATCH', `${coll}/sc/scale`, { spec: { replicas: -1 } }, { 'content-type': 'application/merge-patch+json' });
    expect(bad.status).toBe(422);
  });
});

describe('autoscaling v1 is served from v2 storage', () => {
  it('converts targetCPUUtilizationPercentage both ways', async () => {
    const v1 = '/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers';
    const r = await api.request('POST', v1, { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'conv' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 5, targetCPUUtilizationPercentage: 50 } });
    expect(r.status, r.text).toBe(201);
    expect(r.json().apiVersion).toBe('autoscaling/v1');
    expect(r.json().spec.targetCPUUtilizationPercentage).toBe(50);
    const v2 = (await api.request('GET', '/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers/conv')).json();
    expect(v2.apiVersion).toBe('autoscaling/v2');
    expect(v2.spec.metrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }]);
    const list = (await api.request('GET', v1)).json();
    expect(list.items.find((i: any) => i.metadata.name === 'conv').spec.targetCPUUtilizationPercentage).toBe(50);
  });
});
