// Mark and sweep over the store. Roots are the names in the index and the
// image ids the caller says are in use (containers may outlive their image's
// name: their snapshots must stay while they run). A named image whose
// manifest or config cannot be read aborts the collection rather than letting
// it delete that image's layers.
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { isDigest } from './digest.js';
import type { ImageStore } from './image-store.js';
import { indexMediaTypes, type OciImageConfig, type OciIndex, type OciManifest } from './oci-types.js';

/** Partial files older than this belong to nobody alive (no pull stalls an hour between writes). */
const tmpMaxAgeMs = 3600_000;

export async function collectGarbage(store: ImageStore, inUse: Set<string>): Promise<{ removedBlobs: number; removedSnapshots: number }> {
  const keepBlobs = new Set<string>();
  const keepSnapshots = new Set<string>();
  const markConfig = async (config: string): Promise<void> => {
    keepBlobs.add(config);
    const doc = await store.readJson<OciImageConfig>(config);
    for (const d of doc.rootfs?.diff_ids ?? []) keepSnapshots.add(d);
  };
  const markManifest = async (digest: string): Promise<void> => {
    keepBlobs.add(digest);
    const m = await store.readJson<OciManifest>(digest);
    for (const l of m.layers ?? []) keepBlobs.add(l.digest);
    if (m.config) await markConfig(m.config.digest);
  };
  for (const rec of (await store.refs.all()).values()) {
    keepBlobs.add(rec.target.digest);
    if (indexMediaTypes.includes(rec.target.mediaType)) {
      // Only the platform manifests we fetched are here; the others were never stored.
      const idx = await store.readJson<OciIndex>(rec.target.digest);
      for (const m of idx.manifests ?? []) if (await store.blobs.has(m.digest)) await markManifest(m.digest);
    }
    await markManifest(rec.manifest);
  }
  for (const id of inUse) if (isDigest(id) && (await store.blobs.has(id))) await markConfig(id);

  let removedBlobs = 0;
  for (const digest of await store.blobs.list()) {
    if (keepBlobs.has(digest)) continue;
    await store.blobs.delete(digest);
    store.forget(digest);
    removedBlobs++;
  }
  let removedSnapshots = 0;
  for (const diffId of await store.snapshots.list()) {
    if (keepSnapshots.has(diffId)) continue;
    await store.snapshots.delete(diffId);
    removedSnapshots++;
  }
  const cutoff = Date.now() - tmpMaxAgeMs;
  for (const name of await readdir(store.tmpDir).catch(() => [])) {
    const p = join(store.tmpDir, name);
    const st = await stat(p).catch(() => undefined);
    if (st && st.mtimeMs < cutoff) await rm(p, { recursive: true, force: true });
  }
  return { removedBlobs, removedSnapshots };
}
