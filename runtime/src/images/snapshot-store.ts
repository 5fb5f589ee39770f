// Snapshots: each layer unpacked once, by diff id, into <root>/snapshots/<hex>/
// (hex only: overlayfs separates lowerdirs with ':'), shared by every image and
// container that uses the layer.
//
// Whiteouts are converted to overlayfs's own form rather than flattening each
// image into one tree: a `.wh.name` becomes a 0/0 character device `name` and
// a `.wh..wh..opq` marker becomes `trusted.overlay.opaque=y` on its directory.
// That keeps one directory per layer (no copy per image chain, layers unpack in
// parallel, a shared base layer costs its size once), and the kernel applies
// the deletions when the snapshots are stacked as lowerdirs — the same layout
// containerd's overlayfs snapshotter uses. The cost: snapshots are only correct
// when read through overlayfs, and creating them needs root (mknod, trusted.*).
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';
import type { BlobStore } from './blob-store.js';
import { HashingStream, hexOf, verifyDigest } from './digest.js';
import { UnsupportedMediaTypeError } from './errors.js';
import { isErrno, tempName } from './fs-util.js';
import { layerCompression, type Descriptor } from './oci-types.js';
import { extractArgs, processFilter, runTar, trustedExtractArgs } from './system-tar.js';
import { writeTar, type TarEntry } from './tar-writer.js';

const whiteoutPrefix = '.wh.';
const opaqueMarker = '.wh..wh..opq';
/** Other `.wh..wh.` names are AUFS bookkeeping (hard-link dirs); they carry no meaning for us. */
const aufsMetaPrefix = '.wh..wh.';

export class SnapshotStore {
  readonly dir: string;
  private readonly inflight = new Map<string, Promise<string>>();

  constructor(
    root: string,
    private readonly blobs: BlobStore,
  ) {
    this.dir = join(root, 'snapshots');
  }

  async init(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    // Half-unpacked directories are never renamed into place; drop those whose
    // process died (another live process sharing the store may be mid-unpack).
    for (const name of await readdir(this.dir)) {
      if (name.startsWith('.') && !ownerAlive(name)) await rm(join(this.dir, name), { recursive: true, force: true });
    }
  }

  path(diffId: string): string {
    return join(this.dir, hexOf(diffId));
  }

  async has(diffId: string): Promise<boolean> {
    try {
      await stat(this.path(diffId));
      return true;
    } catch (err) {
      if (isErrno(err, 'ENOENT')) return false;
      throw err;
    }
  }

  /** Returns the snapshot dir for `diffId`, unpacking `layer` first if needed (once, even when asked concurrently). */
  ensure(layer: Descriptor, diffId: string): Promise<string> {
    const running = this.inflight.get(diffId);
    if (running) return running;
    const p = this.unpackIfMissing(layer, diffId).finally(() => this.inflight.delete(diffId));
    this.inflight.set(diffId, p);
    return p;
  }

  async list(): Promise<string[]> {
    const names = await readdir(this.dir);
    return names.filter((n) => /^[a-f0-9]{64}$/.test(n)).map((n) => `sha256:${n}`);
  }

  async delete(diffId: string): Promise<void> {
    // Rename first so a reader never sees a half-deleted snapshot under its real name.
    const doomed = tempName(this.dir, 'delete');
    try {
      await rename(this.path(diffId), doomed);
    } catch (err) {
      if (isErrno(err, 'ENOENT')) return;
      throw err;
    }
    await rm(doomed, { recursive: true, force: true });
  }

  private async unpackIfMissing(layer: Descriptor, diffId: string): Promise<string> {
    const final = this.path(diffId);
    if (await this.has(diffId)) return final;
    const compression = layerCompression(layer.mediaType);
    if (compression === undefined) throw new UnsupportedMediaTypeError(layer.mediaType);

    const work = tempName(this.dir, 'unpack');
    await mkdir(work, { mode: 0o755 });
    try {
      const compressed = new HashingStream();
      const diff = new HashingStream();
      const decompress = { gzip: () => [createGunzip()], zstd: () => [processFilter('zstd', ['-d', '-c', '-q'])], none: () => [] }[compression];
      const chain = [this.blobs.open(layer.digest), compressed, ...decompress(), diff];
      await runTar([...extractArgs, '--directory', work], chain);
      verifyDigest(layer.digest, compressed.digest(), 'layer');
      verifyDigest(diffId, diff.digest(), 'layer diff id');
      await convertWhiteouts(work);
      try {
        await rename(work, final);
      } catch (err) {
        // Another process unpacked the same layer meanwhile: theirs is as good as ours.
        if (!isErrno(err, 'ENOTEMPTY') && !isErrno(err, 'EEXIST')) throw err;
        await rm(work, { recursive: true, force: true });
      }
      return final;
    } catch (err) {
      await rm(work, { recursive: true, force: true });
      throw err;
    }
  }
}

/** Temp names embed their creator's pid (see tempName); is that process still running? */
function ownerAlive(tempBase: string): boolean {
  const pid = Number(/^\.[a-z]+-(\d+)-/.exec(tempBase)?.[1]);
  if (!pid || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return isErrno(err, 'EPERM');
  }
}

/** Rewrites OCI whiteout files under `root` into overlayfs whiteouts (see the file comment). */
export async function convertWhiteouts(root: string): Promise<{ whiteouts: number; opaque: number }> {
  const entries: TarEntry[] = [];
  let whiteouts = 0;
  let opaque = 0;
  const walk = async (rel: string): Promise<void> => {
    const abs = rel === '' ? root : join(root, rel);
    for (const d of await readdir(abs, { withFileTypes: true })) {
      const childRel = rel === '' ? d.name : `${rel}/${d.name}`;
      if (d.name === opaqueMarker) {
        await rm(join(abs, d.name), { force: true });
        const st = await stat(abs);
        entries.push({
          path: rel === '' ? '.' : rel,
          type: 'directory',
          mode: st.mode,
          uid: st.uid,
          gid: st.gid,
          mtime: Math.floor(st.mtimeMs / 1000),
          xattrs: { 'trusted.overlay.opaque': 'y' },
        });
        opaque++;
      } else if (d.name.startsWith(aufsMetaPrefix)) {
        await rm(join(abs, d.name), { recursive: true, force: true });
      } else if (d.name.startsWith(whiteoutPrefix)) {
        const target = d.name.slice(whiteoutPrefix.length);
        await rm(join(abs, d.name), { recursive: true, force: true });
        // The layer should not also contain the name it deletes; if it does, the deletion wins.
        await rm(join(abs, target), { recursive: true, force: true });
        entries.push({ path: rel === '' ? target : `${rel}/${target}`, type: 'chardev', mode: 0, devmajor: 0, devminor: 0 });
        whiteouts++;
      } else if (d.isDirectory()) {
        await walk(childRel);
      }
    }
  };
  await walk('');
  if (entries.length > 0) await runTar([...trustedExtractArgs, '--directory', root], writeTar(entries));
  return { whiteouts, opaque };
}
