// A busybox pod end to end through a real runtime process: create, start,
// logs in CRI format, exit codes, restart of a stopped container, removal.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { podConfig, runPod, startContainer, startRuntimeEnv, waitExited, type RuntimeEnv } from './harness.js';

let env: RuntimeEnv;
beforeAll(async () => {
  env = await startRuntimeEnv();
});
afterAll(async () => {
  await env?.cleanup();
});

describe('runtime lifecycle', () => {
  it('reports version and status', async () => {
    const v = await env.client.version({});
    expect(v.runtime_name).toBe('wharf');
    expect(v.runtime_api_version).toBe('v1');
    const s = await env.client.status({});
    expect(s.status?.conditions.map((c) => c.type)).toEqual(['RuntimeReady', 'NetworkReady']);
    expect(s.info.cgroupVersion).toMatch(/^[12]$/);
  });

  it('runs a busybox pod, writes CRI-format logs and records the exit code', async () => {
    const logDir = path.join(env.root, 'pod-logs');
    const pod = podConfig('logs', { log_directory: logDir });
    const { pod_sandbox_id: podId } = await env.client.runPodSandbox({ config: pod });
    const status = await env.client.podSandboxStatus({ pod_sandbox_id: podId });
    expect(status.status?.state).toBe('SANDBOX_READY');
    expect(status.status?.network?.ip).toMatch(/^10\.244\.0\.\d+$/);

    const id = await startContainer(env, podId, pod, 'echo', ['sh', '-c', 'echo hello; echo oops >&2; exit 3'], { log_path: 'echo/0.log' });
    const exited = await waitExited(env, id);
    expect(exited.exit_code).toBe(3);
    expect(exited.reason).toBe('Error');
    expect(exited.finished_at).toBeGreaterThanOrEqual(exited.started_at);
    expect(exited.log_path).toBe(path.join(logDir, 'echo/0.log'));

    const lines = (await fs.readFile(path.join(logDir, 'echo/0.log'), 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(2);
    const byStream = Object.fromEntries(lines.map((l) => {
      const m = /^(\S+) (stdout|stderr) F (.*)$/.exec(l);
      expect(m, l).not.toBeNull();
      expect(Number.isNaN(Date.parse(m![1]!))).toBe(false);
      return [m![2], m![3]];
    }));
    expect(byStream).toEqual({ stdout: 'hello', stderr: 'oops' });
  });

  it('reports Completed for exit 0 and lists containers with filters', async () => {
    const { podId, containerId } = await runPod(env, ['true'], { name: 'ok' });
    const s = await waitExited(env, containerId);
    expect(s.exit_code).toBe(0);
    expect(s.reason).toBe('Completed');
    const all = await env.client.listContainers({ filter: { pod_sandbox_id: podId } });
    expect(all.containers.map((c) => c.id)).toEqual([containerId]);
    const running = await env.client.listContainers({ filter: { pod_sandbox_id: podId, state: { state: 'CONTAINER_RUNNING' } } });
    expect(running.containers).toHaveLength(0);
  });

  it('restarts a stopped container, keeping its rootfs writes and appending to its log', async () => {
    const { containerId } = await runPod(env, ['sh', '-c', 'echo run >> /count; wc -l < /count'], { name: 'restart' });
    await waitExited(env, containerId);
    await env.client.startContainer({ container_id: containerId });
    const s = await waitExited(env, containerId);
    expect(s.exit_code).toBe(0);
    const log = await fs.readFile(s.log_path, 'utf8');
    expect(log.trim().split('\n').map((l) => l.split(' ').pop())).toEqual(['1', '2']);
  });

  it('stops a running container (SIGTERM then SIGKILL) and removes it and its pod', async () => {
    const { podId, containerId } = await runPod(env, ['sleep', '1000'], { name: 'stopme' });
    let s = (await env.client.containerStatus({ container_id: containerId })).status!;
    expect(s.state).toBe('CONTAINER_RUNNING');
    expect(s.pid).toBeGreaterThan(0);
    // sleep as pid 1 ignores SIGTERM, so this needs the SIGKILL after 1 s.
    await env.client.stopContainer({ container_id: containerId, timeout: 1 });
    s = (await env.client.containerStatus({ container_id: containerId })).status!;
    expect(s.state).toBe('CONTAINER_EXITED');
    expect(s.exit_code).toBe(137);
    const bundle = (await env.client.containerStatus({ container_id: containerId, verbose: true })).info.bundle!;
    await env.client.removeContainer({ container_id: containerId });
    await expect(fs.access(bundle)).rejects.toThrow();
    await env.client.stopPodSandbox({ pod_sandbox_id: podId });
    expect((await env.client.podSandboxStatus({ pod_sandbox_id: podId })).status?.state).toBe('SANDBOX_NOTREADY');
    await env.client.removePodSandbox({ pod_sandbox_id: podId });
    const { items } = await env.client.listPodSandbox({ filter: { id: podId } });
    expect(items).toHaveLength(0);
    const links = await env.inNamespace(['ip', '-o', 'link']);
    expect(links.stdout).not.toContain(`wh${podId.slice(0, 12)}`);
  });

  it('removes a created but never started container and cleans up after it', async () => {
    const pod = podConfig('created-only');
    const { pod_sandbox_id } = await env.client.runPodSandbox({ config: pod });
    const { container_id } = await env.client.createContainer({
      pod_sandbox_id,
      config: { metadata: { name: 'never' }, image: { image: 'wharf.test/busybox:1' }, command: ['sleep', '1000'] },
      sandbox_config: pod,
    });
    const status = await env.client.containerStatus({ container_id, verbose: true });
    expect(status.status?.state).toBe('CONTAINER_CREATED');
    expect(status.status?.started_at).toBe(0);
    const pid = status.status!.pid;
    expect(pid).toBeGreaterThan(0);
    await env.client.removeContainer({ container_id });
    await expect(env.client.containerStatus({ container_id })).rejects.toMatchObject({ code: 5 });
    await expect(fs.access(status.info.bundle!)).rejects.toThrow();
    await expect(fs.access(`/proc/${pid}`)).rejects.toThrow();
  });

  it('gives a container asked for a tty a terminal, its output still in the log', async () => {
    const { containerId } = await runPod(env, ['sh', '-c', 'tty; stty size'], { name: 'tty', container: { tty: true } });
    const s = await waitExited(env, containerId);
    expect(s.exit_code).toBe(0);
    const log = await fs.readFile(s.log_path, 'utf8');
    expect(log).toMatch(/stdout [FP] \/dev\/pts\/\d+/);
  });
});
