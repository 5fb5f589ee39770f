// The same API on the etcd backend: a real etcd started by the test, two
// apiservers sharing it (as a cluster would), and a watch on one seeing the
// writes made through the other.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, type ApiServerProcess } from '../harness/apiserver.js';
import { startEtcd } from '../harness/etcd.js';
import { openWatch } from '../harness/watch-stream.js';
import { deployment } from '../fixtures/objects.js';

let etcd: Awaited<ReturnType<typeof startEtcd>>;
let a: ApiServerProcess;
let b: ApiServerProcess;

beforeAll(async () => {
  etcd = await startEtcd();
  const store = `etcd://${etcd.endpoints.join(',')}`;
  a = await startApiServer({ store });
  b = await startApiServer({ store });
});
afterAll(async () => {
  await a?.cleanup();
  await b?.cleanup();
  await etcd?.stop();
});

describe('apiserver on etcd', () => {
  it('serves CRUD with etcd revisions as resourceVersions, shared by two apiservers', async () => {
    const coll = '/apis/apps/v1/namespaces/default/deployments';
    const start = (await b.request('GET', coll)).json().metadata.resourceVersion;
    const w = openWatch(b, `${coll}?watch=true&resourceVersion=${start}`);
    const created = await a.request('POST', coll, deployment('on-etcd'));
    expect(created.status, created.text).toBe(201);
    const viaB = await b.request('GET', `${coll}/on-etcd`);
    expect(viaB.status).toBe(200);
    expect(viaB.json().metadata.resourceVersion).toBe(created.json().metadata.resourceVersion);
    const stale = created.json();
    expect((await b.request('PATCH', `${coll}/on-etcd/scale`, { spec: { replicas: 4 } }, { 'content-type': 'application/merge-patch+json' })).status).toBe(200);
    const conflict = await a.request('PUT', `${coll}/on-etcd`, stale);
    expect(conflict.status).toBe(409);
    const events = await w.waitFor(2);
    expect(events.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED']);
    expect(events[1]!.object.spec.replicas).toBe(4);
    w.close();
  });

  it('allocates distinct ClusterIPs across apiservers', async () => {
    const svc = (i: number) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: `etcd-svc-${i}` }, spec: { selector: { app: 'x' }, ports: [{ port: 80 }] } });
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).request('POST', '/api/v1/namespaces/default/services', svc(i))));
    expect(results.every((r) => r.status === 201)).toBe(true);
    expect(new Set(results.map((r) => r.json().spec.clusterIP)).size).toBe(20);
  });
});
