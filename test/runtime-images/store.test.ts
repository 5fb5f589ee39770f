import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { lstat, readFile, readlink, readdir, stat, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  ImageStore,
  ImageNotFoundError,
  InvalidReferenceError,
  DigestMismatchError,
  MediaType,
  ToolError,
  buildBusyboxImage,
} from '../../runtime/src/images/index.js';
import { writeTar } from '../../runtime/src/images/tar-writer.js';
import { gzipSync } from 'node:zlib';
import { craftImage, inMergedView, makeLayerTar, run, sha256, tempDir, xattrsOf } from './helpers.js';
import { execFileSync } from 'node:child_process';

function runWithInput(cmd: string, args: string[], input: Buffer): Buffer {
  return execFileSync(cmd, args, { input, maxBuffer: 1 << 26 });
}
const remove = (ref: string) => store.remove(ref);

let dir: { path: string; cleanup: () => Promise<void> };
let store: ImageStore;

beforeAll(async () => {
  dir = await tempDir('images');
  store = await ImageStore.open(join(dir.path, 'store'));
});
afterAll(async () => dir.cleanup());

/** Stores crafted blobs the way a pull would, through the store's verifying writer. */
async function storeCrafted(name: string, specs: Parameters<typeof craftImage>[0]) {
  const img = await craftImage(specs);
  for (const l of img.layers) await store.blobs.write(Readable.from([l.gz]), { digest: sha256(l.gz) });
  await store.blobs.writeBytes(img.config);
  await store.blobs.writeBytes(img.manifest);
  const resolved = await store.commit([name], { mediaType: MediaType.ociManifest, digest: img.manifestDigest, size: img.manifest.length }, name);
  return { img, resolved };
}

describe('ImageStore: build and resolve', () => {
  it('builds a busybox image whose snapshot runs busybox', async () => {
    const image = await buildBusyboxImage(store, 'wharf.test/busybox:1');
    expect(image.id).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(image.repoTags).toEqual(['wharf.test/busybox:1']);
    expect(image.repoDigests).toEqual([`wharf.test/busybox@${image.manifestDigest}`]);
    expect(image.config.config?.Cmd).toEqual(['sh']);
    expect(image.layers).toHaveLength(1);
    const top = image.layers[0] as string;
    expect((await stat(join(top, 'bin/busybox'))).mode & 0o777).toBe(0o755);
    expect(await readlink(join(top, 'bin/ls'))).toBe('busybox');
    expect(await readlink(join(top, 'usr/bin/env'))).toBe('../../bin/busybox');
    // The rootfs root must not inherit the build context's 0700.
    expect((await stat(top)).mode & 0o777).toBe(0o755);
    expect((await stat(join(top, 'tmp'))).mode & 0o7777).toBe(0o1777);
    const { stdout } = await run('chroot', [top, '/bin/sh', '-c', 'echo hello from $(basename $0); ls /bin | wc -l']);
    expect(stdout).toMatch(/^hello from sh\n\d+\n$/);
  });

  it('resolves by tag, normalised name, id, id prefix and repo digest', async () => {
    const image = await store.get('wharf.test/busybox:1');
    for (const ref of [image.id, image.id.slice(7), image.id.slice(0, 19), image.id.slice(7, 19), `wharf.test/busybox@${image.manifestDigest}`]) {
      expect((await store.resolve(ref))?.id, ref).toBe(image.id);
    }
    expect(await store.resolve('wharf.test/busybox:2')).toBeUndefined();
    expect(await store.resolve('busybox')).toBeUndefined();
    await expect(store.resolve('Wharf.test/BusyBox!')).rejects.toThrow(InvalidReferenceError);
    await expect(store.remove('docker.io/library/nothing:here')).rejects.toThrow(ImageNotFoundError);
  });

  it('builds on a base: one more layer, config merged, same base snapshot reused', async () => {
    const base = await store.get('wharf.test/busybox:1');
    const ctx = await tempDir('ctx');
    try {
      await mkdir(join(ctx.path, 'app'));
      await writeFile(join(ctx.path, 'app/hello.sh'), 'echo hi\n', { mode: 0o755 });
      const image = await store.build({
        tag: 'app',
        base: 'wharf.test/busybox:1',
        context: ctx.path,
        entrypoint: ['/bin/sh', '/app/hello.sh'],
        env: ['PATH=/bin', 'GREETING=hi'],
        workdir: '/app',
        user: '65534',
        labels: { tier: 'test' },
        exposedPorts: ['8080'],
      });
      expect(image.repoTags).toEqual(['docker.io/library/app:latest']);
      expect(image.layers).toHaveLength(2);
      expect(image.layers[0]).toBe(base.layers[0]);
      const c = image.config.config;
      expect(c?.Entrypoint).toEqual(['/bin/sh', '/app/hello.sh']);
      expect(c?.Cmd).toBeUndefined(); // a new entrypoint resets the base's cmd
      expect(c?.Env).toEqual(['PATH=/bin', 'GREETING=hi']);
      expect(c?.WorkingDir).toBe('/app');
      expect(c?.User).toBe('65534');
      expect(c?.Labels).toEqual({ tier: 'test' });
      expect(c?.ExposedPorts).toEqual({ '8080/tcp': {} });
      expect(image.config.rootfs.diff_ids).toHaveLength(2);
      const out = await inMergedView(image.layers, 'cat app/hello.sh; ls bin/busybox');
      expect(out).toBe('echo hi\nbin/busybox\n');
    } finally {
      await ctx.cleanup();
    }
  });

  it('rebuilding unchanged content reuses the layer digest', async () => {
    const a = await buildBusyboxImage(store, 'wharf.test/busybox:again');
    const b = await store.get('wharf.test/busybox:1');
    expect(a.config.rootfs.diff_ids).toEqual(b.config.rootfs.diff_ids);
    expect(a.layers).toEqual(b.layers);
  });
});

