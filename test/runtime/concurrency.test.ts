// Many pods at once: distinct IPs, every container running, and a
// concurrent teardown that frees every address, veth and namespace.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { podConfig, runPod, startRuntimeEnv, type RuntimeEnv } from './harness.js';

let env: RuntimeEnv;
beforeAll(async () => {
  env = await startRuntimeEnv();
});
afterAll(async () => {
  await env?.cleanup();
});

describe('concurrent pods', () => {
  it('starts and removes 16 pods at once without sharing or leaking anything', async () => {
    const pods = await Promise.all(Array.from({ length: 16 }, (_, i) => runPod(env, ['sleep', '1000'], { pod: podConfig(`many-${i}`) })));
    const statuses = await Promise.all(pods.map((p) => env.client.podSandboxStatus({ pod_sandbox_id: p.podId })));
    const ips = statuses.map((s) => s.status!.network!.ip);
    expect(new Set(ips).size).toBe(16);
    const containers = await env.client.listContainers({ filter: { state: { state: 'CONTAINER_RUNNING' } } });
    expect(containers.containers.map((c) => c.id).sort()).toEqual(pods.map((p) => p.containerId).sort());

    await Promise.all(pods.map((p) => env.client.removePodSandbox({ pod_sandbox_id: p.podId })));
    expect((await env.client.listPodSandbox({})).items).toEqual([]);
    expect(await fs.readdir(path.join(env.state, 'ipam'))).toEqual([]);
    expect(await fs.readdir(path.join(env.state, 'netns'))).toEqual([]);
    const links = await env.inNamespace(['ip', '-o', 'link', 'show', 'master', 'wharf0']);
    expect(links.stdout.trim()).toBe('');
  });
});
