// The image store: content-addressed blobs, a name index, and unpacked layer
// snapshots under one root directory:
//
//   <root>/blobs/sha256/<hex>     manifests, configs, indexes, layer tars
//   <root>/index.json             name → target/manifest/config (see ref-index.ts)
//   <root>/snapshots/<hex>/       one unpacked layer per diff id (overlay whiteouts)
//   <root>/tmp/                   partial downloads, renamed into blobs/ when verified
//
// An image's identity is its config digest (the "image id"); names are refs.
import { lstat, mkdir, readdir } from 'node:fs/promises';
import { join, resolve as resolvePath } from 'node:path';
import { BlobStore } from './blob-store.js';
import { buildImage, type BuildOptions } from './build.js';
import { AmbiguousReferenceError, ImageFormatError, ImageNotFoundError, PlatformNotFoundError } from './errors.js';
import { exportImage, type ExportOptions } from './export.js';
import { collectGarbage } from './gc.js';
import { mapLimit } from './fs-util.js';
import { GcLock } from './gc-lock.js';
import { importImages, type ImportOptions } from './import.js';
import {
  hostPlatform,
  indexMediaTypes,
  manifestMediaTypes,
  type Descriptor,
  type OciImageConfig,
  type OciIndex,
  type OciManifest,
} from './oci-types.js';
import { pullImage, type PullOptions } from './pull.js';
import { pushImage, type PushOptions } from './push.js';
import { formatReference, looksLikeImageId, parseReference, repositoryName } from './reference.js';
import { RefIndex, type RefRecord } from './ref-index.js';
import { SnapshotStore } from './snapshot-store.js';

export interface ResolvedImage {
  /** sha256:<config digest> */
  id: string;
  /** Normalised names: "docker.io/library/busybox:latest". */
  repoTags: string[];
  /** name@sha256:<digest of what the name points at (index or manifest)>. */
  repoDigests: string[];
  /** The image config document; the runtime defaults live in `config.config` (Entrypoint, Cmd, Env, …). */
  config: OciImageConfig;
  /**
   * Absolute snapshot directories, lowest layer first (overlayfs lowerdir
   * order is the reverse). A layer repeated in the manifest appears once, at
   * its highest position.
   */
  layers: string[];
  /** Bytes of config plus (compressed) layer blobs. */
  size: number;
  /** Digest of the platform image manifest. */
  manifestDigest: string;
}

export interface ImageStoreOptions {
  /**
   * Whether pull/push may contact registries that are not on loopback.
   * Default: the environment variable WHARF_ALLOW_REMOTE_REGISTRIES=1, else
   * false — a pod naming "nginx" must not make a test machine reach the internet.
   */
  allowRemoteRegistries?: boolean;
}

/** How many layers unpack (or download) at once; gzip and tar each take a core. */
const layerConcurrency = 3;

export class ImageStore {
  /** @internal */ readonly blobs: BlobStore;
  /** @internal */ readonly snapshots: SnapshotStore;
  /** @internal */ readonly refs: RefIndex;
  /** @internal */ readonly tmpDir: string;
  /** @internal */ readonly gcLock = new GcLock();
  private readonly jsonCache = new Map<string, unknown>();
  private readonly inflightPulls = new Map<string, Promise<ResolvedImage>>();

  /** @internal */ readonly allowRemoteRegistries: boolean;

  private constructor(readonly root: string, opts: ImageStoreOptions) {
    this.allowRemoteRegistries = opts.allowRemoteRegistries ?? process.env['WHARF_ALLOW_REMOTE_REGISTRIES'] === '1';
    this.tmpDir = join(root, 'tmp');
    this.blobs = new BlobStore(root, this.tmpDir);
    this.snapshots = new SnapshotStore(root, this.blobs);
    this.refs = new RefIndex(root);
  }

  static async open(root: string, opts: ImageStoreOptions = {}): Promise<ImageStore> {
    const store = new ImageStore(resolvePath(root), opts);
    await mkdir(store.root, { recursive: true, mode: 0o700 });
    await store.blobs.init();
    await store.snapshots.init();
    return store;
  }

