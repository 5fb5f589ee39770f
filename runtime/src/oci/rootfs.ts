// The container's root filesystem: an overlayfs of the image's unpacked
// layers (read-only, shared by every container of the image) with a
// per-container upper and work directory, so writes never reach the image
// or another container.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { runChecked, runCommand } from '../util/command.js';

export interface RootfsPaths {
  rootfs: string;
  upper: string;
  work: string;
  /** Stands in as the lower layer for an image without layers. */
  empty: string;
}

export function rootfsPaths(bundleDir: string): RootfsPaths {
  return {
    rootfs: path.join(bundleDir, 'rootfs'),
    upper: path.join(bundleDir, 'upper'),
    work: path.join(bundleDir, 'work'),
    empty: path.join(bundleDir, 'empty'),
  };
}

/** `layers` lowest first, as images list them; overlayfs wants the top first. */
export async function mountRootfs(bundleDir: string, layers: string[]): Promise<string> {
  const p = rootfsPaths(bundleDir);
  for (const dir of [p.rootfs, p.upper, p.work]) await fs.mkdir(dir, { recursive: true });
  let lower = [...layers].reverse();
  if (lower.length === 0) {
    await fs.mkdir(p.empty, { recursive: true });
    lower = [p.empty];
  }
  await runChecked('mount', ['-t', 'overlay', 'overlay', '-o', `lowerdir=${lower.join(':')},upperdir=${p.upper},workdir=${p.work}`, p.rootfs]);
  return p.rootfs;
}

/** Mounts the rootfs again if it is not mounted (a restart after a reboot-less namespace change). */
export async function ensureRootfs(bundleDir: string, layers: string[]): Promise<void> {
  if (!(await isMounted(rootfsPaths(bundleDir).rootfs))) await mountRootfs(bundleDir, layers);
}

export async function unmountRootfs(bundleDir: string): Promise<void> {
  const { rootfs } = rootfsPaths(bundleDir);
  // umount of something not mounted fails harmlessly; no need to look first.
  await runCommand('umount', ['-l', rootfs]);
}

async function isMounted(dir: string): Promise<boolean> {
  const info = await fs.readFile('/proc/self/mountinfo', 'utf8');
  return info.split('\n').some((l) => l.split(' ')[4] === dir);
}

/** Bytes and inodes written by the container (its upper directory). */
export async function writableLayerUsage(bundleDir: string): Promise<{ bytes: number; inodes: number }> {
  let bytes = 0;
  let inodes = 0;
  const walk = async (dir: string): Promise<void> => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const full = path.join(dir, e.name);
      inodes++;
      if (e.isDirectory()) await walk(full);
      else if (e.isFile()) bytes += (await fs.lstat(full).catch(() => ({ size: 0 }))).size;
    }
  };
  await walk(rootfsPaths(bundleDir).upper);
  return { bytes, inodes };
}
