import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ImageStore,
  DigestMismatchError,
  RegistryAuthError,
  RegistryError,
  buildBusyboxImage,
  type PullProgress,
} from '../../runtime/src/images/index.js';
import { craftImage, inMergedView, run, tempDir, writeOciIndexLayout, writeOciLayout } from './helpers.js';
import { startRegistry, type Registry } from './registry.js';

let dir: { path: string; cleanup: () => Promise<void> };
let registry: Registry;
let local: ImageStore;

beforeAll(async () => {
  dir = await tempDir('pull');
  registry = await startRegistry();
  local = await ImageStore.open(join(dir.path, 'local'));
});
afterAll(async () => {
  await registry?.stop();
  await dir?.cleanup();
});

const freshStore = (name: string) => ImageStore.open(join(dir.path, name));

describe('push and pull through a real registry', () => {
  it('pushes a built busybox image and pulls it into another store, with progress', async () => {
    const built = await buildBusyboxImage(local, `${registry.host}/wharf/busybox:1`);
    const pushed = await local.push(`${registry.host}/wharf/busybox:1`);
    expect(pushed.digest).toBe(built.manifestDigest);

    const other = await freshStore('pulled');
    const events: PullProgress[] = [];
    const image = await other.pull(`${registry.host}/wharf/busybox:1`, { onProgress: (p) => events.push(p) });
    expect(image.id).toBe(built.id);
    expect(image.repoTags).toEqual([`${registry.host}/wharf/busybox:1`]);
    expect(image.repoDigests).toEqual([`${registry.host}/wharf/busybox@${built.manifestDigest}`]);
    expect(await inMergedView(image.layers, 'ls bin/busybox; readlink bin/sh')).toBe('bin/busybox\nbusybox\n');
    const layerDone = events.filter((e) => e.kind === 'layer' && e.status === 'done');
    expect(layerDone).toHaveLength(1);
    expect(layerDone[0]?.current).toBe(layerDone[0]?.total);
    expect(events.some((e) => e.kind === 'layer' && e.status === 'downloading')).toBe(true);

    // Pulling again fetches no blob; pulling by digest names the image by digest.
    const again: PullProgress[] = [];
    await other.pull(`${registry.host}/wharf/busybox@${built.manifestDigest}`, { onProgress: (p) => again.push(p) });
    expect(again.filter((e) => e.kind !== 'manifest').every((e) => e.status === 'exists')).toBe(true);
    const byDigest = await other.get(`${registry.host}/wharf/busybox@${built.manifestDigest}`);
    expect(byDigest.id).toBe(built.id);

    // Concurrent pulls of one name share a single download.
    const third = await freshStore('concurrent');
    const seen: PullProgress[] = [];
    const results = await Promise.all([1, 2, 3].map(() => third.pull(`${registry.host}/wharf/busybox:1`, { onProgress: (p) => seen.push(p) })));
    expect(new Set(results.map((r) => r.id))).toEqual(new Set([built.id]));
    expect(seen.filter((e) => e.kind === 'layer' && e.status === 'done')).toHaveLength(1);
  });

  it('pushes under another name and skips blobs the registry has', async () => {
    const statuses: string[] = [];
    await local.push(`${registry.host}/wharf/busybox:1`, { as: `${registry.host}/wharf/copy:2`, onProgress: (p) => statuses.push(`${p.kind}:${p.status}`) });
    expect(statuses).toContain('manifest:done');
    const tags = await (await fetch(`http://${registry.host}/v2/wharf/copy/tags/list`)).json();
    expect(tags).toEqual({ name: 'wharf/copy', tags: ['2'] });
    const statuses2: string[] = [];
    await local.push(`${registry.host}/wharf/busybox:1`, { as: `${registry.host}/wharf/copy:3`, onProgress: (p) => statuses2.push(`${p.kind}:${p.status}`) });
    expect(statuses2.filter((s) => s.startsWith('layer'))).toEqual(['layer:exists']);
  });

  it('pulls a multi-platform index (copied by skopeo) and picks linux/amd64; layers download concurrently', async () => {
    const amd = await craftImage([{ 'arch': 'amd64\n' }, { 'l2': '2' }, { 'l3': '3' }, { 'l4': '4' }], { Cmd: ['/amd64'] });
    const arm = await craftImage([{ 'arch': 'arm64\n' }], { Cmd: ['/arm64'] }, 'arm64');
    const layout = join(dir.path, 'multi');
    const indexDigest = await writeOciIndexLayout(layout, [
      { image: arm, platform: { os: 'linux', architecture: 'arm64' } },
      { image: amd, platform: { os: 'linux', architecture: 'amd64' } },
    ], 'multi');
    await run('skopeo', ['copy', '--quiet', '--all', '--dest-tls-verify=false', `oci:${layout}:multi`, `docker://${registry.host}/wharf/multi:1`]);

    const store = await freshStore('multi-store');
    const image = await store.pull(`${registry.host}/wharf/multi:1`, { concurrency: 4 });
    expect(image.id).toBe(amd.configDigest);
    expect(image.manifestDigest).toBe(amd.manifestDigest);
    expect(image.repoDigests).toEqual([`${registry.host}/wharf/multi@${indexDigest}`]);
    expect(image.layers).toHaveLength(4);
    expect(await inMergedView(image.layers, 'cat arch; ls')).toBe('amd64\narch\nl2\nl3\nl4\n');
    // Only the chosen platform's content was fetched.
    const blobs = await store.blobs.list();
    expect(blobs).not.toContain(arm.configDigest);
    expect(blobs).toContain(indexDigest);
  });

  it('pulls Docker schema 2 manifests (skopeo --format v2s2)', async () => {
    const img = await craftImage([{ 'docker-format': 'yes\n' }]);
    const layout = join(dir.path, 'v2s2');
    await writeOciLayout(layout, img, 'wharf.test/v2s2:1');
    await run('skopeo', ['copy', '--quiet', '--format', 'v2s2', '--dest-tls-verify=false', `oci:${layout}:1`, `docker://${registry.host}/wharf/v2s2:1`]);
    const raw = JSON.parse((await run('skopeo', ['inspect', '--raw', '--tls-verify=false', `docker://${registry.host}/wharf/v2s2:1`])).stdout) as { mediaType: string };
    expect(raw.mediaType).toBe('application/vnd.docker.distribution.manifest.v2+json');
    const store = await freshStore('v2s2');
    const image = await store.pull(`${registry.host}/wharf/v2s2:1`);
    expect(await inMergedView(image.layers, 'cat docker-format')).toBe('yes\n');
  });

  it('follows redirects (as registries do to their blob storage), hop by hop', async () => {
    // A front on another loopback port that redirects every request to the real registry.
    const front = createServer((req, res) => {
      res.writeHead(307, { location: `http://${registry.host}${req.url ?? '/'}` });
      res.end();
    });
    await new Promise<void>((r) => front.listen(0, '127.0.0.1', r));
    try {
      const host = `127.0.0.1:${(front.address() as AddressInfo).port}`;
      const image = await (await freshStore('redirected')).pull(`${host}/wharf/busybox:1`);
      expect(image.id).toBe((await local.get(`${registry.host}/wharf/busybox:1`)).id);
    } finally {
      await new Promise((r) => front.close(r));
    }
  });

  it('a missing image is NOT_FOUND', async () => {
    const store = await freshStore('missing');
    const err = await store.pull(`${registry.host}/wharf/nothing:here`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RegistryError);
    expect((err as RegistryError).code).toBe('NOT_FOUND');
    const err2 = await store.pull(`${registry.host}/wharf/busybox:nope`).catch((e: unknown) => e);
    expect((err2 as RegistryError).code).toBe('NOT_FOUND');
  });

  it('rejects a blob the registry serves with the wrong content (DigestMismatchError), keeping nothing', async () => {
    const img = await craftImage([{ 'file': 'original content\n' }]);
    const layout = join(dir.path, 'tamper');
    await writeOciLayout(layout, img, 'wharf.test/tamper:1');
    await run('skopeo', ['copy', '--quiet', '--dest-tls-verify=false', `oci:${layout}:1`, `docker://${registry.host}/wharf/tamper:1`]);
    // Corrupt the layer in the registry's own storage.
    const layerHex = JSON.parse(img.manifest.toString()).layers[0].digest.slice(7) as string;
    const data = join(registry.storage, 'docker/registry/v2/blobs/sha256', layerHex.slice(0, 2), layerHex, 'data');
    const bytes = await readFile(data);
    bytes[20] ^= 0x55;
    await writeFile(data, bytes);

    const store = await freshStore('tampered');
    await expect(store.pull(`${registry.host}/wharf/tamper:1`)).rejects.toThrow(DigestMismatchError);
    expect(await store.resolve(`${registry.host}/wharf/tamper:1`)).toBeUndefined();
    expect(await store.blobs.has(`sha256:${layerHex}`)).toBe(false);
    expect(await readdir(store.tmpDir)).toEqual([]);
  });

  it('rejects a manifest whose bytes do not hash to its digest, by tag and by digest', async () => {
    const img = await craftImage([{ 'm': 'manifest test\n' }]);
    const layout = join(dir.path, 'bad-manifest');
    await writeOciLayout(layout, img, 'wharf.test/badmanifest:1');
    await run('skopeo', ['copy', '--quiet', '--dest-tls-verify=false', `oci:${layout}:1`, `docker://${registry.host}/wharf/badmanifest:1`]);
    // Still valid JSON, still the same manifest to a lenient reader — but not the bytes the digest names.
    const hex = img.manifestDigest.slice(7);
    const data = join(registry.storage, 'docker/registry/v2/blobs/sha256', hex.slice(0, 2), hex, 'data');
    await writeFile(data, (await readFile(data, 'utf8')) + ' ');

    const store = await freshStore('bad-manifest-store');
    await expect(store.pull(`${registry.host}/wharf/badmanifest:1`)).rejects.toThrow(DigestMismatchError);
    await expect(store.pull(`${registry.host}/wharf/badmanifest@${img.manifestDigest}`)).rejects.toThrow(DigestMismatchError);
    expect(await store.list()).toEqual([]);
    expect(await store.blobs.list()).toEqual([]);
  });
});

