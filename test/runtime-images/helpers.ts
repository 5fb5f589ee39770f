// Fixtures for the image tests: layers and OCI layouts crafted with the system
// tar and gzip (independent of the store's own writer), temp dirs, and the
// merged view of a layer stack through a real overlayfs mount.
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';

export const run = promisify(execFile);

export function sha256(data: Buffer | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

export async function tempDir(prefix: string): Promise<{ path: string; cleanup: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), `wharf-${prefix}-`));
  return { path, cleanup: () => rm(path, { recursive: true, force: true }) };
}

/** Files to put in a layer: path → content; a trailing "/" makes a directory; null content makes an empty file. */
export type LayerSpec = Record<string, string | null>;

/** An uncompressed tar of `spec`, built by GNU tar from a real directory tree. */
export async function makeLayerTar(spec: LayerSpec): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'wharf-layer-'));
  try {
    for (const [path, content] of Object.entries(spec)) {
      if (path.endsWith('/')) {
        await mkdir(join(dir, path), { recursive: true });
      } else {
        await mkdir(join(dir, path, '..'), { recursive: true });
        await writeFile(join(dir, path), content ?? '');
      }
    }
    const names = Object.keys(spec).map((p) => p.split('/')[0] as string);
    return execFileSync('tar', ['-C', dir, '--sort=name', '--owner=0', '--group=0', '--numeric-owner', '--mtime=@0', '-cf', '-', ...new Set(names)], {
      maxBuffer: 1 << 28,
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export interface CraftedImage {
  layers: Array<{ tar: Buffer; gz: Buffer }>;
  config: Buffer;
  manifest: Buffer;
  manifestDigest: string;
  configDigest: string;
}

/** An OCI manifest + config over the given layers (gzip'd), all as bytes. */
export async function craftImage(specs: LayerSpec[], containerConfig: Record<string, unknown> = { Cmd: ['/bin/sh'] }, architecture = 'amd64'): Promise<CraftedImage> {
  const layers = [];
  for (const spec of specs) {
    const tar = await makeLayerTar(spec);
    layers.push({ tar, gz: gzipSync(tar) });
  }
  const config = Buffer.from(JSON.stringify({
    architecture,
    os: 'linux',
    config: containerConfig,
    rootfs: { type: 'layers', diff_ids: layers.map((l) => sha256(l.tar)) },
  }));
  const manifest = Buffer.from(JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(config), size: config.length },
    layers: layers.map((l) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: sha256(l.gz), size: l.gz.length })),
  }));
  return { layers, config, manifest, manifestDigest: sha256(manifest), configDigest: sha256(config) };
}

/** Writes `image` as an OCI image layout directory, named by the io.containerd.image.name annotation. */
export async function writeOciLayout(dir: string, image: CraftedImage, name?: string): Promise<void> {
  await mkdir(join(dir, 'blobs/sha256'), { recursive: true });
  await writeFile(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  const put = (data: Buffer) => writeFile(join(dir, 'blobs/sha256', sha256(data).slice(7)), data);
  for (const l of image.layers) await put(l.gz);
  await put(image.config);
  await put(image.manifest);
  const annotations = name ? { 'io.containerd.image.name': name, 'org.opencontainers.image.ref.name': name.split(':').pop() } : undefined;
  await writeFile(join(dir, 'index.json'), JSON.stringify({
    schemaVersion: 2,
    manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: image.manifestDigest, size: image.manifest.length, ...(annotations ? { annotations } : {}) }],
  }));
}

/**
 * Mounts `layers` (lowest first) as a read-only overlayfs in a private mount
 * namespace, runs `script` (sh) in the merged dir, and returns its stdout —
 * so the mount can never leak past the test.
 */
export async function inMergedView(layers: string[], script: string): Promise<string> {
  const merged = await mkdtemp(join(tmpdir(), 'wharf-merged-'));
  // A read-only overlay needs two lowerdirs; an empty one changes nothing.
  const empty = await mkdtemp(join(tmpdir(), 'wharf-empty-'));
  try {
    const lower = [...layers].reverse().concat(empty).join(':');
    const { stdout } = await run('unshare', ['--mount', '--propagation', 'private', 'sh', '-ec',
      `mount -t overlay overlay -o ro,lowerdir=${lower} ${merged}\ncd ${merged}\n${script}`]);
    return stdout;
  } finally {
    await rm(empty, { recursive: true, force: true });
    await rm(merged, { recursive: true, force: true });
  }
}

export async function readJsonFile<T>(path: string): Promise<T> {
  return JSON.parse(await readFile(path, 'utf8')) as T;
}

/** Writes a layout whose one entry is an index over several platform images (as multi-arch images are). */
export async function writeOciIndexLayout(dir: string, entries: Array<{ image: CraftedImage; platform: { os: string; architecture: string } }>, refName: string): Promise<string> {
  await mkdir(join(dir, 'blobs/sha256'), { recursive: true });
  await writeFile(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  const put = (data: Buffer) => writeFile(join(dir, 'blobs/sha256', sha256(data).slice(7)), data);
  for (const { image } of entries) {
    for (const l of image.layers) await put(l.gz);
    await put(image.config);
    await put(image.manifest);
  }
  const index = Buffer.from(JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: entries.map(({ image, platform }) => ({
      mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: image.manifestDigest, size: image.manifest.length, platform,
    })),
  }));
  await put(index);
  await writeFile(join(dir, 'index.json'), JSON.stringify({
    schemaVersion: 2,
    manifests: [{ mediaType: 'application/vnd.oci.image.index.v1+json', digest: sha256(index), size: index.length, annotations: { 'org.opencontainers.image.ref.name': refName } }],
  }));
  return sha256(index);
}

/** The xattrs GNU tar sees on `path` (its pax records), as "key=value" strings. */
export function xattrsOf(path: string): string[] {
  const archive = execFileSync('tar', ['--xattrs', '--xattrs-include=*', '--format=posix', '--no-recursion', '-cf', '-', '-C', join(path, '..'), path.split('/').pop() as string]);
  return [...archive.toString('latin1').matchAll(/\d+ SCHILY\.xattr\.([^=]+)=([^\n]*)\n/g)].map((m) => `${m[1]}=${m[2]}`);
}
