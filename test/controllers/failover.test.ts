// Controller-manager crashes and leader failover against a real apiserver.
import { afterEach, describe, expect, it } from 'vitest';
import type { Deployment, Lease, Pod, ReplicaSet } from '@wharf/api';
import { R } from '@wharf/client';
import { eventually, startCluster, type Cluster } from './harness.js';

let c: Cluster | undefined;
afterEach(async () => {
  await c?.cleanup();
  c = undefined;
});

const deployment = (replicas: number, image: string): Deployment => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default' },
  spec: {
    replicas,
    selector: { matchLabels: { app: 'web' } },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 2, maxUnavailable: 0 } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image }] } },
  },
});

async function leaseHolder(cl: Cluster): Promise<string | undefined> {
  try {
    return (await cl.client.get<Lease>(R.leases, 'kube-system', 'kube-controller-manager')).spec?.holderIdentity;
  } catch {
    return undefined;
  }
}

function identityOf(logs: string): string | undefined {
  return /"msg":"became leader"[^\n]*"identity":"([^"]+)"/.exec(logs)?.[1];
}

describe('controller-manager failover (integration)', () => {
  it('converges with no surplus pods after SIGKILL mid-rollout and a restart', async () => {
    // New pods of image "slow" stay unready until the test says so, which holds the rollout midway.
    c = await startCluster({ nodes: { readyOnStart: (p) => p.spec?.containers[0]?.image !== 'slow' } });
    const cl = c;
    await cl.nodes.addMany('node', 4, { cpu: '64', memory: '128Gi' });
    await cl.nodes.start();
    await cl.client.create(R.deployments, 'default', deployment(10, 'v1'));
    await eventually(async () => (await cl.client.get<Deployment>(R.deployments, 'default', 'web')).status?.availableReplicas === 10, 60_000, '10 available');
    await cl.client.patch(R.deployments, 'default', 'web', 'merge', { spec: { template: { spec: { containers: [{ name: 'c', image: 'slow' }] } } } });
    // Mid-rollout: surge pods exist but are not ready.
    await eventually(async () => (await cl.client.list<Pod>(R.pods, { namespace: 'default', labelSelector: 'app=web' })).items.some((p) => p.spec?.containers[0]?.image === 'slow'), 30_000, 'surge pods');
    await cl.cms[0]!.kill('SIGKILL');
    // Readiness arrives while no controller runs; a new controller-manager must pick up from the stored state.
    for (const p of (await cl.client.list<Pod>(R.pods, { namespace: 'default', labelSelector: 'app=web' })).items) {
      if (p.spec?.containers[0]?.image === 'slow') await cl.nodes.setReady(p, true);
    }
    cl.startCM();
    let maxPods = 0;
    await eventually(async () => {
      const pods = (await cl.client.list<Pod>(R.pods, { namespace: 'default', labelSelector: 'app=web' })).items.filter((p) => !p.metadata.deletionTimestamp);
      maxPods = Math.max(maxPods, pods.length);
      for (const p of pods) if (p.spec?.containers[0]?.image === 'slow' && p.status?.phase === 'Running' && !p.status.conditions?.some((x) => x.type === 'Ready' && x.status === 'True')) await cl.nodes.setReady(p, true);
      const d = await cl.client.get<Deployment>(R.deployments, 'default', 'web');
      return (d.status?.observedGeneration ?? 0) >= (d.metadata.generation ?? 0) && d.status?.updatedReplicas === 10 && d.status.availableReplicas === 10 && d.status.replicas === 10 && pods.length === 10;
    }, 90_000, 'rollout converged after restart');
    expect(maxPods).toBeLessThanOrEqual(12);
    const pods = (await cl.client.list<Pod>(R.pods, { namespace: 'default', labelSelector: 'app=web' })).items.filter((p) => !p.metadata.deletionTimestamp);
    expect(pods.length).toBe(10);
    expect(new Set(pods.map((p) => p.spec?.containers[0]?.image))).toEqual(new Set(['slow']));
    const rss = (await cl.client.list<ReplicaSet>(R.replicasets, { namespace: 'default', labelSelector: 'app=web' })).items;
    expect(rss.map((r) => r.spec?.replicas).sort()).toEqual([0, 10]);
  });

  it('runs one leader among two controller-managers and fails over when the leader dies', async () => {
    c = await startCluster({ startCM: false });
    const cl = c;
    await cl.nodes.addMany('node', 2);
    await cl.nodes.start();
    const a = cl.startCM();
    const b = cl.startCM();
    const first = await eventually(async () => {
      const holder = await leaseHolder(cl);
      return holder && (identityOf(a.logs()) === holder || identityOf(b.logs()) === holder) ? holder : undefined;
    }, 30_000, 'a leader');
    const [leader, standby] = identityOf(a.logs()) === first ? [a, b] : [b, a];
    // Exactly one of them runs controllers.
    expect(identityOf(standby.logs())).toBeUndefined();
    expect(standby.logs()).not.toContain('controllers starting');

    await cl.client.create(R.deployments, 'default', deployment(2, 'v1'));
    await eventually(async () => (await cl.client.get<Deployment>(R.deployments, 'default', 'web')).status?.availableReplicas === 2, 30_000, 'work under the first leader');

    await leader.kill('SIGKILL');
    const second = await eventually(async () => {
      const holder = await leaseHolder(cl);
      return holder && holder !== first ? holder : undefined;
    }, 30_000, 'failover');
    // The lease changes hands in the API before the new leader's log line
    // reaches the test through its stderr pipe: wait for the line.
    await eventually(async () => identityOf(standby.logs()) === second || undefined, 10_000, 'the standby logs its leadership');
    expect(identityOf(standby.logs())).toBe(second);
    await cl.client.patch(R.deployments, 'default', 'web', 'merge', { spec: { replicas: 3 } });
    await eventually(async () => (await cl.client.get<Deployment>(R.deployments, 'default', 'web')).status?.availableReplicas === 3, 30_000, 'work under the new leader');
    const lease = await cl.client.get<Lease>(R.leases, 'kube-system', 'kube-controller-manager');
    expect(lease.spec?.leaseTransitions).toBeGreaterThanOrEqual(1);
  });

  it('releases the lease on SIGTERM so a standby takes over without waiting for expiry', async () => {
    c = await startCluster({ startCM: false, cmFlags: ['--leader-elect-lease-duration', '30s', '--leader-elect-renew-deadline', '20s'] });
    const cl = c;
    const a = cl.startCM();
    const holderA = await eventually(async () => identityOf(a.logs()), 30_000, 'first leader');
    const b = cl.startCM();
    const code = await a.kill('SIGTERM');
    expect(code).toBe(0);
    expect((await cl.client.get<Lease>(R.leases, 'kube-system', 'kube-controller-manager')).spec?.holderIdentity).not.toBe(holderA);
    // Far sooner than the 30 s lease duration.
    const holderB = await eventually(async () => identityOf(b.logs()), 10_000, 'standby takes over');
    expect(holderB).not.toBe(holderA);
  });
});