  /** Finds an image by name:tag, name@digest, id, or unambiguous id prefix; undefined if absent. */
  async resolve(ref: string): Promise<ResolvedImage | undefined> {
    const found = await this.find(ref);
    return found ? this.materialize(found.id, found.records, true) : undefined;
  }

  /** Like resolve, but absence is an ImageNotFoundError. */
  async get(ref: string): Promise<ResolvedImage> {
    const image = await this.resolve(ref);
    if (!image) throw new ImageNotFoundError(ref);
    return image;
  }

  async list(): Promise<ResolvedImage[]> {
    const byId = groupById(await this.refs.all());
    const images: ResolvedImage[] = [];
    for (const [id, records] of byId) images.push(await this.materialize(id, records, false));
    return images;
  }

  /**
   * Removes the image `ref` names — every tag and digest reference of it, as
   * CRI RemoveImage does. Its blobs and snapshots stay until gc(), which knows
   * which images running containers still use.
   */
  async remove(ref: string): Promise<void> {
    const found = await this.find(ref);
    if (!found) throw new ImageNotFoundError(ref);
    await this.refs.update((refs) => {
      for (const [name, rec] of refs) if (rec.config === found.id) refs.delete(name);
    });
  }

  /** Adds the name `target` (normalised) to the image `source` resolves to. */
  async tag(source: string, target: string): Promise<ResolvedImage> {
    const found = await this.find(source);
    if (!found) throw new ImageNotFoundError(source);
    const [, rec] = found.records[0] as [string, RefRecord];
    const name = formatReference(normalizedName(target));
    await this.refs.update((refs) => void refs.set(name, { ...rec, updated: new Date().toISOString() }));
    return this.get(name);
  }

  build(opts: BuildOptions): Promise<ResolvedImage> {
    return this.gcLock.shared(() => buildImage(this, opts));
  }

  /** Imports every image of an OCI layout (dir or tar) or a `docker save` tarball. */
  import(path: string, opts: ImportOptions = {}): Promise<ResolvedImage[]> {
    return this.gcLock.shared(() => importImages(this, path, opts));
  }

  /** Writes the image as an OCI layout directory, or a tar of one when `dest` ends in .tar. */
  export(ref: string, dest: string, opts: ExportOptions = {}): Promise<void> {
    return this.gcLock.shared(() => exportImage(this, ref, dest, opts));
  }

  /**
   * Pulls `ref` from its registry. Concurrent pulls of the same name with the
   * same credentials share one download (kubelet-style callers pull per pod).
   */
  pull(ref: string, opts: PullOptions = {}): Promise<ResolvedImage> {
    const key = `${ref}\0${JSON.stringify(opts.auth ?? null)}`;
    const running = this.inflightPulls.get(key);
    if (running) return running;
    const p = this.gcLock.shared(() => pullImage(this, ref, opts)).finally(() => this.inflightPulls.delete(key));
    this.inflightPulls.set(key, p);
    return p;
  }

  /** Pushes the image named `ref` to the registry its name points at (optionally under another name). */
  push(ref: string, opts: PushOptions = {}): Promise<{ digest: string }> {
    return this.gcLock.shared(() => pushImage(this, ref, opts));
  }

  async fsInfo(): Promise<{ usedBytes: number; inodesUsed: number; mountpoint: string }> {
    const seen = new Set<number>();
    let usedBytes = 0;
    let inodesUsed = 0;
    const walk = async (dir: string): Promise<void> => {
      for (const d of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
        const p = join(dir, d.name);
        const st = await lstat(p).catch(() => undefined);
        if (!st || seen.has(st.ino)) continue;
        seen.add(st.ino);
        inodesUsed++;
        usedBytes += st.blocks * 512;
        if (st.isDirectory()) await walk(p);
      }
    };
    await walk(this.root);
    return { usedBytes, inodesUsed, mountpoint: this.root };
  }

