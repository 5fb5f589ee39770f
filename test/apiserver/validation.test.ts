// Bad input always gets a clear Status and never changes stored data.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, type ApiServerProcess } from '../harness/apiserver.js';
import { deployment, pod, service } from '../fixtures/objects.js';

let api: ApiServerProcess;
const PODS = '/api/v1/namespaces/default/pods';
const DEPLOYS = '/apis/apps/v1/namespaces/default/deployments';

beforeAll(async () => {
  api = await startApiServer();
});
afterAll(async () => {
  await api?.cleanup();
});

async function podCount(): Promise<number> {
  return (await api.request('GET', PODS)).json().items.length;
}

function causes(r: { json(): any }): string[] {
  return (r.json().details?.causes ?? []).map((c: any) => c.field);
}

describe('422 Invalid names each bad field', () => {
  const cases: Array<[string, any, string]> = [
    ['missing containers', { ...pod('v1'), spec: { containers: [] } }, 'spec.containers'],
    ['bad name', pod('Bad_Name'), 'metadata.name'],
    ['duplicate container names', { ...pod('v2'), spec: { containers: [{ name: 'a', image: 'x' }, { name: 'a', image: 'y' }] } }, 'spec.containers[1].name'],
    ['missing image', { ...pod('v3'), spec: { containers: [{ name: 'a' }] } }, 'spec.containers[0].image'],
    ['port out of range', { ...pod('v4'), spec: { containers: [{ name: 'a', image: 'x', ports: [{ containerPort: 70000 }] }] } }, 'spec.containers[0].ports[0].containerPort'],
    ['bad quantity', { ...pod('v5'), spec: { containers: [{ name: 'a', image: 'x', resources: { limits: { cpu: 'lots' } } }] } }, 'spec.containers[0].resources.limits[cpu]'],
    ['bad restartPolicy', { ...pod('v6'), spec: { restartPolicy: 'Sometimes', containers: [{ name: 'a', image: 'x' }] } }, 'spec.restartPolicy'],
    ['bad label value', { ...pod('v7'), metadata: { name: 'v7', labels: { app: 'not valid!' } } }, 'metadata.labels'],
  ];
  for (const [what, body, field] of cases) {
    it(what, async () => {
      const before = await podCount();
      const r = await api.request('POST', PODS, body);
      expect(r.status, r.text).toBe(422);
      expect(r.json()).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'Invalid', code: 422 });
      expect(causes(r).some((f) => f.startsWith(field)), `${causes(r).join(',')} should include ${field}`).toBe(true);
      expect(await podCount()).toBe(before);
    });
  }

  it('a deployment selector must match its template labels', async () => {
    const d = deployment('sel');
    d.spec.template.metadata.labels = { app: 'other' };
    const r = await api.request('POST', DEPLOYS, d);
    expect(r.status).toBe(422);
    expect(causes(r)).toContain('spec.template.metadata.labels');
  });

  it('a deployment selector is immutable', async () => {
    expect((await api.request('POST', DEPLOYS, deployment('immut'))).status).toBe(201);
    const r = await api.request('PATCH', `${DEPLOYS}/immut`, { spec: { selector: { matchLabels: { app: 'x' } }, template: { metadata: { labels: { app: 'x' } } } } }, { 'content-type': 'application/merge-patch+json' });
    expect(r.status).toBe(422);
    expect(causes(r)).toContain('spec.selector');
    expect((await api.request('GET', `${DEPLOYS}/immut`)).json().spec.selector).toEqual({ matchLabels: { app: 'immut' } });
  });

  it('pod spec fields other than images are immutable', async () => {
    expect((await api.request('POST', PODS, pod('immut'))).status).toBe(201);
    const r = await api.request('PATCH', `${PODS}/immut`, { spec: { restartPolicy: 'Never' } }, { 'content-type': 'application/merge-patch+json' });
    expect(r.status).toBe(422);
    const ok = await api.request('PATCH', `${PODS}/immut`, { spec: { containers: [{ name: 'app', image: 'busybox:1.37' }] } }, { 'content-type': 'application/strategic-merge-patch+json' });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.json().spec.containers[0].image).toBe('busybox:1.37');
  });
});

