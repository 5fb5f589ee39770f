// `wharf image build`: base image (or scratch) + one layer made from a
// directory + config changes → a new image. The layer is reproducible (sorted
// names, root ownership, mtime 0) so rebuilding an unchanged directory yields
// the same layer digest and reuses its blob and snapshot.
import { readdir, stat } from 'node:fs/promises';
import { resolve as resolvePath } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { HashingStream } from './digest.js';
import { ImageError, InvalidReferenceError } from './errors.js';
import type { ImageStore, ResolvedImage } from './image-store.js';
import { normalizedName } from './image-store.js';
import { MediaType, hostPlatform, type Descriptor, type OciContainerConfig, type OciImageConfig, type OciManifest } from './oci-types.js';
import { formatReference } from './reference.js';
import { tarCreate } from './system-tar.js';

export interface BuildOptions {
  /** Name for the result, e.g. "wharf.local/busybox:1" (normalised like any reference). */
  tag: string;
  /** Base image reference; omitted means scratch. */
  base?: string;
  /** Directory whose contents become the new layer, rooted at "/". */
  context: string;
  /** Replaces the base's entrypoint (and, as in Dockerfiles, resets its cmd unless `cmd` is also given). */
  entrypoint?: string[];
  cmd?: string[];
  /** "KEY=value" entries; a key already set by the base is replaced. */
  env?: string[];
  workdir?: string;
  user?: string;
  labels?: Record<string, string>;
  /** "8080/tcp", "53/udp"; a bare port means tcp. */
  exposedPorts?: string[];
  /**
   * gzip level for the new layer. Default 3: on this machine the node binary
   * (99 MB) compresses in 1.5 s at level 3 vs 3.9 s at docker's 6, for 5 %
   * more bytes — and locally built layers rarely cross a network, while build
   * time sits on the path of every test that builds an example image.
   */
  compressionLevel?: number;
}

export async function buildImage(store: ImageStore, opts: BuildOptions): Promise<ResolvedImage> {
  const ref = normalizedName(opts.tag);
  if (ref.digest !== undefined) throw new InvalidReferenceError(opts.tag, 'a build result is named by tag, not digest');
  const name = formatReference(ref);
  const context = resolvePath(opts.context);
  const st = await stat(context).catch(() => undefined);
  if (!st?.isDirectory()) throw new ImageError('INVALID_ARGUMENT', `build context ${context} is not a directory`);
  const base = opts.base !== undefined ? await store.get(opts.base) : undefined;
  const baseManifest = base ? await store.readJson<OciManifest>(base.manifestDigest) : undefined;

  const layer = await writeLayer(store, context, opts.compressionLevel ?? 3);
  const now = new Date().toISOString();
  const host = hostPlatform();
  const config: OciImageConfig = {
    created: now,
    architecture: base?.config.architecture ?? host.architecture,
    os: base?.config.os ?? host.os,
    config: mergeConfig(base?.config.config ?? {}, opts),
    rootfs: { type: 'layers', diff_ids: [...(base?.config.rootfs.diff_ids ?? []), layer.diffId] },
    history: [...(base?.config.history ?? []), { created: now, created_by: `wharf image build ${context}` }],
  };
  if (base?.config.variant !== undefined) config.variant = base.config.variant;
  const configBlob = await store.blobs.writeJson(config);
  const manifest: OciManifest = {
    schemaVersion: 2,
    mediaType: MediaType.ociManifest,
    config: { mediaType: MediaType.ociConfig, digest: configBlob.digest, size: configBlob.size },
    layers: [...(baseManifest?.layers ?? []).map(asOciLayer), layer.descriptor],
  };
  const manifestBlob = await store.blobs.writeJson(manifest);
  return store.commit([name], { mediaType: MediaType.ociManifest, digest: manifestBlob.digest, size: manifestBlob.size }, name);
}

async function writeLayer(store: ImageStore, context: string, level: number): Promise<{ descriptor: Descriptor; diffId: string }> {
  // Top-level names rather than "." so the archive carries no entry for "/"
  // itself: the context dir's own mode (often 0700 from mkdtemp) must not become the rootfs's.
  const names = (await readdir(context)).sort().map((n) => `./${n}`);
  const { stdout, done } = tarCreate([
    '--create', '--file=-', '--directory', context,
    '--sort=name', '--numeric-owner', '--owner=0', '--group=0', '--mtime=@0',
    '--format=posix', '--pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime',
    // Strip the "./" we added from member and hard-link names, never from symlink targets.
    '--transform=s,^\\./,,S',
    '--files-from=/dev/null', '--', ...names,
  ]);
  const diff = new HashingStream();
  const gzip = createGzip({ level });
  const [, , blob] = await Promise.all([done, pipeline(stdout, diff, gzip), store.blobs.write(gzip)]);
  return { descriptor: { mediaType: MediaType.ociLayerGzip, digest: blob.digest, size: blob.size }, diffId: diff.digest() };
}

/** Docker's gzip layer type names the same bytes as OCI's; an OCI manifest should use OCI's names. */
function asOciLayer(d: Descriptor): Descriptor {
  const mediaType = d.mediaType === MediaType.dockerLayerGzip ? MediaType.ociLayerGzip : d.mediaType;
  return { mediaType, digest: d.digest, size: d.size };
}

function mergeConfig(base: OciContainerConfig, opts: BuildOptions): OciContainerConfig {
  const out: OciContainerConfig = { ...base };
  if (opts.entrypoint !== undefined) {
    out.Entrypoint = opts.entrypoint;
    if (opts.cmd === undefined) delete out.Cmd;
  }
  if (opts.cmd !== undefined) out.Cmd = opts.cmd;
  if (opts.env !== undefined) {
    const env = [...(base.Env ?? [])];
    for (const entry of opts.env) {
      const key = entry.split('=', 1)[0];
      const i = env.findIndex((e) => e.split('=', 1)[0] === key);
      if (i >= 0) env[i] = entry;
      else env.push(entry);
    }
    out.Env = env;
  }
  if (opts.workdir !== undefined) out.WorkingDir = opts.workdir;
  if (opts.user !== undefined) out.User = opts.user;
  if (opts.labels !== undefined) out.Labels = { ...(base.Labels ?? {}), ...opts.labels };
  if (opts.exposedPorts !== undefined) {
    out.ExposedPorts = { ...(base.ExposedPorts ?? {}) };
    for (const p of opts.exposedPorts) out.ExposedPorts[p.includes('/') ? p : `${p}/tcp`] = {};
  }
  return out;
}
