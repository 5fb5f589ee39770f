// Isolation: own PID namespace, the pod's hostname, no view of host files,
// a shared network namespace inside a pod, pod-to-pod traffic over pod IPs
// on the node bridge, and private rootfs writes.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { podConfig, runPod, startContainer, startRuntimeEnv, type RuntimeEnv } from './harness.js';

let env: RuntimeEnv;
beforeAll(async () => {
  env = await startRuntimeEnv();
});
afterAll(async () => {
  await env?.cleanup();
});

const exec = async (id: string, cmd: string[]) => {
  const r = await env.client.execSync({ container_id: id, cmd, timeout: 20 });
  return { code: r.exit_code, out: r.stdout.toString(), err: r.stderr.toString() };
};

const SERVE = ['sh', '-c', 'mkdir -p /www && echo "hello from $(hostname)" > /www/index.html && exec httpd -f -p 8080 -h /www'];

/** Retries a fetch until the server in another container is listening. */
async function fetchFrom(id: string, url: string): Promise<string> {
  let last = '';
  for (let i = 0; i < 50; i++) {
    const r = await exec(id, ['wget', '-q', '-O', '-', url]);
    if (r.code === 0) return r.out;
    last = r.err;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`fetch ${url} failed: ${last}`);
}

describe('isolation', () => {
  it('sees only its own processes, its pod hostname and none of the host files', async () => {
    const marker = path.join(os.tmpdir(), `wharf-host-marker-${process.pid}`);
    await fs.writeFile(marker, 'host secret');
    try {
      const pod = podConfig('iso-a', { hostname: 'iso-host' });
      const { containerId } = await runPod(env, ['sleep', '1000'], { pod });
      const ps = await exec(containerId, ['ps', '-o', 'pid,comm']);
      const rows = ps.out.trim().split('\n').slice(1).map((l) => l.trim().split(/\s+/));
      expect(rows.map((r) => r[1]).sort()).toEqual(['ps', 'sleep']);
      expect(rows.find((r) => r[1] === 'sleep')?.[0]).toBe('1');
      expect((await exec(containerId, ['hostname'])).out.trim()).toBe('iso-host');
      expect((await exec(containerId, ['cat', '/etc/hostname'])).out.trim()).toBe('iso-host');
      const probe = await exec(containerId, ['cat', marker]);
      expect(probe.code).not.toBe(0);
      expect(probe.out).not.toContain('host secret');
      // The host's root is not reachable either: / is the image's overlay.
      expect((await exec(containerId, ['ls', '/'])).out.split('\n')).not.toContain('work');
    } finally {
      await fs.rm(marker, { force: true });
    }
  });

  it('lets two containers of one pod talk over localhost', async () => {
    const pod = podConfig('shared-net', { hostname: 'shared-net' });
    const { podId, containerId: server } = await runPod(env, SERVE, { pod });
    expect(server).toBeTruthy();
    const client = await startContainer(env, podId, pod, 'client', ['sleep', '1000']);
    expect(await fetchFrom(client, 'http://127.0.0.1:8080/index.html')).toBe('hello from shared-net\n');
  });

  it('lets two pods talk over their pod IPs, each on its own address', async () => {
    const a = await runPod(env, SERVE, { pod: podConfig('net-a', { hostname: 'net-a' }) });
    const b = await runPod(env, ['sleep', '1000'], { pod: podConfig('net-b', { hostname: 'net-b' }) });
    const ipA = (await env.client.podSandboxStatus({ pod_sandbox_id: a.podId })).status!.network!.ip;
    const ipB = (await env.client.podSandboxStatus({ pod_sandbox_id: b.podId })).status!.network!.ip;
    expect(ipA).not.toBe(ipB);
    const port = await env.inNamespace(['ip', '-d', 'link', 'show', `wh${a.podId.slice(0, 12)}`]);
    expect(port.stdout).toContain('master wharf0');
    expect(port.stdout).toContain('hairpin on');
    expect((await exec(b.containerId, ['ip', '-4', '-o', 'addr', 'show', 'eth0'])).out).toContain(`${ipB}/24`);
    expect(await fetchFrom(b.containerId, `http://${ipA}:8080/index.html`)).toBe('hello from net-a\n');
    // Pod B's localhost is its own: nothing listens on it.
    expect((await exec(b.containerId, ['wget', '-q', '-O', '-', 'http://127.0.0.1:8080/'])).code).not.toBe(0);
  });

  it('keeps rootfs writes private to each container', async () => {
    const pod = podConfig('rootfs');
    const { podId, containerId: a } = await runPod(env, ['sleep', '1000'], { pod });
    const b = await startContainer(env, podId, pod, 'other', ['sleep', '1000']);
    expect((await exec(a, ['sh', '-c', 'echo mine > /written-by-a && cat /written-by-a'])).out).toBe('mine\n');
    expect((await exec(b, ['test', '-e', '/written-by-a'])).code).toBe(1);
    const image = await env.client.imageStatus({ image: { image: 'wharf.test/busybox:1' } });
    expect(image.image?.id).toMatch(/^sha256:/);
  });

  it('runs with the default capability set, masked paths and, when asked, a read-only rootfs', async () => {
    const { containerId } = await runPod(env, ['sleep', '1000'], {
      name: 'hardened',
      container: { linux: { security_context: { readonly_rootfs: true } } },
    });
    // containerd's (and Docker's) 14 default capabilities.
    expect((await exec(containerId, ['grep', 'CapEff', '/proc/1/status'])).out).toMatch(/CapEff:\s+00000000a80425fb/);
    expect((await exec(containerId, ['sh', '-c', 'wc -c < /proc/timer_list'])).out.trim()).toBe('0');
    const write = await exec(containerId, ['touch', '/new-file']);
    expect(write.code).not.toBe(0);
    expect(write.err).toMatch(/Read-only file system/);
    expect((await exec(containerId, ['touch', '/dev/shm/ok'])).code).toBe(0);
  });

  it('applies namespaced sysctls to the pod and refuses node-wide ones', async () => {
    const pod = podConfig('sysctl', { linux: { sysctls: { 'net.ipv4.ip_local_port_range': '30000 40000' } } });
    const { containerId } = await runPod(env, ['sleep', '1000'], { pod });
    expect((await exec(containerId, ['cat', '/proc/sys/net/ipv4/ip_local_port_range'])).out.split(/\s+/).slice(0, 2)).toEqual(['30000', '40000']);
    await expect(
      env.client.runPodSandbox({ config: podConfig('bad-sysctl', { linux: { sysctls: { 'kernel.panic': '1' } } }) }),
    ).rejects.toMatchObject({ details: expect.stringContaining('not a namespaced sysctl') });
  });

  it('shares one PID namespace between the containers of a pod that asks for it', async () => {
    const pod = podConfig('shared-pid', { linux: { security_context: { namespace_options: { pid: 'POD' } } } });
    const { podId } = await runPod(env, ['sleep', '1001'], { pod });
    const second = await startContainer(env, podId, pod, 'second', ['sleep', '1000']);
    const ps = await exec(second, ['ps', '-o', 'args']);
    expect(ps.out).toContain('sleep 1001');
    expect(ps.out).toContain('sleep 1000');
  });
});
