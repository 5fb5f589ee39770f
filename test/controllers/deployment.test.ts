// Deployments against a real apiserver and controller-manager with hollow nodes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { objectKey, type Deployment, type Pod, type ReplicaSet } from '@wharf/api';
import { R } from '@wharf/client';
import { kubectlFor } from '../kubectl/kubectl.js';
import { eventually, startCluster, type Cluster } from './harness.js';

let c: Cluster;
beforeAll(async () => {
  // Pods of image "slow" start not ready: the test decides when they become ready.
  c = await startCluster({ nodes: { readyOnStart: (p) => p.spec?.containers[0]?.image !== 'slow' } });
  await c.nodes.addMany('node', 5, { cpu: '64', memory: '256Gi', pods: '250' });
  await c.nodes.start();
});
afterAll(async () => {
  if (process.env['SHOW_CM_LOGS']) console.log(c.cms.map((m) => m.logs()).join('\n'));
  await c?.cleanup();
});

function deployment(name: string, replicas: number, image: string, extra: Partial<Deployment['spec']> = {}): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image }] } },
      ...extra,
    },
  };
}

const get = (name: string) => c.client.get<Deployment>(R.deployments, 'default', name);
const livePods = async (app: string) => (await c.client.list<Pod>(R.pods, { namespace: 'default', labelSelector: `app=${app}` })).items.filter((p) => !p.metadata.deletionTimestamp);
const isReady = (p: Pod) => p.status?.conditions?.some((x) => x.type === 'Ready' && x.status === 'True') ?? false;

async function complete(name: string, replicas: number): Promise<Deployment> {
  return eventually(async () => {
    const d = await get(name);
    const s = d.status ?? {};
    return (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 0) && s.updatedReplicas === replicas && s.replicas === replicas && s.availableReplicas === replicas ? d : undefined;
  }, 90_000, `${name} complete with ${replicas}`);
}

