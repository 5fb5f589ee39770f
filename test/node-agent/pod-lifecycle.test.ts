// A busybox pod on a real node: runtime (conmon + runc) and agent inside their
// own network namespace, apiserver on loopback.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUSYBOX, startNodeCluster, waitFor, type NodeCluster } from '../harness/node-cluster.js';

let c: NodeCluster;

function pod(name: string, spec: Record<string, unknown>, labels: Record<string, string> = {}) {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels }, spec: { nodeName: 'node-1', terminationGracePeriodSeconds: 5, ...spec } };
}

async function getPod(name: string): Promise<any> {
  const r = await c.request('GET', `/api/v1/namespaces/default/pods/${name}`);
  return r.status === 200 ? r.json() : undefined;
}

async function waitPod(name: string, pred: (p: any) => boolean, what: string, timeoutMs = 60_000): Promise<any> {
  return waitFor(`${name}: ${what}`, async () => {
    const p = await getPod(name);
    return p && pred(p) ? p : undefined;
  }, timeoutMs, 200);
}

beforeAll(async () => {
  c = await startNodeCluster({ agentArgs: ['--cpu', '2', '--memory', '4Gi', '--max-pods', '50', '--system-reserved', 'cpu=100m,memory=64Mi'] });
});

afterAll(async () => {
  await c?.cleanup();
});

describe('node agent: pod lifecycle', () => {
  it('registers the node with capacity, addresses, conditions and a lease', async () => {
    const node = (await c.request('GET', '/api/v1/nodes/node-1')).json();
    expect(node.status.capacity).toMatchObject({ cpu: '2', memory: '4194304Ki', pods: '50' });
    expect(node.status.allocatable).toMatchObject({ cpu: '1900m', memory: '4128768Ki', pods: '50' });
    expect(node.status.daemonEndpoints.kubeletEndpoint.Port).toBe(c.agentPort);
    expect(node.metadata.labels['kubernetes.io/hostname']).toBe('node-1');
    expect(node.status.images.some((i: any) => i.names.includes(BUSYBOX) && i.sizeBytes > 0)).toBe(true);
    expect(node.status.addresses).toContainEqual({ type: 'InternalIP', address: '127.0.0.1' });
    expect(node.status.conditions.map((x: any) => x.type).sort()).toEqual(['DiskPressure', 'MemoryPressure', 'PIDPressure', 'Ready']);
    expect(node.status.nodeInfo.kubeletVersion).toMatch(/^v1\./);
    const lease = await waitFor('lease', async () => {
      const r = await c.request('GET', '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/node-1');
      return r.status === 200 ? r.json() : undefined;
    });
    expect(lease.spec.holderIdentity).toBe('node-1');
    expect(lease.spec.leaseDurationSeconds).toBe(40);
  });

  it('serves health, readiness and metrics', async () => {
    expect((await c.agentGet('/healthz')).text).toBe('ok');
    // Ready once the pod cache has synced, which may trail the Node's registration.
    expect(await waitFor('readyz', async () => ((await c.agentGet('/readyz')).text === 'ok' ? 'ok' : undefined))).toBe('ok');
    const m = await c.agentGet('/metrics');
    expect(m.text).toMatch(/^wharf_node_agent_relists_total \d+$/m);
    expect(m.text).toContain('# TYPE wharf_node_agent_pods gauge');
  });

  it('runs a busybox pod and reports Running with its IP', async () => {
    const r = await c.request('POST', '/api/v1/namespaces/default/pods', pod('web', {
      containers: [{ name: 'main', image: BUSYBOX, imagePullPolicy: 'IfNotPresent', command: ['sh', '-c', 'echo hello; exec sleep 3600'] }],
    }));
    expect(r.status).toBe(201);
    const p = await waitPod('web', (x) => x.status?.phase === 'Running' && x.status.conditions?.some((k: any) => k.type === 'Ready' && k.status === 'True'), 'Running and Ready');
    expect(p.status.podIP).toMatch(/^10\.244\.7\.\d+$/);
    expect(p.status.podIPs).toEqual([{ ip: p.status.podIP }]);
    expect(p.status.hostIP).toBe('127.0.0.1');
    expect(p.status.qosClass).toBe('BestEffort');
    expect(p.status.startTime).toBeTruthy();
    const cs = p.status.containerStatuses[0];
    expect(cs.name).toBe('main');
    expect(cs.ready).toBe(true);
    expect(cs.restartCount).toBe(0);
    expect(cs.state.running.startedAt).toBeTruthy();
    expect(cs.containerID).toMatch(/^wharf:\/\//);
    const types = p.status.conditions.map((k: any) => k.type);
    for (const t of ['PodScheduled', 'Initialized', 'ContainersReady', 'Ready']) expect(types).toContain(t);
    // The pod's IP answers from the node's network namespace.
    const ping = await c.run(['busybox', 'ping', '-c', '1', '-W', '2', p.status.podIP]);
    expect(ping.code).toBe(0);
    const events = await waitFor('pod events', async () => {
      const items = (await c.request('GET', '/api/v1/namespaces/default/events')).json().items.filter((e: any) => e.involvedObject.name === 'web');
      return items.some((e: any) => e.reason === 'Started') ? items : undefined;
    });
    const reasons = events.map((e: any) => e.reason);
    for (const r of ['Pulled', 'Created', 'Started']) expect(reasons).toContain(r);
    expect(events.find((e: any) => e.reason === 'Started').source.component).toBe('kubelet');
    const logs = await c.agentGet('/pods/default/web/log');
    expect(logs.text).toBe('hello\n');
  });

  it('runs a hostNetwork pod with the node\'s address', async () => {
    const r = await c.request('POST', '/api/v1/namespaces/default/pods', pod('hostnet', {
      hostNetwork: true,
      containers: [{ name: 'main', image: BUSYBOX, imagePullPolicy: 'IfNotPresent', command: ['sh', '-c', 'ip -o addr show dev wharf0 || echo nodev; exec sleep 3600'] }],
    }));
    expect(r.status).toBe(201);
    const p = await waitPod('hostnet', (x) => x.status?.phase === 'Running', 'Running');
    expect(p.status.podIP).toBe('127.0.0.1');
    // It sees the node's interfaces (the bridge) rather than an eth0 of its own.
    const logs = await waitFor('hostnet logs', async () => {
      const t = (await c.agentGet('/pods/default/hostnet/log')).text;
      return t ? t : undefined;
    });
    expect(logs).toContain('wharf0');
  });
});