describe('400 Bad Request', () => {
  it('malformed JSON', async () => {
    const before = await podCount();
    const r = await api.request('POST', PODS, '{"apiVersion": "v1", "kind": ');
    expect(r.status).toBe(400);
    expect(r.json()).toMatchObject({ kind: 'Status', reason: 'BadRequest' });
    expect(await podCount()).toBe(before);
  });

  it('malformed YAML', async () => {
    const r = await api.request('POST', PODS, 'apiVersion: v1\nkind: Pod\nmetadata: [unclosed\n', { 'content-type': 'application/yaml' });
    expect(r.status).toBe(400);
  });

  it('YAML bodies are accepted', async () => {
    const yaml = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-yaml\ndata:\n  a: "1"\n';
    const r = await api.request('POST', '/api/v1/namespaces/default/configmaps', yaml, { 'content-type': 'application/yaml' });
    expect(r.status, r.text).toBe(201);
    expect(r.json().data).toEqual({ a: '1' });
  });

  it('unknown field under fieldValidation=Strict', async () => {
    const body: any = pod('strict');
    body.spec.containers[0].imagee = 'typo';
    const r = await api.request('POST', `${PODS}?fieldValidation=Strict`, body);
    expect(r.status).toBe(400);
    expect(r.json().message).toContain('unknown field "spec.containers[0].imagee"');
    expect((await api.request('GET', `${PODS}/strict`)).status).toBe(404);
  });

  it('unknown field under Warn is a Warning header, and under Ignore silence', async () => {
    const body: any = pod('warn');
    body.spec.bogus = true;
    const r = await api.request('POST', `${PODS}?fieldValidation=Warn`, body);
    expect(r.status).toBe(201);
    // Kubernetes' Warning header quotes the text: 299 - "unknown field \"spec.bogus\"".
    expect(String(r.headers['warning'])).toBe('299 - "unknown field \\"spec.bogus\\""');
    const body2: any = pod('ignore');
    body2.spec.bogus = true;
    const r2 = await api.request('POST', `${PODS}?fieldValidation=Ignore`, body2);
    expect(r2.status).toBe(201);
    expect(r2.headers['warning']).toBeUndefined();
  });

  it('a namespace in the body that contradicts the URL', async () => {
    const body: any = pod('wrongns');
    body.metadata.namespace = 'kube-system';
    const r = await api.request('POST', PODS, body);
    expect(r.status).toBe(400);
    expect(r.json().message).toBe('the namespace of the provided object does not match the namespace sent on the request');
  });

  it('a name in the body that contradicts the URL', async () => {
    await api.request('POST', '/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'named' } });
    const r = await api.request('PUT', '/api/v1/namespaces/default/configmaps/named', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'other' } });
    expect(r.status).toBe(400);
    expect(r.json().message).toContain('does not match the name on the URL');
  });

  it('a kind that does not match the URL', async () => {
    const r = await api.request('POST', PODS, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } });
    expect(r.status).toBe(400);
  });
});

describe('other failures', () => {
  it('413 for a body over 3 MiB', async () => {
    const big = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big' }, data: { blob: 'x'.repeat(3 * 1024 * 1024 + 10) } };
    const r = await api.request('POST', '/api/v1/namespaces/default/configmaps', big);
    expect(r.status).toBe(413);
    expect(r.json()).toMatchObject({ kind: 'Status', code: 413 });
  });

  it('404 for a missing object with the Status kubectl prints', async () => {
    const r = await api.request('GET', `${PODS}/nope`);
    expect(r.status).toBe(404);
    expect(r.json()).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'pods "nope" not found', reason: 'NotFound', details: { name: 'nope', group: '', kind: 'pods' }, code: 404 });
  });

  it('415 for an unsupported patch type', async () => {
    const r = await api.request('PATCH', `${PODS}/nope`, '{}', { 'content-type': 'text/plain' });
    expect(r.status).toBe(415);
  });

  it('401 without credentials, except health and version', async () => {
    const r = await api.request('GET', PODS, undefined, { authorization: '' });
    expect(r.status).toBe(401);
    expect(r.json()).toMatchObject({ kind: 'Status', reason: 'Unauthorized', code: 401 });
    const wrong = await api.request('GET', PODS, undefined, { authorization: 'Bearer not-the-token' });
    expect(wrong.status).toBe(401);
    for (const p of ['/healthz', '/livez', '/readyz', '/version']) {
      expect((await api.request('GET', p, undefined, { authorization: '' })).status).toBe(200);
    }
    expect((await api.request('GET', '/version')).json()).toMatchObject({ major: '1', minor: '32' });
  });

  it('serves Prometheus metrics by verb and resource', async () => {
    const r = await api.request('GET', '/metrics');
    expect(r.status).toBe(200);
    expect(r.text).toMatch(/apiserver_request_total\{verb="LIST",group="",resource="pods"/);
    expect(r.text).toContain('apiserver_request_duration_seconds_bucket');
    expect(r.text).toContain('etcd_request_duration_seconds');
  });

  it('no input produces a 500', async () => {
    const bodies = ['null', '[]', '"str"', '42', '{"metadata": 5}', '{"metadata": {"name": 7}}', '{"spec": "x"}', '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"x"},"spec":{"containers":"nope"}}'];
    for (const b of bodies) {
      const r = await api.request('POST', PODS, b);
      expect(r.status, `${b} → ${r.text}`).toBeGreaterThanOrEqual(400);
      expect(r.status, `${b} → ${r.text}`).toBeLessThan(500);
    }
    const patches = ['{"spec": {"containers": 5}}', '[{"op":"remove","path":"/nope"}]'];
    await api.request('POST', PODS, pod('p500'));
    for (const [b, ct] of [[patches[0], 'application/strategic-merge-patch+json'], [patches[1], 'application/json-patch+json'], ['not json', 'application/merge-patch+json']] as const) {
      const r = await api.request('PATCH', `${PODS}/p500`, b, { 'content-type': ct });
      expect(r.status, `${b} → ${r.text}`).toBeGreaterThanOrEqual(400);
      expect(r.status, `${b} → ${r.text}`).toBeLessThan(500);
    }
    expect((await api.request('GET', `${PODS}/p500`)).json().spec.containers[0].image).toBe('busybox:1.36');
  });
});