describe('registry auth', () => {
  let secured: Registry;
  const auth = { username: 'alice', password: 's3cret', identityToken: 'refresh-abc' };
  beforeAll(async () => {
    secured = await startRegistry({ token: auth });
  });
  afterAll(async () => secured?.stop());

  it('follows the bearer challenge with basic credentials or an identity token; refuses without', async () => {
    const name = `${secured.host}/private/busybox:1`;
    await local.tag(`${registry.host}/wharf/busybox:1`, name);
    await expect(local.push(name)).rejects.toThrow(RegistryAuthError);
    await expect(local.push(name, { auth: { username: 'alice', password: 'wrong' } })).rejects.toThrow(RegistryAuthError);
    await local.push(name, { auth: { username: 'alice', password: 's3cret' } });

    const anonymous = await freshStore('anon');
    const denied = await anonymous.pull(name).catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(RegistryAuthError);
    expect((denied as RegistryAuthError).code).toBe('UNAUTHENTICATED');

    const withPassword = await anonymous.pull(name, { auth: { username: 'alice', password: 's3cret' } });
    const withToken = await (await freshStore('token')).pull(name, { auth: { identityToken: 'refresh-abc' } });
    expect(withToken.id).toBe(withPassword.id);

    // A bearer token obtained elsewhere (CRI's registry_token) is sent as is.
    const challenge = (await fetch(`http://${secured.host}/v2/`)).headers.get('www-authenticate') ?? '';
    const realm = /realm="([^"]+)"/.exec(challenge)?.[1] as string;
    const tokenRes = await fetch(`${realm}?service=wharf-test-registry&scope=repository:private/busybox:pull`, {
      headers: { authorization: `Basic ${Buffer.from('alice:s3cret').toString('base64')}` },
    });
    const { token } = (await tokenRes.json()) as { token: string };
    const withRegistryToken = await (await freshStore('registry-token')).pull(name, { auth: { registryToken: token } });
    expect(withRegistryToken.id).toBe(withPassword.id);
    await expect((await freshStore('bad-token')).pull(name, { auth: { registryToken: 'not-a-token' } })).rejects.toThrow(RegistryAuthError);
  });

  it('answers a basic challenge with the username and password (htpasswd registry)', async () => {
    const basic = await startRegistry({ basic: { username: 'bob', password: 'hunter2' } });
    try {
      const name = `${basic.host}/team/busybox:1`;
      await local.tag(`${registry.host}/wharf/busybox:1`, name);
      await expect(local.push(name)).rejects.toThrow(RegistryAuthError);
      await expect(local.push(name, { auth: { username: 'bob', password: 'nope' } })).rejects.toThrow(RegistryAuthError);
      await local.push(name, { auth: { username: 'bob', password: 'hunter2' } });
      const pulled = await (await freshStore('basic')).pull(name, { auth: { username: 'bob', password: 'hunter2' } });
      expect(pulled.id).toBe((await local.get(name)).id);
      await expect((await freshStore('basic-anon')).pull(name)).rejects.toThrow(RegistryAuthError);
    } finally {
      await basic.stop();
    }
  });
});