describe('Deployment controller (integration)', () => {
  it('rolls 20 replicas with maxSurge 1 / maxUnavailable 0 without ever dropping below 20 ready', async () => {
    await c.client.create(R.deployments, 'default', deployment('roll', 20, 'v1', { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } }));
    await complete('roll', 20);

    // Count ready, non-terminating pods from the watch stream after every event.
    const ready = new Map<string, boolean>();
    let minReady = Infinity;
    let maxPods = 0;
    const stream = c.client.watch<Pod>(R.pods, { namespace: 'default', labelSelector: 'app=roll' });
    const list = await livePods('roll');
    for (const p of list) ready.set(objectKey(p), isReady(p));
    const watching = (async () => {
      for await (const e of stream) {
        const k = objectKey(e.object);
        if (e.type === 'DELETED' || e.object.metadata.deletionTimestamp) ready.delete(k);
        else ready.set(k, isReady(e.object));
        const n = [...ready.values()].filter(Boolean).length;
        minReady = Math.min(minReady, n);
        maxPods = Math.max(maxPods, ready.size);
      }
    })().catch(() => undefined);

    await c.client.patch(R.deployments, 'default', 'roll', 'merge', { spec: { template: { spec: { containers: [{ name: 'c', image: 'slow' }] } } } });
    // Readiness is the test's to give: one new pod at a time.
    const done = eventually(async () => {
      const pods = await livePods('roll');
      const waiting = pods.filter((p) => p.spec?.containers[0]?.image === 'slow' && p.status?.phase === 'Running' && !isReady(p));
      for (const p of waiting) await c.nodes.setReady(p, true);
      const d = await get('roll');
      return (d.status?.observedGeneration ?? 0) >= (d.metadata.generation ?? 0) && d.status?.updatedReplicas === 20 && d.status.availableReplicas === 20 && d.status.replicas === 20;
    }, 120_000, 'rolling update');
    await done;
    const pods = await eventually(async () => {
      const p = await livePods('roll');
      return p.length === 20 ? p : undefined;
    }, 30_000, 'old pods gone').catch(async (err) => {
      for (const p of await livePods('roll')) console.log(p.metadata.name, p.metadata.ownerReferences?.[0]?.name, p.status?.phase, isReady(p), p.spec?.nodeName);
      for (const r of (await c.client.list<ReplicaSet>(R.replicasets, { namespace: 'default', labelSelector: 'app=roll' })).items) console.log(r.metadata.name, JSON.stringify(r.spec?.replicas), JSON.stringify(r.status));
      console.log(JSON.stringify((await get('roll')).status));
      throw err;
    });
    stream.stop();
    await watching;
    expect(minReady).toBeGreaterThanOrEqual(20);
    expect(maxPods).toBeLessThanOrEqual(21);
    expect(pods.every((p) => p.spec?.containers[0]?.image === 'slow')).toBe(true);
    const d = await get('roll');
    expect(d.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('2');
    expect(d.status?.conditions?.find((x) => x.type === 'Progressing')).toMatchObject({ status: 'True', reason: 'NewReplicaSetAvailable' });
    expect(d.status?.conditions?.find((x) => x.type === 'Available')).toMatchObject({ status: 'True' });
  });

  it('scales 0 → 100 → 3', async () => {
    await c.client.create(R.deployments, 'default', deployment('scale', 0, 'v1'));
    await complete('scale', 0);
    await c.client.patch(R.deployments, 'default', 'scale', 'merge', { spec: { replicas: 100 } });
    await complete('scale', 100);
    expect((await livePods('scale')).length).toBe(100);
    await c.client.patch(R.deployments, 'default', 'scale', 'merge', { spec: { replicas: 3 } });
    await complete('scale', 3);
    await eventually(async () => (await livePods('scale')).length === 3, 60_000, '3 pods left');
    const rss = await c.client.list<ReplicaSet>(R.replicasets, { namespace: 'default', labelSelector: 'app=scale' });
    expect(rss.items.map((r) => r.spec?.replicas)).toEqual([3]);
  });

  it('rolls back with kubectl rollout undo by reusing the old ReplicaSet, and kubectl rollout status succeeds', async () => {
    const kubectl = kubectlFor(c.api);
    await c.client.create(R.deployments, 'default', deployment('undo', 4, 'v1'));
    await complete('undo', 4);
    await c.client.patch(R.deployments, 'default', 'undo', 'merge', { spec: { template: { spec: { containers: [{ name: 'c', image: 'v2' }] } } } });
    const status = await kubectl('rollout', 'status', 'deployment/undo', '-n', 'default', '--timeout=90s');
    expect(status.stderr).toBe('');
    expect(status.stdout).toContain('deployment "undo" successfully rolled out');
    const before = await c.client.list<ReplicaSet>(R.replicasets, { namespace: 'default', labelSelector: 'app=undo' });
    expect(before.items.length).toBe(2);
    const v1 = before.items.find((r) => r.spec?.template?.spec?.containers[0]?.image === 'v1')!;

    const undo = await kubectl('rollout', 'undo', 'deployment/undo', '-n', 'default');
    expect(undo.code).toBe(0);
    await eventually(async () => {
      const pods = await livePods('undo');
      const d = await get('undo');
      return (d.status?.observedGeneration ?? 0) >= (d.metadata.generation ?? 0) && pods.length === 4 && pods.every((p) => p.metadata.labels?.['pod-template-hash'] === v1.metadata.labels?.['pod-template-hash']) && (await get('undo')).status?.availableReplicas === 4;
    }, 90_000, 'rollback to v1');
    const after = await c.client.list<ReplicaSet>(R.replicasets, { namespace: 'default', labelSelector: 'app=undo' });
    expect(after.items.length).toBe(2);
    const reused = after.items.find((r) => r.metadata.uid === v1.metadata.uid)!;
    expect(reused.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('3');
    expect((await get('undo')).metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('3');
    const history = await kubectl('rollout', 'history', 'deployment/undo', '-n', 'default');
    expect(history.stdout).toMatch(/2\s+<none>[\s\S]*3\s+<none>/);
  });

  it('pauses and resumes a rollout with kubectl', async () => {
    const kubectl = kubectlFor(c.api);
    await c.client.create(R.deployments, 'default', deployment('pause', 3, 'v1'));
    await complete('pause', 3);
    expect((await kubectl('rollout', 'pause', 'deployment/pause', '-n', 'default')).code).toBe(0);
    await c.client.patch(R.deployments, 'default', 'pause', 'merge', { spec: { template: { spec: { containers: [{ name: 'c', image: 'v2' }] } } } });
    const paused = await eventually(async () => {
      const d = await get('pause');
      return (d.status?.observedGeneration ?? 0) >= (d.metadata.generation ?? 0) && d.status?.conditions?.find((x) => x.type === 'Progressing' && x.reason === 'DeploymentPaused') ? d : undefined;
    }, 30_000, 'paused condition');
    expect(paused.status?.updatedReplicas).toBe(0);
    expect((await c.client.list<ReplicaSet>(R.replicasets, { namespace: 'default', labelSelector: 'app=pause' })).items.length).toBe(1);
    expect((await kubectl('rollout', 'resume', 'deployment/pause', '-n', 'default')).code).toBe(0);
    const status = await kubectl('rollout', 'status', 'deployment/pause', '-n', 'default', '--timeout=60s');
    expect(status.stdout).toContain('successfully rolled out');
    const pods = await livePods('pause');
    expect(pods.every((p) => p.spec?.containers[0]?.image === 'v2')).toBe(true);
  });

  it('reports ProgressDeadlineExceeded when new pods never become ready', async () => {
    await c.client.create(R.deployments, 'default', deployment('stuck', 2, 'slow', { progressDeadlineSeconds: 3 }));
    const d = await eventually(async () => {
      const d = await get('stuck');
      return d.status?.conditions?.find((x) => x.type === 'Progressing' && x.reason === 'ProgressDeadlineExceeded') ? d : undefined;
    }, 60_000, 'deadline exceeded');
    expect(d.status?.conditions?.find((x) => x.type === 'Progressing')).toMatchObject({ status: 'False', message: expect.stringContaining('has timed out progressing') });
  });
});