describe('namespaces', () => {
  it('system namespaces exist', async () => {
    const names = (await api.request('GET', '/api/v1/namespaces')).json().items.map((n: any) => n.metadata.name);
    expect(names).toEqual(expect.arrayContaining(['default', 'kube-system', 'kube-public']));
  });

  it('objects cannot be created in a missing or terminating namespace', async () => {
    const r = await api.request('POST', '/api/v1/namespaces/missing/pods', pod('x'));
    expect(r.status).toBe(404);
    expect(r.json().message).toBe('namespaces "missing" not found');
    await api.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'doomed' } });
    expect((await api.request('DELETE', '/api/v1/namespaces/doomed')).status).toBe(202);
    const t = await api.request('POST', '/api/v1/namespaces/doomed/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'late' } });
    expect(t.status).toBe(403);
    expect(t.json().message).toContain('because it is being terminated');
  });

  it('default may not be deleted', async () => {
    expect((await api.request('DELETE', '/api/v1/namespaces/default')).status).toBe(403);
  });
});

describe('services', () => {
  const SVCS = '/api/v1/namespaces/default/services';
  it('the kubernetes service holds the first address; the tenth is reserved for cluster DNS', async () => {
    const k = (await api.request('GET', `${SVCS}/kubernetes`)).json();
    expect(k.spec.clusterIP).toBe('10.96.0.1');
    const dns = await api.request('POST', SVCS, service('wants-dns-ip', { clusterIP: '10.96.0.10' }));
    expect(dns.status).toBe(422);
    expect(dns.json().message).toContain('already allocated');
  });

  it('allocates ClusterIPs and NodePorts from their ranges and releases them on delete', async () => {
    const s = (await api.request('POST', SVCS, service('np', { type: 'NodePort' }))).json();
    expect(s.spec.clusterIP).toMatch(/^10\.96\.\d+\.\d+$/);
    expect(s.spec.ports[0].nodePort).toBeGreaterThanOrEqual(30000);
    expect(s.spec.ports[0].nodePort).toBeLessThanOrEqual(32767);
    const taken = await api.request('POST', SVCS, service('np2', { clusterIP: s.spec.clusterIP }));
    expect(taken.status).toBe(422);
    expect(taken.json().message).toContain('already allocated');
    const portTaken = await api.request('POST', SVCS, service('np3', { type: 'NodePort', nodePort: s.spec.ports[0].nodePort }));
    expect(portTaken.status).toBe(422);
    expect((await api.request('DELETE', `${SVCS}/np`)).status).toBe(200);
    const reuse = await api.request('POST', SVCS, service('np4', { type: 'NodePort', clusterIP: s.spec.clusterIP, nodePort: s.spec.ports[0].nodePort }));
    expect(reuse.status, reuse.text).toBe(201);
    const out = await api.request('POST', SVCS, service('np5', { clusterIP: '192.168.0.10' }));
    expect(out.status).toBe(422);
  });

  it('never hands out one address twice under concurrent creates', async () => {
    const same = await Promise.all(Array.from({ length: 20 }, (_, i) => api.request('POST', SVCS, service(`same-${i}`, { clusterIP: '10.96.200.200' }))));
    expect(same.filter((r) => r.status === 201)).toHaveLength(1);
    const many = await Promise.all(Array.from({ length: 50 }, (_, i) => api.request('POST', SVCS, service(`many-${i}`))));
    const ips = many.map((r) => r.json().spec.clusterIP);
    expect(many.every((r) => r.status === 201)).toBe(true);
    expect(new Set(ips).size).toBe(50);
  });
});
