// Export of one image as an OCI image layout (directory, or a tar of one when
// the destination ends in .tar) that skopeo, containerd and our own import read.
import { constants } from 'node:fs';
import { copyFile, mkdir, readFile, rm } from 'node:fs/promises';
import { join, resolve as resolvePath } from 'node:path';
import { hexOf } from './digest.js';
import { exists, tempName, writeFileAtomic } from './fs-util.js';
import type { ImageStore } from './image-store.js';
import { normalizedName } from './image-store.js';
import { MediaType, hostPlatform, type Descriptor, type OciIndex, type OciManifest } from './oci-types.js';
import { formatReference } from './reference.js';
import { runTar } from './system-tar.js';

export interface ExportOptions {
  /** Name recorded in the layout's index (default: the image's first tag). */
  name?: string;
}

export async function exportImage(store: ImageStore, ref: string, dest: string, opts: ExportOptions): Promise<void> {
  const image = await store.get(ref);
  const name = opts.name !== undefined ? formatReference(normalizedName(opts.name)) : defaultName(ref, image.repoTags);
  const target = resolvePath(dest);
  if (target.endsWith('.tar')) {
    const scratch = tempName(store.tmpDir, 'export');
    try {
      await writeLayout(store, image.manifestDigest, image.config, scratch, name);
      await runTar(['--create', `--file=${target}`, '--directory', scratch, '--sort=name', '--numeric-owner', '--owner=0', '--group=0', 'oci-layout', 'index.json', 'blobs']);
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
    return;
  }
  await writeLayout(store, image.manifestDigest, image.config, target, name);
}

/** The name the caller used, if it is one of the image's tags; else its first tag. */
function defaultName(ref: string, repoTags: string[]): string | undefined {
  try {
    const asName = formatReference(normalizedName(ref));
    if (repoTags.includes(asName)) return asName;
  } catch {
    // An id, not a name.
  }
  return repoTags[0];
}

async function writeLayout(
  store: ImageStore,
  manifestDigest: string,
  config: { architecture: string; os: string },
  dir: string,
  name: string | undefined,
): Promise<void> {
  const blobsDir = join(dir, 'blobs', 'sha256');
  await mkdir(blobsDir, { recursive: true });
  const manifest = await store.readJson<OciManifest>(manifestDigest);
  for (const digest of [manifestDigest, manifest.config.digest, ...manifest.layers.map((l) => l.digest)]) {
    const out = join(blobsDir, hexOf(digest));
    // Reflink where the filesystem can, else copy: a hard link would let edits to the export corrupt the store.
    if (!(await exists(out))) await copyFile(store.blobs.path(digest), out, constants.COPYFILE_FICLONE);
  }
  await writeFileAtomic(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));

  const entry: Descriptor = {
    mediaType: manifest.mediaType ?? MediaType.ociManifest,
    digest: manifestDigest,
    size: await store.blobs.size(manifestDigest),
    platform: { architecture: config.architecture || hostPlatform().architecture, os: config.os || 'linux' },
  };
  if (name !== undefined) {
    const tag = normalizedName(name).tag;
    entry.annotations = { 'io.containerd.image.name': name, ...(tag !== undefined ? { 'org.opencontainers.image.ref.name': tag } : {}) };
  }
  // Exporting into an existing layout adds to it, replacing an entry of the same name.
  let index: OciIndex = { schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: [] };
  if (await exists(join(dir, 'index.json'))) index = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8')) as OciIndex;
  index.manifests = (index.manifests ?? []).filter((m) =>
    name === undefined ? m.digest !== manifestDigest : m.annotations?.['io.containerd.image.name'] !== name);
  index.manifests.push(entry);
  await writeFileAtomic(join(dir, 'index.json'), JSON.stringify(index));
}