  /**
   * Deletes blobs no name reaches and snapshots no named image (nor an image
   * in `inUse`, by id — containers may outlive their image's name) uses.
   */
  gc(inUse: Set<string> = new Set()): Promise<{ removedBlobs: number; removedSnapshots: number }> {
    return this.gcLock.exclusive(() => collectGarbage(this, inUse));
  }

  // ---- internal: shared by build, import, pull, export, push ----

  /** @internal Parsed JSON blob, verified on first read and cached (blobs are immutable). */
  async readJson<T>(digest: string): Promise<T> {
    const hit = this.jsonCache.get(digest);
    if (hit !== undefined) return hit as T;
    const doc = await this.blobs.readJson<T>(digest);
    this.jsonCache.set(digest, doc);
    return doc;
  }

  /** @internal Drops a deleted blob from the parsed-JSON cache. */
  forget(digest: string): void {
    this.jsonCache.delete(digest);
  }

  /**
   * @internal The host-platform manifest descriptor reachable from `target`.
   * `fetch` (pull, import) is called for each index or manifest before it is read, to bring it into the store.
   */
  async selectManifest(target: Descriptor, refForErrors: string, fetch?: (d: Descriptor) => Promise<unknown>): Promise<Descriptor> {
    await fetch?.(target);
    if (manifestMediaTypes.includes(target.mediaType)) return target;
    if (!indexMediaTypes.includes(target.mediaType)) throw new ImageFormatError(`${refForErrors}: ${target.mediaType} is neither a manifest nor an index`);
    const index = await this.readJson<OciIndex>(target.digest);
    const chosen = pickPlatform(index.manifests ?? []);
    if (!chosen) {
      const p = hostPlatform();
      throw new PlatformNotFoundError(refForErrors, `${p.os}/${p.architecture}`);
    }
    return this.selectManifest(chosen, refForErrors, fetch);
  }

  /**
   * @internal Records `names` for an image whose blobs (target, manifest,
   * config, layers) are all stored, after unpacking its layers.
   */
  async commit(names: string[], target: Descriptor, refForErrors: string): Promise<ResolvedImage> {
    const manifestDesc = await this.selectManifest(target, refForErrors);
    const manifest = await this.readJson<OciManifest>(manifestDesc.digest);
    const config = await this.readJson<OciImageConfig>(manifest.config.digest);
    const diffIds = config.rootfs?.diff_ids ?? [];
    if (diffIds.length !== manifest.layers.length) {
      throw new ImageFormatError(`${refForErrors}: manifest has ${manifest.layers.length} layers but config lists ${diffIds.length} diff ids`);
    }
    await mapLimit(manifest.layers, layerConcurrency, (layer, i) => this.snapshots.ensure(layer, diffIds[i] as string));
    const updated = new Date().toISOString();
    const record: RefRecord = { target: stripDescriptor(target), manifest: manifestDesc.digest, config: manifest.config.digest, updated };
    await this.refs.update((refs) => {
      for (const name of names) refs.set(name, record);
    });
    const records = [...(await this.refs.all())].filter(([, r]) => r.config === record.config);
    return this.materialize(record.config, records, false);
  }

  private async find(ref: string): Promise<{ id: string; records: Array<[string, RefRecord]> } | undefined> {
    const all = await this.refs.all();
    let parseError: unknown;
    try {
      const parsed = parseReference(ref.trim());
      const repo = repositoryName(parsed);
      let hit: RefRecord | undefined;
      if (parsed.digest !== undefined) {
        hit = all.get(`${repo}@${parsed.digest}`);
        for (const [name, rec] of all) {
          if (hit) break;
          if (nameRepo(name) === repo && (rec.target.digest === parsed.digest || rec.manifest === parsed.digest)) hit = rec;
        }
      } else {
        hit = all.get(`${repo}:${parsed.tag ?? 'latest'}`);
      }
      if (hit) return { id: hit.config, records: [...all].filter(([, r]) => r.config === hit.config) };
    } catch (err) {
      parseError = err;
    }
    if (looksLikeImageId(ref)) {
      const hex = ref.startsWith('sha256:') ? ref.slice(7) : ref;
      const ids = [...groupById(all).keys()].filter((id) => id.slice(7).startsWith(hex));
      if (ids.length > 1) throw new AmbiguousReferenceError(ref, ids);
      const id = ids[0];
      if (id !== undefined) return { id, records: [...all].filter(([, r]) => r.config === id) };
      return undefined;
    }
    if (parseError) throw parseError;
    return undefined;
  }

