// Node failure and scheduling at scale against a real apiserver.
import { afterEach, describe, expect, it } from 'vitest';
import type { Deployment, Event, Node, Pod } from '@wharf/api';
import { R } from '@wharf/client';
import { eventually, startCluster, type Cluster } from './harness.js';

let c: Cluster | undefined;
afterEach(async () => {
  await c?.cleanup();
  c = undefined;
});

function milliCpu(q: string): number {
  if (q.endsWith('m')) return Number(q.slice(0, -1));
  return Number(q) * 1000;
}
function mem(q: string): number {
  const m = /^(\d+)(Mi|Gi)?$/.exec(q)!;
  return Number(m[1]) * (m[2] === 'Gi' ? 1024 ** 3 : m[2] === 'Mi' ? 1024 ** 2 : 1);
}

describe('node lifecycle (integration)', () => {
  it('replaces the pods of a node that stops renewing its lease on other nodes', async () => {
    c = await startCluster({ cmFlags: ['--node-monitor-grace-period', '3s', '--pod-eviction-timeout', '2s'] });
    const cl = c;
    await cl.nodes.addMany('node', 3);
    await cl.nodes.start();
    await cl.client.create(R.deployments, 'default', {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' },
      spec: { replicas: 6, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { terminationGracePeriodSeconds: 2, containers: [{ name: 'c', image: 'i' }] } } },
    } as Deployment);
    await eventually(async () => (await cl.client.get<Deployment>(R.deployments, 'default', 'web')).status?.availableReplicas === 6, 30_000, '6 available');
    const pods = (await cl.client.list<Pod>(R.pods, { namespace: 'default', labelSelector: 'app=web' })).items;
    const victim = pods[0]!.spec!.nodeName!;
    const onVictim = pods.filter((p) => p.spec?.nodeName === victim).map((p) => p.metadata.uid);
    expect(onVictim.length).toBeGreaterThan(0);

    cl.nodes.silence(victim);
    const node = await eventually(async () => {
      const n = await cl.client.get<Node>(R.nodes, undefined, victim);
      return n.status?.conditions?.find((x) => x.type === 'Ready')?.status === 'Unknown' && n.spec?.taints?.length === 2 ? n : undefined;
    }, 30_000, 'node Ready=Unknown');
    expect(node.spec?.taints?.map((t) => `${t.key}:${t.effect}`).sort()).toEqual(['node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/unreachable:NoSchedule']);

    await eventually(async () => {
      const live = (await cl.client.list<Pod>(R.pods, { namespace: 'default', labelSelector: 'app=web' })).items.filter((p) => !p.metadata.deletionTimestamp);
      return live.length === 6 && live.every((p) => p.spec?.nodeName && p.spec.nodeName !== victim && p.status?.phase === 'Running');
    }, 60_000, 'pods replaced elsewhere').catch(async (err) => {
      for (const p of (await cl.client.list<Pod>(R.pods, { namespace: 'default' })).items) console.log('DBG', p.metadata.name, p.spec?.nodeName, p.status?.phase, p.metadata.deletionTimestamp, JSON.stringify(p.metadata.finalizers));
      console.log('DBG', cl.cms[0]!.logs().split('\n').filter((l) => /warn|error|evict|TaintManager/i.test(l)).slice(-15).join('\n'));
      throw err;
    });
    // The evicted pods are gone for good: nobody is left on the dead node to
    // confirm, so they are force-deleted once their 2 s grace period has passed.
    await eventually(async () => {
      const all = (await cl.client.list<Pod>(R.pods, { namespace: 'default' })).items;
      return all.every((p) => !onVictim.includes(p.metadata.uid));
    }, 60_000, 'evicted pods removed');
    const events = (await cl.client.list<Event>(R.events, { namespace: 'default' })).items;
    expect(events.some((e) => e.reason === 'TaintManagerEviction')).toBe(true);
  });
});

