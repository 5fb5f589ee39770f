// Service networking on a real node: cluster DNS, ClusterIP and NodePort
// through nftables, readiness gating the endpoints, hairpin traffic. The
// EndpointSlice controller runs in the test process against the apiserver.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControllerManager, type ControllerManagerHandle } from '@wharf/controller-manager';
import { startNodeCluster, waitFor, type NodeCluster } from '../harness/node-cluster.js';
import { busybox, containerStatus, create, getPod, pod, waitPod } from './helpers.js';

let c: NodeCluster;
let cm: ControllerManagerHandle;
let clusterIP = '';
let nodePort = 0;

const server = (name: string) =>
  pod(
    name,
    {
      containers: [
        busybox('web', 'mkdir -p /www && hostname > /www/index.html && exec httpd -f -p 8080 -h /www', {
          ports: [{ name: 'http', containerPort: 8080 }],
          readinessProbe: { httpGet: { path: '/index.html', port: 'http' }, periodSeconds: 1, failureThreshold: 1 },
        }),
      ],
    },
    { labels: { app: 'backend' } },
  );

async function inPod(name: string, script: string): Promise<{ code: number; out: string }> {
  const p = await getPod(c, name);
  const id = containerStatus(p, containerStatus(p, 'main') ? 'main' : 'web').containerID.replace('wharf://', '');
  const r = await c.runtime().execSync({ container_id: id, cmd: ['sh', '-c', script], timeout: 10 });
  return { code: r.exit_code, out: r.stdout.toString() + r.stderr.toString() };
}

async function endpointsReady(n: number): Promise<void> {
  await waitFor(`${n} ready endpoints`, async () => {
    const r = await c.request('GET', '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices?labelSelector=kubernetes.io/service-name%3Dbackend');
    const ready = r.json().items.flatMap((s: any) => s.endpoints ?? []).filter((e: any) => e.conditions?.ready !== false);
    return ready.length === n ? true : undefined;
  });
}

beforeAll(async () => {
  c = await startNodeCluster({ agentArgs: ['--cluster-dns', '10.96.0.10'] });
  cm = await startControllerManager({ kubeconfig: c.api.kubeconfig, controllers: ['endpointslice', 'endpoint'], leaderElect: false, metricsListen: '127.0.0.1:0' });
  const svc = await create(c, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'backend' }, spec: { type: 'NodePort', selector: { app: 'backend' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } }, 'services');
  clusterIP = svc.spec.clusterIP;
  nodePort = svc.spec.ports[0].nodePort;
  await create(c, server('backend-1'));
  await create(c, server('backend-2'));
  await create(c, pod('client', { containers: [busybox('main', 'exec sleep 3600')] }));
  for (const n of ['backend-1', 'backend-2', 'client']) await waitPod(c, n, (x) => x.status?.conditions?.some((k: any) => k.type === 'Ready' && k.status === 'True'), 'Ready');
  await endpointsReady(2);
});

afterAll(async () => {
  await cm?.stop();
  await c?.cleanup();
});

describe('node agent: services and DNS', () => {
  it('resolves service names (full, short, SRV) and answers NXDOMAIN otherwise', async () => {
    const full = await inPod('client', 'nslookup backend.default.svc.cluster.local');
    expect(full.code).toBe(0);
    expect(full.out).toContain(clusterIP);
    const short = await inPod('client', 'nslookup backend');
    expect(short.out).toContain(clusterIP);
    const srv = await inPod('client', 'nslookup -type=srv _http._tcp.backend.default.svc.cluster.local');
    expect(srv.out).toMatch(/port = 80|80 backend\.default\.svc\.cluster\.local/);
    const missing = await inPod('client', 'nslookup nothere.default.svc.cluster.local');
    expect(missing.code).not.toBe(0);
    expect(missing.out).toMatch(/NXDOMAIN|can't find/);
  });

  it('reaches both backends through the ClusterIP and the service name', async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 30 && seen.size < 2; i++) {
      const r = await inPod('client', `timeout 5 wget -qO- http://${clusterIP}/index.html`);
      expect(r.code).toBe(0);
      seen.add(r.out.trim());
    }
    expect([...seen].sort()).toEqual(['backend-1', 'backend-2']);
    const byName = await inPod('client', 'timeout 5 wget -qO- http://backend.default.svc.cluster.local/index.html');
    expect(byName.out.trim()).toMatch(/^backend-[12]$/);
  });

  it('answers on the NodePort from the node itself', async () => {
    const r = await c.run(['busybox', 'timeout', '5', 'busybox', 'wget', '-qO-', `http://127.0.0.1:${nodePort}/index.html`]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^backend-[12]$/);
    const gw = c.podCIDR.replace(/\.0\/\d+$/, '.1');
    const viaBridge = await c.run(['busybox', 'timeout', '5', 'busybox', 'wget', '-qO-', `http://${gw}:${nodePort}/index.html`]);
    expect(viaBridge.stdout.trim()).toMatch(/^backend-[12]$/);
  });

  it('keeps a client on one backend with sessionAffinity ClientIP', async () => {
    const svc = await create(c, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'sticky' }, spec: { selector: { app: 'backend' }, sessionAffinity: 'ClientIP', ports: [{ port: 80, targetPort: 8080 }] } }, 'services');
    await waitFor('sticky endpoints', async () => {
      const r = await c.request('GET', '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices?labelSelector=kubernetes.io/service-name%3Dsticky');
      return r.json().items.flatMap((x: any) => x.endpoints ?? []).length === 2 ? true : undefined;
    });
    const first = await waitFor('sticky rule', async () => {
      const r = await inPod('client', `timeout 5 wget -qO- http://${svc.spec.clusterIP}/index.html`);
      return r.code === 0 ? r.out.trim() : undefined;
    });
    for (let i = 0; i < 10; i++) {
      const r = await inPod('client', `timeout 5 wget -qO- http://${svc.spec.clusterIP}/index.html`);
      expect(r.out.trim()).toBe(first);
    }
  });

  it('sends no traffic to a pod that is not ready', async () => {
    await inPod('backend-2', 'rm /www/index.html');
    await waitPod(c, 'backend-2', (x) => x.status?.conditions?.some((k: any) => k.type === 'Ready' && k.status === 'False'), 'not Ready');
    await endpointsReady(1);
    // The proxy follows the slice within its debounce; give it a moment, then every request must land on backend-1.
    await waitFor('rules without backend-2', async () => ((await inPod('client', `timeout 5 wget -qO- http://${clusterIP}/index.html`)).out.trim() === 'backend-1' ? true : undefined));
    for (let i = 0; i < 15; i++) {
      const r = await inPod('client', `timeout 5 wget -qO- http://${clusterIP}/index.html`);
      expect(r.out.trim()).toBe('backend-1');
    }
    // backend-1 is now the only endpoint: reaching its own service is pure hairpin traffic.
    for (let i = 0; i < 5; i++) {
      const h = await inPod('backend-1', `timeout 5 wget -qO- http://${clusterIP}/index.html`);
      expect(h.out.trim()).toBe('backend-1');
    }
  });

  it('routes the whole service CIDR locally: an unused service IP is refused, never sent out', async () => {
    const route = await c.run(['ip', 'route', 'show', 'table', 'local', '10.96.0.0/16']);
    expect(route.stdout).toContain('local 10.96.0.0/16 dev lo');
    const r = await inPod('client', 'timeout 5 wget -qO- http://10.96.255.254/ 2>&1; echo rc=$?');
    expect(r.out).toMatch(/refused/i);
  });
});
