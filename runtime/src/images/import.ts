// Import of images that arrive as files: an OCI image layout (directory or
// tar of one) or a `docker save` tarball (manifest.json + config + layer tars).
// Every blob is re-hashed on its way into the store, so a tampered archive
// fails with DigestMismatchError instead of producing a wrong image.
import { createReadStream } from 'node:fs';
import { mkdir, open, readFile, rm, stat } from 'node:fs/promises';
import { join, resolve as resolvePath, sep } from 'node:path';
import { hexOf } from './digest.js';
import { ImageFormatError } from './errors.js';
import { exists, mapLimit, tempName } from './fs-util.js';
import type { ImageStore, ResolvedImage } from './image-store.js';
import { normalizedName } from './image-store.js';
import {
  MediaType,
  type Descriptor,
  type OciImageConfig,
  type OciIndex,
  type OciManifest,
} from './oci-types.js';
import { formatReference } from './reference.js';
import { runTar } from './system-tar.js';

export interface ImportOptions {
  /**
   * Name for the imported image. Required when the archive names none (an OCI
   * layout whose entries carry only a tag, `docker save` of an untagged image);
   * otherwise it replaces the archive's name for the first image.
   */
  tag?: string;
}

/** Annotation containerd (and `ctr export`, Docker 25+) puts the full image name in. */
const containerdNameAnnotation = 'io.containerd.image.name';
const ociRefNameAnnotation = 'org.opencontainers.image.ref.name';

export async function importImages(store: ImageStore, path: string, opts: ImportOptions): Promise<ResolvedImage[]> {
  const src = resolvePath(path);
  const st = await stat(src);
  if (st.isDirectory()) return importDir(store, src, opts);
  const scratch = tempName(store.tmpDir, 'import');
  await mkdir(scratch);
  try {
    // GNU tar recognises gzip'd tarballs by their magic; it refuses `..` members and
    // owners do not matter here, only the bytes we re-hash.
    await runTar(['--extract', `--file=${src}`, '--directory', scratch, '--no-same-owner', '--no-same-permissions', '--warning=no-unknown-keyword']);
    return await importDir(store, scratch, opts);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

async function importDir(store: ImageStore, dir: string, opts: ImportOptions): Promise<ResolvedImage[]> {
  if (await exists(join(dir, 'oci-layout'))) return importOciLayout(store, dir, opts);
  if (await exists(join(dir, 'manifest.json'))) return importDockerSave(store, dir, opts);
  if (await exists(join(dir, 'index.json'))) return importOciLayout(store, dir, opts);
  throw new ImageFormatError(`${dir} is neither an OCI image layout (oci-layout, index.json) nor a docker save archive (manifest.json)`);
}

async function readJsonIn<T>(dir: string, rel: string): Promise<T> {
  try {
    return JSON.parse(await readFile(inside(dir, rel), 'utf8')) as T;
  } catch (err) {
    throw new ImageFormatError(`cannot read ${rel} from ${dir}`, { cause: err });
  }
}

/** Resolves an archive-supplied relative path, refusing anything that points outside the archive. */
function inside(dir: string, rel: string): string {
  const p = resolvePath(dir, rel);
  if (!p.startsWith(dir + sep)) throw new ImageFormatError(`archive path "${rel}" escapes the archive`);
  return p;
}

// ---- OCI image layout ----

async function importOciLayout(store: ImageStore, dir: string, opts: ImportOptions): Promise<ResolvedImage[]> {
  const index = await readJsonIn<OciIndex>(dir, 'index.json');
  if (!Array.isArray(index.manifests)) throw new ImageFormatError(`${dir}/index.json has no manifests`);
  const copy = (d: Descriptor): Promise<unknown> => {
    const file = join(dir, 'blobs', 'sha256', hexOf(d.digest));
    return store.blobs.write(createReadStream(file), { digest: d.digest, size: d.size });
  };
  const results: ResolvedImage[] = [];
  for (const [i, entry] of index.manifests.entries()) {
    const name = nameForLayoutEntry(entry, i === 0 ? opts.tag : undefined);
    const manifestDesc = await store.selectManifest(entry, name, copy);
    const manifest = await store.readJson<OciManifest>(manifestDesc.digest);
    await copy(manifest.config);
    await mapLimit(manifest.layers, 3, copy);
    results.push(await store.commit([name], entry, name));
  }
  return results;
}

function nameForLayoutEntry(entry: Descriptor, override: string | undefined): string {
  const candidates = [override, entry.annotations?.[containerdNameAnnotation], entry.annotations?.[ociRefNameAnnotation]];
  for (const c of candidates) {
    if (c === undefined) continue;
    // A bare ref.name ("latest") is only a tag; it cannot name an image on its own.
    if (c === override || c.includes('/') || c.includes('@')) return formatReference(normalizedName(c));
  }
  throw new ImageFormatError(`image ${entry.digest} in the layout carries no full name; give one with the tag option`);
}

// ---- docker save ----

interface DockerSaveEntry {
  Config: string;
  RepoTags?: string[] | null;
  Layers: string[];
}

async function importDockerSave(store: ImageStore, dir: string, opts: ImportOptions): Promise<ResolvedImage[]> {
  const entries = await readJsonIn<DockerSaveEntry[]>(dir, 'manifest.json');
  if (!Array.isArray(entries) || entries.length === 0) throw new ImageFormatError(`${dir}/manifest.json lists no images`);
  const results: ResolvedImage[] = [];
  for (const [i, entry] of entries.entries()) {
    const tags = i === 0 && opts.tag !== undefined ? [opts.tag] : (entry.RepoTags ?? []);
    if (tags.length === 0) throw new ImageFormatError(`image ${entry.Config} in the archive has no RepoTags; give a name with the tag option`);
    const names = tags.map((t) => formatReference(normalizedName(t)));

    const configBlob = await store.blobs.write(createReadStream(inside(dir, entry.Config)));
    const config = await store.readJson<OciImageConfig>(configBlob.digest);
    if (config.rootfs?.diff_ids?.length !== entry.Layers.length) {
      throw new ImageFormatError(`${entry.Config}: config lists ${config.rootfs?.diff_ids?.length ?? 0} diff ids for ${entry.Layers.length} layers`);
    }
    const layers = await mapLimit(entry.Layers, 3, async (rel): Promise<Descriptor> => {
      const file = inside(dir, rel);
      const mediaType = (await isGzip(file)) ? MediaType.ociLayerGzip : MediaType.ociLayer;
      const blob = await store.blobs.write(createReadStream(file));
      return { mediaType, digest: blob.digest, size: blob.size };
    });
    const manifest: OciManifest = {
      schemaVersion: 2,
      mediaType: MediaType.ociManifest,
      config: { mediaType: MediaType.ociConfig, digest: configBlob.digest, size: configBlob.size },
      layers,
    };
    const m = await store.blobs.writeJson(manifest);
    results.push(await store.commit(names, { mediaType: MediaType.ociManifest, digest: m.digest, size: m.size }, names[0] as string));
  }
  return results;
}

async function isGzip(file: string): Promise<boolean> {
  const fh = await open(file, 'r');
  try {
    const head = Buffer.alloc(2);
    await fh.read(head, 0, 2, 0);
    return head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    await fh.close();
  }
}