  private async materialize(id: string, records: Array<[string, RefRecord]>, unpack: boolean): Promise<ResolvedImage> {
    // Prefer a tag's record: it is what the user named most recently.
    const sorted = [...records].sort(([a], [b]) => Number(a.includes('@')) - Number(b.includes('@')) || a.localeCompare(b));
    const primary = sorted[0]?.[1];
    if (!primary) throw new ImageNotFoundError(id);
    const manifest = await this.readJson<OciManifest>(primary.manifest);
    const config = await this.readJson<OciImageConfig>(id);
    const diffIds = config.rootfs?.diff_ids ?? [];
    const stack = unpack
      ? await mapLimit(manifest.layers, layerConcurrency, (layer, i) => this.snapshots.ensure(layer, diffIds[i] as string))
      : diffIds.map((d) => this.snapshots.path(d));
    // The kernel refuses a lowerdir listed twice ("conflicting lowerdir path").
    // Dropping the lower copy of a repeated layer changes nothing: the upper copy
    // already shadows, and whites out, everything the lower one could.
    const layers = stack.filter((p, i) => stack.indexOf(p, i + 1) < 0);
    const repoTags = new Set<string>();
    const repoDigests = new Set<string>();
    for (const [name, rec] of sorted) {
      if (!name.includes('@')) repoTags.add(name);
      repoDigests.add(`${nameRepo(name)}@${rec.target.digest}`);
    }
    const size = manifest.config.size + manifest.layers.reduce((n, l) => n + l.size, 0);
    return { id, repoTags: [...repoTags], repoDigests: [...repoDigests], config, layers, size, manifestDigest: primary.manifest };
  }

}

/** Normalises a name for storing: a bare repo becomes :latest; name:tag@digest keeps only the digest (as containerd). */
export function normalizedName(input: string): ReturnType<typeof parseReference> {
  const ref = parseReference(input);
  if (ref.digest !== undefined) delete ref.tag;
  else ref.tag ??= 'latest';
  return ref;
}

/** "docker.io/library/busybox:latest" → "docker.io/library/busybox" (ports in the host are not tags). */
function nameRepo(name: string): string {
  const at = name.indexOf('@');
  if (at >= 0) return name.slice(0, at);
  const colon = name.lastIndexOf(':');
  return colon > name.lastIndexOf('/') ? name.slice(0, colon) : name;
}

function groupById(all: Map<string, RefRecord>): Map<string, Array<[string, RefRecord]>> {
  const byId = new Map<string, Array<[string, RefRecord]>>();
  for (const entry of all) {
    const list = byId.get(entry[1].config) ?? [];
    list.push(entry);
    byId.set(entry[1].config, list);
  }
  return byId;
}

function stripDescriptor(d: Descriptor): Descriptor {
  return { mediaType: d.mediaType, digest: d.digest, size: d.size };
}

/** The manifest for the host platform; an index entry without a platform is taken only if nothing matches. */
export function pickPlatform(manifests: Descriptor[]): Descriptor | undefined {
  const host = hostPlatform();
  const exact = manifests.find((m) => m.platform?.os === host.os && m.platform.architecture === host.architecture
    && (host.architecture !== 'arm64' || m.platform.variant === undefined || m.platform.variant === 'v8'));
  return exact ?? manifests.find((m) => m.platform === undefined && !m.annotations?.['vnd.docker.reference.type']);
}