describe('ImageStore: whiteouts', () => {
  it('turns .wh. files into overlay whiteouts and .wh..wh..opq into opaque dirs', async () => {
    const { resolved } = await storeCrafted('wharf.test/whiteouts:1', [
      { 'etc/passwd': 'root\n', 'etc/keep': 'keep\n', 'opq/a': 'a', 'opq/sub/b': 'b', 'gone/x': 'x' },
      { 'etc/.wh.passwd': null, 'opq/.wh..wh..opq': null, 'opq/c': 'c', '.wh.gone': null },
    ]);
    const [lower, upper] = resolved.layers as [string, string];
    // Snapshot contents: the markers are gone, overlay's forms are there.
    const wh = await lstat(join(upper, 'etc/passwd'));
    expect(wh.isCharacterDevice()).toBe(true);
    expect(wh.rdev).toBe(0);
    expect((await lstat(join(upper, 'gone'))).isCharacterDevice()).toBe(true);
    expect(await readdir(join(upper, 'etc'))).toEqual(['passwd']);
    expect((await readdir(join(upper, 'opq'))).sort()).toEqual(['c']);
    expect(xattrsOf(join(upper, 'opq'))).toEqual(['trusted.overlay.opaque=y']);
    expect(await readFile(join(lower, 'etc/passwd'), 'utf8')).toBe('root\n');
    // And the kernel agrees: the merged view has the deletions applied.
    const merged = await inMergedView(resolved.layers, 'find . | sort');
    expect(merged.split('\n').filter(Boolean)).toEqual(['.', './etc', './etc/keep', './opq', './opq/c']);
  });

  it('lists a layer the manifest repeats once, at its highest position, so overlayfs accepts the stack', async () => {
    const same = { 'shared/file': 'same\n' };
    const { resolved } = await storeCrafted('wharf.test/repeated:1', [same, { 'shared/.wh.file': null, 'mid': 'm' }, same]);
    expect(resolved.config.rootfs.diff_ids).toHaveLength(3);
    expect(resolved.layers).toHaveLength(2);
    expect(await inMergedView(resolved.layers, 'cat shared/file; ls')).toBe('same\nmid\nshared\n');
  });

  it('rejects a layer whose content does not match its diff id and leaves no snapshot', async () => {
    const img = await craftImage([{ 'a.txt': 'a' }]);
    const bad = await craftImage([{ 'a.txt': 'b' }]);
    // The config claims the diff id of other content.
    const config = Buffer.from(img.config.toString().replace(
      JSON.parse(img.config.toString()).rootfs.diff_ids[0], JSON.parse(bad.config.toString()).rootfs.diff_ids[0]));
    const cfg = await store.blobs.writeBytes(config);
    const layer = await store.blobs.writeBytes(img.layers[0]!.gz);
    const manifest = await store.blobs.writeJson({
      schemaVersion: 2, mediaType: MediaType.ociManifest,
      config: { mediaType: MediaType.ociConfig, ...cfg },
      layers: [{ mediaType: MediaType.ociLayerGzip, ...layer }],
    });
    const before = await store.snapshots.list();
    await expect(store.commit(['wharf.test/bad:1'], { mediaType: MediaType.ociManifest, digest: manifest.digest, size: manifest.size }, 'bad'))
      .rejects.toThrow(DigestMismatchError);
    expect(await store.snapshots.list()).toEqual(before);
    expect(await store.resolve('wharf.test/bad:1')).toBeUndefined();
  });

  it('does not let a layer set overlayfs xattrs of its own (forged opaque dirs), but keeps its other xattrs', async () => {
    const tar = writeTar([
      { path: 'forged', type: 'directory', mode: 0o755, xattrs: { 'trusted.overlay.opaque': 'y', 'user.kept': 'yes' } },
      { path: 'forged/file', type: 'file', mode: 0o644, data: Buffer.from('f') },
    ]);
    const lower = await storeCrafted('wharf.test/forge-base:1', [{ 'forged/hidden': 'must stay visible\n' }]);
    const gz = gzipSync(tar);
    const baseManifest = JSON.parse(lower.img.manifest.toString());
    const baseConfig = JSON.parse(lower.img.config.toString());
    const layer = await store.blobs.writeBytes(gz);
    const cfg = await store.blobs.writeJson({ ...baseConfig, rootfs: { type: 'layers', diff_ids: [...baseConfig.rootfs.diff_ids, sha256(tar)] } });
    const manifest = await store.blobs.writeJson({
      ...baseManifest,
      config: { ...baseManifest.config, digest: cfg.digest, size: cfg.size },
      layers: [...baseManifest.layers, { mediaType: MediaType.ociLayerGzip, digest: layer.digest, size: layer.size }],
    });
    const image = await store.commit(['wharf.test/forge:1'], { mediaType: MediaType.ociManifest, digest: manifest.digest, size: manifest.size }, 'forge');
    expect(await inMergedView(image.layers, 'ls forged')).toBe('file\nhidden\n');
    expect(xattrsOf(join(image.layers[1] as string, 'forged'))).toEqual(['user.kept=yes']);
  });

  it('refuses a layer that writes outside its snapshot through a symlink or ..', async () => {
    const outside = await tempDir('outside');
    try {
      const tar = writeTar([
        { path: 'escape', type: 'symlink', mode: 0o777, linkpath: outside.path },
        { path: 'escape/pwned', type: 'file', mode: 0o644, data: Buffer.from('x') },
        { path: 'rel', type: 'symlink', mode: 0o777, linkpath: `../../../../../../..${outside.path}` },
        { path: 'rel/pwned2', type: 'file', mode: 0o644, data: Buffer.from('y') },
        { path: `../../../../../../..${outside.path}/pwned3`, type: 'file', mode: 0o644, data: Buffer.from('z') },
      ]);
      const gz = gzipSync(tar);
      const cfg = await store.blobs.writeJson({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [sha256(tar)] } });
      const layer = await store.blobs.writeBytes(gz);
      const manifest = await store.blobs.writeJson({
        schemaVersion: 2, mediaType: MediaType.ociManifest,
        config: { mediaType: MediaType.ociConfig, digest: cfg.digest, size: cfg.size },
        layers: [{ mediaType: MediaType.ociLayerGzip, digest: layer.digest, size: layer.size }],
      });
      await expect(store.commit(['wharf.test/evil:1'], { mediaType: MediaType.ociManifest, digest: manifest.digest, size: manifest.size }, 'evil'))
        .rejects.toThrow(ToolError);
      expect(await readdir(outside.path)).toEqual([]);
      expect(await store.snapshots.has(sha256(tar))).toBe(false);
    } finally {
      await outside.cleanup();
    }
  });

  it('unpacks zstd layers (through the zstd tool) and rejects a layer that is not what its media type says', async () => {
    const tar = await makeLayerTar({ 'zstd/file': 'zstd content\n' });
    const zst = (await runWithInput('zstd', ['-q', '-c'], tar));
    const notGzip = Buffer.from('this is not gzip at all');
    const image = async (name: string, layerBytes: Buffer, mediaType: string, diffId: string) => {
      const cfg = await store.blobs.writeJson({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [diffId] } });
      const layer = await store.blobs.writeBytes(layerBytes);
      const manifest = await store.blobs.writeJson({
        schemaVersion: 2, mediaType: MediaType.ociManifest,
        config: { mediaType: MediaType.ociConfig, digest: cfg.digest, size: cfg.size },
        layers: [{ mediaType, digest: layer.digest, size: layer.size }],
      });
      return store.commit([name], { mediaType: MediaType.ociManifest, digest: manifest.digest, size: manifest.size }, name);
    };
    const z = await image('wharf.test/zstd:1', zst, MediaType.ociLayerZstd, sha256(tar));
    expect(await readFile(join(z.layers[0] as string, 'zstd/file'), 'utf8')).toBe('zstd content\n');
    // (A diff id that is not unpacked yet: an existing snapshot is trusted, it was verified when made.)
    const other = sha256(await makeLayerTar({ 'never/unpacked': 'x' }));
    await expect(image('wharf.test/notgzip:1', notGzip, MediaType.ociLayerGzip, other)).rejects.toThrow(ToolError);
    await expect(image('wharf.test/notzstd:1', notGzip, MediaType.ociLayerZstd, other)).rejects.toThrow(ToolError);
    expect(await store.snapshots.has(other)).toBe(false);
    await remove('wharf.test/zstd:1');
  });

  it('refuses a blob whose bytes do not match the expected digest', async () => {
    const data = Buffer.from('hello');
    await expect(store.blobs.write(Readable.from([data]), { digest: `sha256:${'0'.repeat(64)}` })).rejects.toThrow(DigestMismatchError);
    expect(await store.blobs.has(`sha256:${'0'.repeat(64)}`)).toBe(false);
    expect(await readdir(store.tmpDir)).toEqual([]);
  });
});

