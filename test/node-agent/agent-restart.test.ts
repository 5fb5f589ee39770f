// Crash safety: the agent SIGKILLed mid-sync and restarted starts no
// container twice and reports correct statuses; containers of pods deleted
// while it was down are removed; a SIGKILLed runtime is survived.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNodeCluster, waitFor, type NodeCluster } from '../harness/node-cluster.js';
import { busybox, containerStatus, create, getPod, pod, waitPod } from './helpers.js';

let c: NodeCluster;

beforeAll(async () => {
  c = await startNodeCluster();
});

afterAll(async () => {
  await c?.cleanup();
});

async function runtimeView(): Promise<{ containers: any[]; sandboxes: any[] }> {
  const rt = c.runtime();
  const containers = (await rt.listContainers({})).containers;
  const sandboxes = (await rt.listPodSandbox({})).items;
  return { containers, sandboxes };
}

describe('node agent: restarts of the agent and the runtime', () => {
  it('SIGKILLed mid-sync and restarted: every pod runs exactly one container and one sandbox', async () => {
    const names = ['k1', 'k2', 'k3', 'k4', 'k5', 'k6'];
    await Promise.all(names.map((n) => create(c, pod(n, { containers: [busybox('main', 'exec sleep 3600')] }))));
    // Let the agent get into its syncs, then kill it without warning.
    await waitFor('a first sandbox', async () => ((await runtimeView()).sandboxes.length > 0 ? true : undefined), 30_000, 20);
    await c.signal('node-agent', 'SIGKILL');
    await c.startAgent();
    const pods = await Promise.all(names.map((n) => waitPod(c, n, (x) => x.status?.phase === 'Running' && containerStatus(x, 'main')?.ready, 'Running')));
    const view = await runtimeView();
    for (const p of pods) {
      const uid = p.metadata.uid;
      const mine = view.containers.filter((x) => x.labels['io.kubernetes.pod.uid'] === uid);
      const sandboxes = view.sandboxes.filter((x) => x.labels['io.kubernetes.pod.uid'] === uid && x.state === 'SANDBOX_READY');
      expect(mine).toHaveLength(1);
      expect(mine[0].state).toBe('CONTAINER_RUNNING');
      expect(sandboxes).toHaveLength(1);
      expect(containerStatus(p, 'main').restartCount).toBe(0);
      expect(p.status.podIP).toBeTruthy();
    }
  });

  it('removes the containers of a pod deleted while the agent was down', async () => {
    const created = await create(c, pod('orphan', { containers: [busybox('main', 'exec sleep 3600')] }));
    await waitPod(c, 'orphan', (x) => x.status?.phase === 'Running', 'Running');
    await c.signal('node-agent', 'SIGKILL');
    const del = await c.request('DELETE', '/api/v1/namespaces/default/pods/orphan?gracePeriodSeconds=0');
    expect(del.status).toBe(200);
    expect(await getPod(c, 'orphan')).toBeUndefined();
    await c.startAgent();
    const mine = (x: any) => x.labels['io.kubernetes.pod.uid'] === created.metadata.uid;
    await waitFor(
      'orphan containers and sandbox removed',
      async () => {
        const v = await runtimeView();
        return v.containers.some(mine) || v.sandboxes.some(mine) ? undefined : true;
      },
      30_000,
    );
    const v = await runtimeView();
    expect(v.containers.some(mine)).toBe(false);
    expect(v.sandboxes.some(mine)).toBe(false);
  });

  it('SIGTERM drains the agent without touching containers; a new agent adopts them', async () => {
    const before = await getPod(c, 'k2');
    const id = containerStatus(before, 'main').containerID;
    await c.signal('node-agent', 'SIGTERM');
    const rt = c.runtime();
    const still = await rt.containerStatus({ container_id: id.replace('wharf://', '') });
    expect(still.status?.state).toBe('CONTAINER_RUNNING');
    await c.startAgent();
    const after = await waitPod(c, 'k2', (x) => containerStatus(x, 'main')?.ready === true, 'ready after restart');
    expect(containerStatus(after, 'main').containerID).toBe(id);
    expect(containerStatus(after, 'main').restartCount).toBe(0);
  });

  it('keeps working after the runtime is SIGKILLed and restarted', async () => {
    await c.signal('runtime', 'SIGKILL');
    await c.startRuntime();
    await create(c, pod('after-runtime', { containers: [busybox('main', 'exec sleep 3600')] }));
    const p = await waitPod(c, 'after-runtime', (x) => x.status?.phase === 'Running', 'Running');
    expect(p.status.podIP).toBeTruthy();
    // Pods started before the runtime died still run (conmon outlives it).
    const k1 = await getPod(c, 'k1');
    expect(containerStatus(k1, 'main').state.running).toBeDefined();
    expect(containerStatus(k1, 'main').restartCount).toBe(0);
  });
});
