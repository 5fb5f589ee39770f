// Pull: resolve the reference to a manifest (or index → linux/amd64 manifest),
// then fetch config and layers — layers concurrently — verifying every byte
// against the digest that named it, then unpack and record the name.
import { Readable } from 'node:stream';
import type { ReadableStream as NodeWebReadableStream } from 'node:stream/web';
import { sha256, verifyDigest } from './digest.js';
import { ImageFormatError, UnsupportedMediaTypeError } from './errors.js';
import { mapLimit } from './fs-util.js';
import type { ImageStore, ResolvedImage } from './image-store.js';
import { normalizedName } from './image-store.js';
import { indexMediaTypes, manifestMediaTypes, type Descriptor, type OciManifest } from './oci-types.js';
import { formatReference } from './reference.js';
import { RegistryClient, type RegistryAuth } from './registry-client.js';

export interface PullProgress {
  /** The normalised reference being pulled. */
  ref: string;
  kind: 'manifest' | 'config' | 'layer';
  digest: string;
  /** `exists`: already in the store, nothing fetched. */
  status: 'exists' | 'downloading' | 'done';
  current: number;
  total: number;
}

export interface PullOptions {
  auth?: RegistryAuth;
  onProgress?: (p: PullProgress) => void;
  /** Layers downloaded at once (default 3). */
  concurrency?: number;
}

export const manifestAccept = [...manifestMediaTypes, ...indexMediaTypes].join(', ');
/** Manifests are small; a huge one is an attack or a mistake. */
const maxManifestBytes = 4 * 1024 * 1024;
const progressStep = 256 * 1024;

export async function pullImage(store: ImageStore, ref: string, opts: PullOptions): Promise<ResolvedImage> {
  const parsed = normalizedName(ref);
  const name = formatReference(parsed);
  const client = new RegistryClient(parsed.domain, parsed.path, 'pull', opts.auth, store.allowRemoteRegistries);
  const progress = (p: Omit<PullProgress, 'ref'>): void => opts.onProgress?.({ ref: name, ...p });

  const target = await fetchManifest(client, parsed.digest ?? (parsed.tag as string), parsed.digest, store, progress);
  const fetchManifestBlob = async (d: Descriptor): Promise<void> => {
    if (d.digest === target.digest || (await store.blobs.has(d.digest))) return;
    await fetchManifest(client, d.digest, d.digest, store, progress);
  };
  const manifestDesc = await store.selectManifest(target, name, fetchManifestBlob);
  const manifest = await store.readJson<OciManifest>(manifestDesc.digest);
  if (!manifest.config?.digest || !Array.isArray(manifest.layers)) throw new ImageFormatError(`${name}: manifest ${manifestDesc.digest} lacks config or layers`);

  await fetchBlob(client, store, manifest.config, 'config', progress);
  await mapLimit(manifest.layers, opts.concurrency ?? 3, (layer) => fetchBlob(client, store, layer, 'layer', progress));
  return store.commit([name], target, name);
}

/** GETs a manifest or index by tag or digest, verifies it, stores it; returns its descriptor. */
async function fetchManifest(
  client: RegistryClient,
  reference: string,
  expectedDigest: string | undefined,
  store: ImageStore,
  progress: (p: Omit<PullProgress, 'ref'>) => void,
): Promise<Descriptor> {
  const res = await client.fetch(`manifests/${reference}`, { headers: { accept: manifestAccept } });
  const body = Buffer.from(await res.arrayBuffer());
  if (body.length > maxManifestBytes) throw new ImageFormatError(`manifest ${reference} is larger than ${maxManifestBytes} bytes`);
  const digest = sha256(body);
  // By digest, the bytes must hash to it; by tag, they must hash to what the registry says they are.
  if (expectedDigest) verifyDigest(expectedDigest, digest, 'manifest');
  const claimed = res.headers.get('docker-content-digest');
  if (claimed && claimed.startsWith('sha256:')) verifyDigest(claimed, digest, 'manifest');
  let doc: { mediaType?: string; schemaVersion?: number };
  try {
    doc = JSON.parse(body.toString('utf8')) as typeof doc;
  } catch (err) {
    throw new ImageFormatError(`manifest ${reference} is not JSON`, { cause: err });
  }
  const mediaType = doc.mediaType ?? (res.headers.get('content-type') ?? '').split(';')[0]?.trim() ?? '';
  if (!manifestMediaTypes.includes(mediaType) && !indexMediaTypes.includes(mediaType)) throw new UnsupportedMediaTypeError(mediaType || `schemaVersion ${doc.schemaVersion}`);
  await store.blobs.writeBytes(body, { digest, size: body.length });
  progress({ kind: 'manifest', digest, status: 'done', current: body.length, total: body.length });
  return { mediaType, digest, size: body.length };
}

async function fetchBlob(
  client: RegistryClient,
  store: ImageStore,
  d: Descriptor,
  kind: 'config' | 'layer',
  progress: (p: Omit<PullProgress, 'ref'>) => void,
): Promise<void> {
  if (await store.blobs.has(d.digest)) {
    progress({ kind, digest: d.digest, status: 'exists', current: d.size, total: d.size });
    return;
  }
  const res = await client.fetch(`blobs/${d.digest}`);
  if (!res.body) throw new ImageFormatError(`blob ${d.digest}: empty response`);
  let current = 0;
  let reported = 0;
  progress({ kind, digest: d.digest, status: 'downloading', current, total: d.size });
  // A generator (rather than .pipe) so a connection that dies mid-blob fails the write instead of hanging it.
  const source = Readable.fromWeb(res.body as unknown as NodeWebReadableStream<Uint8Array>);
  const body = (async function* counted(): AsyncGenerator<Uint8Array> {
    for await (const chunk of source as AsyncIterable<Uint8Array>) {
      current += chunk.length;
      if (current - reported >= progressStep) {
        reported = current;
        progress({ kind, digest: d.digest, status: 'downloading', current, total: d.size });
      }
      yield chunk;
    }
  })();
  await store.blobs.write(body, { digest: d.digest, size: d.size });
  progress({ kind, digest: d.digest, status: 'done', current, total: d.size });
}
