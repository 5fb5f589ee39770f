// Finalizers, graceful pod deletion, propagation policies and the binding
// subresource — the deletion rules other components rely on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, type ApiServerProcess } from '../harness/apiserver.js';
import { pod } from '../fixtures/objects.js';

let api: ApiServerProcess;
const PODS = '/api/v1/namespaces/default/pods';
const CMS = '/api/v1/namespaces/default/configmaps';

beforeAll(async () => {
  api = await startApiServer();
});
afterAll(async () => {
  await api?.cleanup();
});

describe('deletion', () => {
  it('an object with finalizers is marked, then removed when the last finalizer goes', async () => {
    await api.request('POST', CMS, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'fin', finalizers: ['example.com/hold'] } });
    const del = await api.request('DELETE', `${CMS}/fin`);
    expect(del.status).toBe(202);
    expect(del.json().metadata.deletionTimestamp).toBeTruthy();
    expect((await api.request('GET', `${CMS}/fin`)).status).toBe(200);
    const add = await api.request('PATCH', `${CMS}/fin`, { metadata: { finalizers: ['example.com/hold', 'example.com/new'] } }, { 'content-type': 'application/merge-patch+json' });
    expect(add.status).toBe(422);
    const clear = await api.request('PATCH', `${CMS}/fin`, { metadata: { finalizers: null } }, { 'content-type': 'application/merge-patch+json' });
    expect(clear.status, clear.text).toBe(200);
    expect((await api.request('GET', `${CMS}/fin`)).status).toBe(404);
  });

  it('a pod bound to a node waits for the node to confirm with grace 0', async () => {
    await api.request('POST', PODS, pod('graceful', { nodeName: 'node-a' }));
    const del = await api.request('DELETE', `${PODS}/graceful`);
    expect(del.status).toBe(202);
    expect(del.json().metadata.deletionGracePeriodSeconds).toBe(30);
    const shorter = await api.request('DELETE', `${PODS}/graceful`, { gracePeriodSeconds: 5 });
    expect(shorter.json().metadata.deletionGracePeriodSeconds).toBe(5);
    expect((await api.request('GET', `${PODS}/graceful`)).status).toBe(200);
    const confirm = await api.request('DELETE', `${PODS}/graceful?gracePeriodSeconds=0`);
    expect(confirm.status).toBe(200);
    expect((await api.request('GET', `${PODS}/graceful`)).status).toBe(404);
  });

  it('an unscheduled pod is deleted at once', async () => {
    await api.request('POST', PODS, pod('unbound'));
    expect((await api.request('DELETE', `${PODS}/unbound`)).status).toBe(200);
    expect((await api.request('GET', `${PODS}/unbound`)).status).toBe(404);
  });

  it('propagation policies become the garbage collector finalizers', async () => {
    await api.request('POST', CMS, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'fg' } });
    const fg = await api.request('DELETE', `${CMS}/fg`, { propagationPolicy: 'Foreground' });
    expect(fg.json().metadata.finalizers).toEqual(['foregroundDeletion']);
    await api.request('POST', CMS, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'or' } });
    const or = await api.request('DELETE', `${CMS}/or?propagationPolicy=Orphan`);
    expect(or.json().metadata.finalizers).toEqual(['orphan']);
    await api.request('POST', CMS, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'bg' } });
    expect((await api.request('DELETE', `${CMS}/bg`, { propagationPolicy: 'Background' })).status).toBe(200);
  });

  it('preconditions guard a delete', async () => {
    const c = (await api.request('POST', CMS, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'pre' } })).json();
    const wrong = await api.request('DELETE', `${CMS}/pre`, { preconditions: { uid: 'not-the-uid' } });
    expect(wrong.status).toBe(409);
    expect((await api.request('DELETE', `${CMS}/pre`, { preconditions: { uid: c.metadata.uid } })).status).toBe(200);
  });
});

describe('binding', () => {
  it('binds a pending pod once and refuses a second binding', async () => {
    await api.request('POST', PODS, pod('tobind'));
    const b = await api.request('POST', `${PODS}/tobind/binding`, { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'tobind' }, target: { apiVersion: 'v1', kind: 'Node', name: 'node-7' } });
    expect(b.status, b.text).toBe(201);
    const p = (await api.request('GET', `${PODS}/tobind`)).json();
    expect(p.spec.nodeName).toBe('node-7');
    expect(p.status.conditions.find((c: any) => c.type === 'PodScheduled').status).toBe('True');
    const again = await api.request('POST', `${PODS}/tobind/binding`, { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'tobind' }, target: { kind: 'Node', name: 'node-8' } });
    expect(again.status).toBe(409);
    expect((await api.request('GET', `${PODS}/tobind`)).json().spec.nodeName).toBe('node-7');
  });
});