describe('scheduler at scale (integration)', () => {
  it('places 3,000 pods with mixed requests on 100 nodes without overcommitting any', async () => {
    c = await startCluster({ cmFlags: ['--controllers', 'scheduler,nodelifecycle'] });
    const cl = c;
    // Not started: the kubelet stand-in would only add load; leases are fresh at creation.
    await cl.nodes.addMany('node', 100, { cpu: '8', memory: '16Gi', pods: '110' }, 32);
    const shapes = [
      { cpu: '100m', memory: '128Mi' },
      { cpu: '250m', memory: '256Mi' },
      { cpu: '500m', memory: '1Gi' },
      { cpu: '1', memory: '512Mi' },
    ];
    // 3,000 pods asking for ~1.56 cores each on average: 4,687 cores requested of 800 → most cannot fit.
    const total = 3000;
    let next = 0;
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (next < total) {
          const i = next++;
          const s = shapes[i % shapes.length]!;
          await cl.client.create(R.pods, 'default', {
            apiVersion: 'v1', kind: 'Pod', metadata: { name: `p-${i}`, namespace: 'default' },
            spec: { containers: [{ name: 'c', image: 'i', resources: { requests: s } }] },
          } as Pod);
        }
      }),
    );
    const settled = await eventually(async () => {
      const pods = (await cl.client.list<Pod>(R.pods, { namespace: 'default' })).items;
      const bound = pods.filter((p) => p.spec?.nodeName).length;
      const unschedulable = pods.filter((p) => p.status?.conditions?.some((x) => x.type === 'PodScheduled' && x.reason === 'Unschedulable')).length;
      return bound + unschedulable === total ? pods : undefined;
    }, 120_000, 'every pod bound or marked unschedulable');
    const perNode = new Map<string, { cpu: number; mem: number; pods: number }>();
    for (const p of settled) {
      const n = p.spec?.nodeName;
      if (!n) continue;
      const r = p.spec!.containers[0]!.resources!.requests!;
      const acc = perNode.get(n) ?? { cpu: 0, mem: 0, pods: 0 };
      acc.cpu += milliCpu(r['cpu']!);
      acc.mem += mem(r['memory']!);
      acc.pods += 1;
      perNode.set(n, acc);
    }
    const over = [...perNode].filter(([, u]) => u.cpu > 8000 || u.mem > 16 * 1024 ** 3 || u.pods > 110);
    expect(over).toEqual([]);
    // The cluster is actually full: almost no CPU left that a 100m pod could use, yet pods were left pending.
    const bound = settled.filter((p) => p.spec?.nodeName).length;
    expect(bound).toBeGreaterThan(1000);
    expect(bound).toBeLessThan(total);
    const pending = settled.find((p) => !p.spec?.nodeName)!;
    const cond = pending.status!.conditions!.find((x) => x.type === 'PodScheduled')!;
    expect(cond.message).toMatch(/^0\/100 nodes are available: \d+ Insufficient cpu/);
  });

  it('retries an unschedulable pod when a node that fits joins', async () => {
    c = await startCluster({ cmFlags: ['--controllers', 'scheduler'] });
    const cl = c;
    await cl.nodes.add('small', { cpu: '1' });
    await cl.client.create(R.pods, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'big', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'i', resources: { requests: { cpu: '2' } } }] } } as Pod);
    const msg = await eventually(async () => (await cl.client.get<Pod>(R.pods, 'default', 'big')).status?.conditions?.find((x) => x.type === 'PodScheduled')?.message, 30_000, 'FailedScheduling');
    expect(msg).toBe('0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.');
    const events = (await cl.client.list<Event>(R.events, { namespace: 'default' })).items.filter((e) => e.reason === 'FailedScheduling');
    expect(events.length).toBeGreaterThan(0);
    await cl.nodes.add('large', { cpu: '4' });
    const node = await eventually(async () => (await cl.client.get<Pod>(R.pods, 'default', 'big')).spec?.nodeName, 30_000, 'bound after node joined');
    expect(node).toBe('large');
  });
});