describe('ImageStore: list, remove, gc, fsInfo', () => {
  it('lists each image once with all its names', async () => {
    await store.tag('wharf.test/busybox:1', 'wharf.test/busybox:latest');
    const images = await store.list();
    const busybox = images.filter((i) => i.repoTags.includes('wharf.test/busybox:1'));
    expect(busybox).toHaveLength(1);
    expect(busybox[0]?.repoTags).toContain('wharf.test/busybox:latest');
    expect(busybox[0]?.repoDigests).toEqual([`wharf.test/busybox@${busybox[0]?.manifestDigest}`]);
  });

  it('remove drops every name; gc keeps what names or running containers use and deletes the rest', async () => {
    const wh = await store.get('wharf.test/whiteouts:1');
    const app = await store.get('app');
    await store.remove('wharf.test/whiteouts:1');
    await store.remove(app.id.slice(7, 20));
    expect(await store.resolve('wharf.test/whiteouts:1')).toBeUndefined();
    expect(await store.resolve('app')).toBeUndefined();

    // `app` still runs in a container: its snapshots survive a collection.
    const snapshotsBefore = await store.snapshots.list();
    const first = await store.gc(new Set([app.id]));
    expect(first.removedBlobs).toBeGreaterThanOrEqual(4); // whiteouts: 2 layers, config, manifest; app: layer, manifest
    for (const l of app.layers) expect((await stat(l)).isDirectory()).toBe(true);
    for (const l of wh.layers) await expect(stat(l)).rejects.toThrow();
    expect(first.removedSnapshots).toBe(snapshotsBefore.length - (await store.snapshots.list()).length);
    expect(first.removedSnapshots).toBeGreaterThanOrEqual(2);

    const second = await store.gc(new Set());
    expect(second.removedSnapshots).toBe(1); // app's own layer; busybox's is still named
    await expect(stat(app.layers[1] as string)).rejects.toThrow();
    const busybox = await store.get('wharf.test/busybox:1');
    expect((await stat(busybox.layers[0] as string)).isDirectory()).toBe(true);
    expect(await store.gc(new Set())).toEqual({ removedBlobs: 0, removedSnapshots: 0 });
  });

  it('reports filesystem usage of the store', async () => {
    const info = await store.fsInfo();
    expect(info.mountpoint).toBe(store.root);
    expect(info.usedBytes).toBeGreaterThan(1_000_000); // at least the busybox binary
    expect(info.inodesUsed).toBeGreaterThan(100);
  });

  it('a second store on the same root sees the same images (state is on disk)', async () => {
    const again = await ImageStore.open(store.root);
    expect((await again.list()).map((i) => i.id).sort()).toEqual((await store.list()).map((i) => i.id).sort());
  });
});
