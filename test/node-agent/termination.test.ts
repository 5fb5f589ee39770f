// Graceful deletion: preStop, SIGTERM within the grace period, SIGKILL after
// it, and the agent's final DELETE with grace 0 that removes the pod.
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNodeCluster, waitFor, type NodeCluster } from '../harness/node-cluster.js';
import { busybox, containerStatus, create, getPod, pod, waitPod } from './helpers.js';

let c: NodeCluster;
const hostDir = join(tmpdir(), `wharf-hostpath-${process.pid}-${Date.now()}`);

beforeAll(async () => {
  mkdirSync(hostDir, { recursive: true });
  c = await startNodeCluster({ agentArgs: ['--allowed-host-paths', hostDir] });
});

afterAll(async () => {
  await c?.cleanup();
  rmSync(hostDir, { recursive: true, force: true });
});

async function podContainers(uid: string): Promise<number> {
  const rt = c.runtime();
  const list = await rt.listContainers({ filter: { label_selector: { 'io.kubernetes.pod.uid': uid } } });
  return list.containers.length;
}

describe('node agent: termination', () => {
  it('runs preStop, gives the SIGTERM handler its grace period, then deletes the pod', async () => {
    const script = [
      "trap 'echo term >> /host/events; sleep 1; echo drained >> /host/events; exit 0' TERM",
      'echo started >> /host/events',
      'while true; do sleep 0.2; done',
    ].join('\n');
    const created = await create(
      c,
      pod('graceful', {
        terminationGracePeriodSeconds: 10,
        volumes: [{ name: 'host', hostPath: { path: hostDir, type: 'Directory' } }],
        containers: [
          busybox('main', script, {
            volumeMounts: [{ name: 'host', mountPath: '/host' }],
            lifecycle: { preStop: { exec: { command: ['sh', '-c', 'echo prestop >> /host/events'] } } },
          }),
        ],
      }),
    );
    await waitPod(c, 'graceful', (x) => containerStatus(x, 'main')?.state?.running, 'running');
    await waitFor('container wrote started', () => (readFileSync(join(hostDir, 'events'), 'utf8').includes('started') ? true : undefined));
    const del = await c.request('DELETE', '/api/v1/namespaces/default/pods/graceful');
    // 202: accepted, the pod lives on until its node has stopped it.
    expect(del.status).toBe(202);
    expect(del.json().metadata.deletionTimestamp).toBeTruthy();
    await waitFor('pod removed by the agent', async () => ((await getPod(c, 'graceful')) === undefined ? true : undefined), 30_000);
    expect(readFileSync(join(hostDir, 'events'), 'utf8').split('\n').filter(Boolean)).toEqual(['started', 'prestop', 'term', 'drained']);
    await waitFor('runtime objects removed', async () => ((await podContainers(created.metadata.uid)) === 0 ? true : undefined));
  });

  it('kills a container that ignores SIGTERM once the grace period is over', async () => {
    const created = await create(c, pod('stubborn', { terminationGracePeriodSeconds: 2, containers: [busybox('main', "trap '' TERM; while true; do sleep 0.2; done")] }));
    await waitPod(c, 'stubborn', (x) => containerStatus(x, 'main')?.state?.running, 'running');
    const started = Date.now();
    await c.request('DELETE', '/api/v1/namespaces/default/pods/stubborn');
    await waitFor('pod removed', async () => ((await getPod(c, 'stubborn')) === undefined ? true : undefined), 30_000);
    // It waited for the grace period rather than killing at once.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1500);
    await waitFor('runtime objects removed', async () => ((await podContainers(created.metadata.uid)) === 0 ? true : undefined));
  });

  it('a terminated pod that completed is removed at once', async () => {
    await create(c, pod('done', { restartPolicy: 'Never', containers: [busybox('main', 'exit 0')] }));
    await waitPod(c, 'done', (x) => x.status?.phase === 'Succeeded', 'Succeeded');
    await c.request('DELETE', '/api/v1/namespaces/default/pods/done');
    await waitFor('pod removed', async () => ((await getPod(c, 'done')) === undefined ? true : undefined), 30_000);
    expect(await getPod(c, 'done')).toBeUndefined();
  });
});
