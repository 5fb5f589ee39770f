// The runtime is SIGKILLed while containers run and restarted into the same
// namespaces: running containers keep running (they belong to conmon), List
// and Status report them, exits that happened meanwhile are recorded, and
// allocations (pod IPs) are remembered.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { podConfig, runPod, startRuntimeEnv, waitExited, type RuntimeEnv } from './harness.js';

let env: RuntimeEnv;
beforeAll(async () => {
  env = await startRuntimeEnv();
});
afterAll(async () => {
  await env?.cleanup();
});

describe('runtime restart', () => {
  it('keeps everything accounted for across SIGKILL and restart', async () => {
    const long = await runPod(env, ['sleep', '1000'], { pod: podConfig('long') });
    const short = await runPod(env, ['sh', '-c', 'sleep 1; echo bye; exit 4'], { pod: podConfig('short') });
    // Created before the kill, started after it.
    const { container_id: waiting } = await env.client.createContainer({
      pod_sandbox_id: long.podId,
      config: { metadata: { name: 'waiting' }, image: { image: 'wharf.test/busybox:1' }, command: ['sh', '-c', 'echo started late'] },
    });
    const longStatus = (await env.client.containerStatus({ container_id: long.containerId })).status!;
    const ips = await Promise.all(
      [long.podId, short.podId].map(async (id) => (await env.client.podSandboxStatus({ pod_sandbox_id: id })).status!.network!.ip),
    );

    await env.signal('SIGKILL');
    // What a runtime killed halfway through RunPodSandbox would leave behind.
    await fs.writeFile(path.join(env.state, 'ipam', '10.244.0.250'), 'ghost');
    await fs.writeFile(path.join(env.state, 'netns', 'ghost-net'), '');
    await fs.mkdir(path.join(env.root, 'containers', 'ghost', 'upper'), { recursive: true });
    // The short container exits while no runtime is running.
    await new Promise((r) => setTimeout(r, 2000));
    await expect(fs.access(`/proc/${longStatus.pid}`)).resolves.toBeUndefined();
    await env.start();

    const { items } = await env.client.listPodSandbox({});
    expect(items.map((s) => s.id).sort()).toEqual([long.podId, short.podId].sort());
    expect(await fs.readdir(path.join(env.state, 'ipam'))).not.toContain('10.244.0.250');
    expect(await fs.readdir(path.join(env.state, 'netns'))).not.toContain('ghost-net');
    expect(await fs.readdir(path.join(env.root, 'containers'))).not.toContain('ghost');
    expect((await fs.readdir(path.join(env.state, 'ipam'))).sort()).toEqual([...ips].sort());
    expect(items.every((s) => s.state === 'SANDBOX_READY')).toBe(true);

    const after = (await env.client.containerStatus({ container_id: long.containerId })).status!;
    expect(after.state).toBe('CONTAINER_RUNNING');
    expect(after.pid).toBe(longStatus.pid);
    expect(after.started_at).toBe(longStatus.started_at);
    const ps = await env.client.execSync({ container_id: long.containerId, cmd: ['hostname'], timeout: 10 });
    expect(ps.stdout.toString().trim()).toBe('long');

    const exited = await waitExited(env, short.containerId, 5000);
    expect(exited.exit_code).toBe(4);
    expect(exited.reason).toBe('Error');
    expect(await fs.readFile(exited.log_path, 'utf8')).toContain('stdout F bye');

    expect((await env.client.containerStatus({ container_id: waiting })).status!.state).toBe('CONTAINER_CREATED');
    await env.client.startContainer({ container_id: waiting });
    const late = await waitExited(env, waiting, 10_000);
    expect(late.exit_code).toBe(0);
    expect(await fs.readFile(late.log_path, 'utf8')).toContain('stdout F started late');

    // IPs stay allocated: a new pod gets a different one.
    const third = await env.client.runPodSandbox({ config: podConfig('third') });
    const ip3 = (await env.client.podSandboxStatus({ pod_sandbox_id: third.pod_sandbox_id })).status!.network!.ip;
    expect(ips).not.toContain(ip3);

    // An exit while the runtime is up again is still noticed.
    await env.client.stopContainer({ container_id: long.containerId, timeout: 0 });
    expect((await env.client.containerStatus({ container_id: long.containerId })).status!.state).toBe('CONTAINER_EXITED');
  });

  it('stops serving on SIGTERM while containers keep running', async () => {
    const pod = await runPod(env, ['sleep', '1000'], { pod: podConfig('term') });
    const before = (await env.client.containerStatus({ container_id: pod.containerId })).status!;
    const ip = (await env.client.podSandboxStatus({ pod_sandbox_id: pod.podId })).status!.network!.ip;
    expect(await fs.readdir(path.join(env.state, 'ipam'))).toContain(ip);
    await env.signal('SIGTERM');
    await expect(fs.access(env.socket)).rejects.toThrow();
    await expect(fs.access(`/proc/${before.pid}`)).resolves.toBeUndefined();
    await env.start();
    const after = (await env.client.containerStatus({ container_id: pod.containerId })).status!;
    expect(after.state).toBe('CONTAINER_RUNNING');
    expect(after.pid).toBe(before.pid);
    // Removing the pod after the restart frees everything.
    await env.client.removePodSandbox({ pod_sandbox_id: pod.podId });
    await expect(fs.access(`/proc/${before.pid}`)).rejects.toThrow();
    expect(await fs.readdir(path.join(env.state, 'ipam'))).not.toContain(ip);
  });
});
