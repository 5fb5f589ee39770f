// The small controllers end to end: IPAM, endpoints, endpoint slices, metrics.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { Deployment, EndpointSlice, Endpoints, Node, Pod, Service } from '@wharf/api';
import { R } from '@wharf/client';
import { eventually, startCluster, type Cluster } from './harness.js';

let c: Cluster;
beforeAll(async () => {
  c = await startCluster({ startCM: false });
  c.startCM(['--metrics-listen', '127.0.0.1:0']);
  await c.nodes.addMany('n', 2);
  await c.nodes.start();
});
afterAll(async () => {
  await c?.cleanup();
});

function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http.get(url, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

describe('controller-manager (integration)', () => {
  it('gives every node its own /24 pod CIDR', async () => {
    const cidrs = await eventually(async () => {
      const nodes = (await c.client.list<Node>(R.nodes)).items;
      return nodes.every((n) => n.spec?.podCIDR) ? nodes.map((n) => n.spec!.podCIDR!).sort() : undefined;
    }, 30_000, 'pod CIDRs');
    expect(cidrs).toEqual(['10.244.0.0/24', '10.244.1.0/24']);
  });

  it('publishes ready and not-ready pods of a Service in Endpoints and an EndpointSlice', async () => {
    await c.client.create(R.services, 'default', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } } as Service);
    await c.client.create(R.deployments, 'default', {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' },
      spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'i', ports: [{ name: 'http', containerPort: 8080 }] }] } } },
    } as Deployment);
    await eventually(async () => (await c.client.get<Deployment>(R.deployments, 'default', 'web')).status?.availableReplicas === 3, 30_000, 'available');
    const pods = (await c.client.list<Pod>(R.pods, { namespace: 'default', labelSelector: 'app=web' })).items;
    await c.nodes.setReady(pods[0]!, false);
    const ep = await eventually(async () => {
      const e = await c.client.get<Endpoints>(R.endpoints, 'default', 'web');
      return e.subsets?.[0]?.addresses?.length === 2 && e.subsets[0].notReadyAddresses?.length === 1 ? e : undefined;
    }, 30_000, 'endpoints');
    expect(ep.subsets).toHaveLength(1);
    expect(ep.subsets![0]!.ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
    expect(ep.subsets![0]!.notReadyAddresses![0]!.targetRef?.name).toBe(pods[0]!.metadata.name);
    const slice = await eventually(async () => {
      const list = (await c.client.list<EndpointSlice>(R.endpointslices, { namespace: 'default', labelSelector: 'kubernetes.io/service-name=web' })).items;
      return list.length === 1 && list[0]!.endpoints.length === 3 && list[0]!.endpoints.filter((e) => e.conditions?.ready).length === 2 ? list[0] : undefined;
    }, 30_000, 'endpoint slice');
    expect(slice!.ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
    expect(slice!.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'Service', name: 'web', controller: true });
  });

  it('serves /metrics, /healthz and /readyz', async () => {
    const addr = await eventually(() => /"msg":"serving metrics","address":"([^"]+)"/.exec(c.cms[0]!.logs())?.[1], 10_000, 'metrics address');
    expect((await get(`http://${addr}/healthz`)).body).toBe('ok');
    expect((await get(`http://${addr}/readyz`)).status).toBe(200);
    const metrics = await eventually(async () => {
      const m = (await get(`http://${addr}/metrics`)).body;
      return m.includes('workqueue_adds_total{name="replicaset"}') ? m : undefined;
    }, 10_000, 'metrics');
    expect(metrics).toContain('leader_election_master_status{name="kube-controller-manager"} 1');
    expect(metrics).toMatch(/scheduler_scheduled_total [1-9]/);
  });
});
