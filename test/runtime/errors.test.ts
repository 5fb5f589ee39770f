// Bad requests get a clear gRPC status and leave nothing behind.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerConfig, podConfig, runPod, startRuntimeEnv, type RuntimeEnv } from './harness.js';

let env: RuntimeEnv;
beforeAll(async () => {
  env = await startRuntimeEnv();
});
afterAll(async () => {
  await env?.cleanup();
});

async function leftovers(): Promise<{ bundles: string[]; mounts: string[]; ips: string[]; records: string[] }> {
  const list = (dir: string) => fs.readdir(dir).catch(() => [] as string[]);
  const mountinfo = await env.inNamespace(['cat', '/proc/self/mountinfo']);
  return {
    bundles: await list(path.join(env.root, 'containers')),
    mounts: mountinfo.stdout.split('\n').filter((l) => l.includes(path.join(env.root, 'containers'))),
    ips: await list(path.join(env.state, 'ipam')),
    records: [...(await list(path.join(env.state, 'containers'))), ...(await list(path.join(env.state, 'sandboxes')))],
  };
}

describe('bad requests', () => {
  it('answers NOT_FOUND for unknown ids', async () => {
    const c = env.client;
    for (const call of [
      c.containerStatus({ container_id: 'nope' }),
      c.startContainer({ container_id: 'nope' }),
      c.stopContainer({ container_id: 'nope', timeout: 1 }),
      c.removeContainer({ container_id: 'nope' }),
      c.execSync({ container_id: 'nope', cmd: ['true'] }),
      c.containerStats({ container_id: 'nope' }),
      c.podSandboxStatus({ pod_sandbox_id: 'nope' }),
      c.stopPodSandbox({ pod_sandbox_id: 'nope' }),
      c.removePodSandbox({ pod_sandbox_id: 'nope' }),
      c.createContainer({ pod_sandbox_id: 'nope', config: containerConfig('x', ['true']) }),
    ]) {
      await expect(call).rejects.toMatchObject({ code: status.NOT_FOUND, details: expect.stringContaining('nope') });
    }
  });

  it('refuses a double start and removing a running container with FAILED_PRECONDITION', async () => {
    const { containerId } = await runPod(env, ['sleep', '1000'], { name: 'running' });
    await expect(env.client.startContainer({ container_id: containerId })).rejects.toMatchObject({
      code: status.FAILED_PRECONDITION,
      details: expect.stringContaining('already running'),
    });
    await expect(env.client.removeContainer({ container_id: containerId })).rejects.toMatchObject({
      code: status.FAILED_PRECONDITION,
    });
    expect((await env.client.containerStatus({ container_id: containerId })).status!.state).toBe('CONTAINER_RUNNING');
  });

  it('rejects malformed or dangerous container requests and leaves nothing behind', async () => {
    const pod = podConfig('bad-containers');
    const { pod_sandbox_id } = await env.client.runPodSandbox({ config: pod });
    const before = await leftovers();
    const cases: Array<[Parameters<typeof containerConfig>[2], number, string]> = [
      [{ mounts: [{ container_path: '/data', host_path: '/tmp/../etc' }] }, status.INVALID_ARGUMENT, '..'],
      [{ mounts: [{ container_path: '/../data', host_path: '/tmp' }] }, status.INVALID_ARGUMENT, '..'],
      [{ mounts: [{ container_path: '/data', host_path: 'relative/dir' }] }, status.INVALID_ARGUMENT, 'absolute'],
      [{ image: { image: 'Bad Image!!' } }, status.INVALID_ARGUMENT, 'Bad Image!!'],
      [{ image: { image: 'wharf.test/missing:1' } }, status.NOT_FOUND, 'missing'],
      [{ metadata: { name: '' } }, status.INVALID_ARGUMENT, 'metadata.name'],
      [{ linux: { resources: { memory_limit_in_bytes: -5 } } }, status.INVALID_ARGUMENT, 'memory_limit_in_bytes'],
    ];
    for (const [extra, code, text] of cases) {
      await expect(
        env.client.createContainer({ pod_sandbox_id, config: containerConfig('bad', ['true'], extra), sandbox_config: pod }),
      ).rejects.toMatchObject({ code, details: expect.stringContaining(text) });
    }
    // A command that does not exist fails in runc create; that too is cleaned up.
    await expect(
      env.client.createContainer({ pod_sandbox_id, config: containerConfig('nocmd', ['/no/such/binary']), sandbox_config: pod }),
    ).rejects.toMatchObject({ details: expect.stringContaining('no/such/binary') });
    expect((await env.client.listContainers({ filter: { pod_sandbox_id } })).containers).toEqual([]);
    expect(await leftovers()).toEqual(before);
  });

  it('rejects malformed sandbox requests and leaves nothing behind', async () => {
    const before = await leftovers();
    const count = (await env.client.listPodSandbox({})).items.length;
    for (const [config, text] of [
      [{}, 'metadata.name'],
      [podConfig('x', { hostname: 'not a hostname' }), 'hostname'],
      [podConfig('y', { dns_config: { servers: ['8.8.8.8; rm -rf /'] } }), 'dns server'],
      [podConfig('z', { log_directory: 'relative' }), 'log_directory'],
    ] as const) {
      await expect(env.client.runPodSandbox({ config })).rejects.toMatchObject({
        code: status.INVALID_ARGUMENT,
        details: expect.stringContaining(text),
      });
    }
    expect((await env.client.listPodSandbox({})).items).toHaveLength(count);
    expect(await leftovers()).toEqual(before);
  });

  it('answers image requests for missing or invalid images clearly', async () => {
    const missing = await env.client.imageStatus({ image: { image: 'wharf.test/absent:1' } });
    expect(missing.image).toBeNull();
    await expect(env.client.removeImage({ image: { image: 'wharf.test/absent:1' } })).rejects.toMatchObject({ code: status.NOT_FOUND });
    await expect(env.client.imageStatus({ image: { image: 'UPPER/Case:tag' } })).rejects.toMatchObject({ code: status.INVALID_ARGUMENT });
    const list = await env.client.listImages({});
    expect(list.images.flatMap((i) => i.repo_tags)).toContain('wharf.test/busybox:1');
    const fsInfo = await env.client.imageFsInfo({});
    expect(fsInfo.image_filesystems[0]!.used_bytes).toBeGreaterThan(500_000);
  });
});
