// Resource limits enforced by the cgroups runc creates: memory (OOMKilled),
// CPU quota, pids; live updates; stats read back from the same cgroups.
import { promises as fs } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cgroups } from '@wharf/runtime';
import { runPod, startRuntimeEnv, waitExited, type RuntimeEnv } from './harness.js';

let env: RuntimeEnv;
beforeAll(async () => {
  env = await startRuntimeEnv();
});
afterAll(async () => {
  await env?.cleanup();
});

const MiB = 1024 * 1024;
const cgroups = Cgroups.detect();

async function cgroupOf(id: string): Promise<string> {
  return (await env.client.containerStatus({ container_id: id, verbose: true })).info.cgroup!;
}

describe('limits', () => {
  it('ends a container that exceeds its memory limit with reason OOMKilled', async () => {
    const { containerId } = await runPod(env, ['sh', '-c', 'a=$(head -c 200000000 /dev/zero | tr "\\0" a); echo survived'], {
      name: 'oom',
      container: { linux: { resources: { memory_limit_in_bytes: 32 * MiB } } },
    });
    const s = await waitExited(env, containerId);
    expect(s.reason).toBe('OOMKilled');
    expect(s.exit_code).toBe(137);
    expect(await fs.readFile(s.log_path, 'utf8')).not.toContain('survived');
  });

  it('holds a CPU-bound container with a 100m limit to at most 0.12 CPU', async () => {
    const { containerId } = await runPod(env, ['sh', '-c', 'while :; do :; done'], {
      name: 'cpu',
      container: { linux: { resources: { cpu_quota: 10_000, cpu_period: 100_000 } } },
    });
    const cgroup = await cgroupOf(containerId);
    const before = await cgroups.usage(cgroup);
    const t0 = process.hrtime.bigint();
    await new Promise((r) => setTimeout(r, 3000));
    const after = await cgroups.usage(cgroup);
    const elapsedNs = Number(process.hrtime.bigint() - t0);
    const cpus = (after.cpuUsageNs - before.cpuUsageNs) / elapsedNs;
    expect(cpus).toBeGreaterThan(0.03);
    expect(cpus).toBeLessThanOrEqual(0.12);
    // The runtime's stats report the same counter.
    const { stats } = await env.client.containerStats({ container_id: containerId });
    expect(stats!.cpu!.usage_core_nano_seconds).toBeGreaterThanOrEqual(after.cpuUsageNs);
    await env.client.stopContainer({ container_id: containerId, timeout: 0 });
  });

  it('stops a fork bomb at the pids limit', async () => {
    const { containerId } = await runPod(env, ['sh', '-c', 'bomb() { bomb | bomb & }; bomb; sleep 1000'], {
      name: 'forkbomb',
      container: { linux: { resources: { pids_limit: 32, cpu_quota: 50_000, cpu_period: 100_000 } } },
    });
    await new Promise((r) => setTimeout(r, 1500));
    const { stats } = await env.client.containerStats({ container_id: containerId });
    expect(stats!.process!.process_count).toBeGreaterThan(1);
    expect(stats!.process!.process_count).toBeLessThanOrEqual(32);
    const log = await fs.readFile((await env.client.containerStatus({ container_id: containerId })).status!.log_path, 'utf8');
    expect(log).toMatch(/can't fork|Resource temporarily unavailable/);
    await env.client.stopContainer({ container_id: containerId, timeout: 0 });
    expect((await env.client.containerStatus({ container_id: containerId })).status!.state).toBe('CONTAINER_EXITED');
  });

  it('reports stats and applies resource updates to a running container', async () => {
    const { podId, containerId } = await runPod(env, ['sh', '-c', 'head -c 8000000 /dev/zero > /dev/shm/fill; sleep 1000'], {
      name: 'stats',
      container: { labels: { app: 'stats' }, linux: { resources: { memory_limit_in_bytes: 64 * MiB } } },
    });
    await new Promise((r) => setTimeout(r, 500));
    const { stats } = await env.client.containerStats({ container_id: containerId });
    expect(stats!.attributes!.id).toBe(containerId);
    expect(stats!.memory!.working_set_bytes).toBeGreaterThan(4 * MiB);
    expect(stats!.memory!.usage_bytes).toBeGreaterThanOrEqual(stats!.memory!.working_set_bytes);
    expect(stats!.process!.process_count).toBeGreaterThanOrEqual(1);
    expect(stats!.cpu!.usage_core_nano_seconds).toBeGreaterThan(0);

    const listed = await env.client.listContainerStats({ filter: { label_selector: { app: 'stats' } } });
    expect(listed.stats.map((s) => s.attributes!.id)).toEqual([containerId]);
    const pod = await env.client.podSandboxStats({ pod_sandbox_id: podId });
    expect(pod.stats!.linux!.containers.map((c) => c.attributes!.id)).toEqual([containerId]);
    expect(pod.stats!.linux!.memory!.working_set_bytes).toBeGreaterThanOrEqual(stats!.memory!.working_set_bytes / 2);

    await env.client.updateContainerResources({ container_id: containerId, linux: { memory_limit_in_bytes: 96 * MiB, pids_limit: 50 } });
    const cgroup = await cgroupOf(containerId);
    const limitFile = cgroups.version === 2 ? `/sys/fs/cgroup${cgroup}/memory.max` : `/sys/fs/cgroup/memory${cgroup}/memory.limit_in_bytes`;
    expect(Number((await fs.readFile(limitFile, 'utf8')).trim())).toBe(96 * MiB);
    const status = await env.client.containerStatus({ container_id: containerId });
    expect(status.status!.resources!.memory_limit_in_bytes).toBe(96 * MiB);
  });
});
