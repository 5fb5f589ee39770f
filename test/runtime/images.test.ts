// The ImageService over gRPC against a real registry: docker-registry runs
// on loopback inside the runtime's network namespace, skopeo pushes an image
// exported from the store there, and the runtime pulls it back.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageStore } from '@wharf/runtime';
import { BUSYBOX, podConfig, runPod, startRuntimeEnv, waitExited, type RuntimeEnv } from './harness.js';

let env: RuntimeEnv;
let registry: string;
beforeAll(async () => {
  env = await startRuntimeEnv();
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  registry = `127.0.0.1:${port}`;
  const dir = path.join(env.root, 'registry');
  await fs.mkdir(dir, { recursive: true });
  const config = path.join(dir, 'config.yml');
  await fs.writeFile(config, `version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: ${dir}/data\nhttp:\n  addr: ${registry}\n`);
  env.spawnInNamespace(['docker-registry', 'serve', config]);

  const store = await ImageStore.open(path.join(env.root, 'images'));
  const layout = path.join(env.root, 'export');
  await store.export(BUSYBOX, layout);
  let last = '';
  for (let i = 0; i < 100; i++) {
    const r = await env.inNamespace(['skopeo', 'copy', '--quiet', '--dest-tls-verify=false', `oci:${layout}`, `docker://${registry}/lib/busybox:pushed`]);
    if (r.code === 0) return;
    last = r.stderr;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`skopeo push failed: ${last}`);
});
afterAll(async () => {
  await env?.cleanup();
});

describe('image service', () => {
  it('pulls an image from a registry and runs a container from it', async () => {
    const local = await env.client.imageStatus({ image: { image: BUSYBOX } });
    const ref = `${registry}/lib/busybox:pushed`;
    const pulled = await env.client.pullImage({ image: { image: ref }, auth: { username: 'unused', password: 'unused' } });
    expect(pulled.image_ref).toBe(local.image!.id);
    const st = await env.client.imageStatus({ image: { image: ref } });
    expect(st.image!.repo_tags).toContain(ref);
    expect(st.image!.repo_digests.some((d) => d.startsWith(`${registry}/lib/busybox@sha256:`))).toBe(true);

    const { containerId } = await runPod(env, ['sh', '-c', 'echo pulled-ok'], { pod: podConfig('pulled'), container: { image: { image: ref } } });
    const s = await waitExited(env, containerId);
    expect(s.exit_code).toBe(0);
    expect(await fs.readFile(s.log_path, 'utf8')).toContain('pulled-ok');
  });

  it('answers NOT_FOUND for a tag the registry does not have', async () => {
    await expect(env.client.pullImage({ image: { image: `${registry}/lib/busybox:absent` } })).rejects.toMatchObject({
      code: status.NOT_FOUND,
    });
    expect((await env.client.imageStatus({ image: { image: `${registry}/lib/busybox:absent` } })).image).toBeNull();
  });

  it('lists and removes images', async () => {
    const ref = `${registry}/lib/busybox:pushed`;
    await env.client.pullImage({ image: { image: ref } });
    const before = await env.client.listImages({});
    expect(before.images.flatMap((i) => i.repo_tags)).toEqual(expect.arrayContaining([ref, BUSYBOX]));
    expect((await env.client.listImages({ filter: { image: { image: ref } } })).images).toHaveLength(1);
    await env.client.removeImage({ image: { image: ref } });
    // The same id is still named by the local tag, so only the pulled names went.
    expect((await env.client.imageStatus({ image: { image: ref } })).image).toBeNull();
    const after = await env.client.imageStatus({ image: { image: BUSYBOX } });
    expect(after.image).toBeNull(); // CRI RemoveImage removes the image, every name of it.
  });
});
