// Push: upload config and layers the registry lacks (HEAD first, then a
// monolithic POST+PUT upload streamed from the store), then PUT the manifest
// under the tag. Only the platform manifest is pushed: an index pulled from
// elsewhere names manifests for other platforms that this store never fetched.
import { Readable } from 'node:stream';
import { verifyDigest } from './digest.js';
import { InvalidReferenceError, RegistryError } from './errors.js';
import { mapLimit } from './fs-util.js';
import type { ImageStore } from './image-store.js';
import { normalizedName } from './image-store.js';
import { MediaType, type Descriptor, type OciManifest } from './oci-types.js';
import { formatReference } from './reference.js';
import { RegistryClient, type RegistryAuth } from './registry-client.js';

export interface PushProgress {
  ref: string;
  kind: 'config' | 'layer' | 'manifest';
  digest: string;
  /** `exists`: the registry already has the blob. */
  status: 'exists' | 'uploading' | 'done';
  total: number;
}

export interface PushOptions {
  auth?: RegistryAuth;
  /** Push under this name (registry/repo:tag) instead of the reference given. */
  as?: string;
  onProgress?: (p: PushProgress) => void;
  concurrency?: number;
}

export async function pushImage(store: ImageStore, ref: string, opts: PushOptions): Promise<{ digest: string }> {
  const image = await store.get(ref);
  const dest = normalizedName(opts.as ?? pushName(ref, image.repoTags));
  const name = formatReference(dest);
  const client = new RegistryClient(dest.domain, dest.path, 'pull,push', opts.auth, store.allowRemoteRegistries);
  const progress = (p: Omit<PushProgress, 'ref'>): void => opts.onProgress?.({ ref: name, ...p });

  const manifestBytes = await store.blobs.read(image.manifestDigest);
  const manifest = JSON.parse(manifestBytes.toString('utf8')) as OciManifest;
  // Settle authentication with a cheap request before streaming any body.
  await uploadBlob(client, store, manifest.config, 'config', progress);
  await mapLimit(manifest.layers, opts.concurrency ?? 3, (layer) => uploadBlob(client, store, layer, 'layer', progress));

  const res = await client.fetch(`manifests/${dest.digest ?? dest.tag}`, {
    method: 'PUT',
    headers: { 'content-type': manifest.mediaType ?? MediaType.ociManifest },
    body: manifestBytes,
  });
  const stored = res.headers.get('docker-content-digest');
  if (stored) verifyDigest(image.manifestDigest, stored, 'pushed manifest');
  await res.body?.cancel();
  progress({ kind: 'manifest', digest: image.manifestDigest, status: 'done', total: manifestBytes.length });
  return { digest: image.manifestDigest };
}

/** The name to push to when none is given: the reference itself if it is a name, else the image's first tag. */
function pushName(ref: string, repoTags: string[]): string {
  try {
    const n = normalizedName(ref);
    if (n.digest === undefined) return formatReference(n);
  } catch {
    // an id
  }
  const tag = repoTags[0];
  if (tag === undefined) throw new InvalidReferenceError(ref, 'the image has no name to push to; give one with the "as" option');
  return tag;
}

async function uploadBlob(
  client: RegistryClient,
  store: ImageStore,
  d: Descriptor,
  kind: 'config' | 'layer',
  progress: (p: Omit<PushProgress, 'ref'>) => void,
): Promise<void> {
  const head = await client.fetch(`blobs/${d.digest}`, { method: 'HEAD', accept: [404] });
  if (head.status === 200) {
    progress({ kind, digest: d.digest, status: 'exists', total: d.size });
    return;
  }
  progress({ kind, digest: d.digest, status: 'uploading', total: d.size });
  const start = await client.fetch('blobs/uploads/', { method: 'POST', headers: { 'content-length': '0' } });
  await start.body?.cancel();
  const location = start.headers.get('location');
  if (!location) throw new RegistryError(start.status, client.url('blobs/uploads/'), 'no upload Location in the answer');
  const url = new URL(client.url(location));
  url.searchParams.set('digest', d.digest);
  const body = Readable.toWeb(store.blobs.open(d.digest)) as unknown as ReadableStream<Uint8Array>;
  const put = await client.fetch(url.href, {
    method: 'PUT',
    headers: { 'content-type': 'application/octet-stream', 'content-length': String(d.size) },
    body,
  });
  await put.body?.cancel();
  progress({ kind, digest: d.digest, status: 'done', total: d.size });
}
