import { describe, it, expect, afterAll } from 'vitest';
import { mkdir, readdir, writeFile, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { ImageStore, buildBusyboxImage } from '../../runtime/src/images/index.js';
import { tempDir } from './helpers.js';

const dirs: Array<{ cleanup: () => Promise<void> }> = [];
afterAll(async () => {
  for (const d of dirs) await d.cleanup();
});

/** A pid that cannot belong to a live process (beyond the kernel's pid_max). */
const deadPid = 4_194_304 + 17;

describe('recovery from a killed process', () => {
  it('drops half-unpacked snapshots and stale locks a dead process left, and keeps what a live one is writing', async () => {
    const dir = await tempDir('recovery');
    dirs.push(dir);
    const root = join(dir.path, 'store');
    const first = await ImageStore.open(root);
    const image = await buildBusyboxImage(first, 'wharf.test/busybox:1');

    // What SIGKILL mid-unpack and mid-index-update leaves behind.
    await mkdir(join(root, 'snapshots', `.unpack-${deadPid}-abcdef`, 'bin'), { recursive: true });
    await mkdir(join(root, 'snapshots', `.unpack-${process.ppid}-live`), { recursive: true });
    await mkdir(join(root, 'index.lock'));
    await writeFile(join(root, 'index.lock', 'pid'), String(deadPid));
    const partial = join(root, 'tmp', `.blob-${deadPid}-123456`);
    await writeFile(partial, 'half a layer');
    const old = new Date(Date.now() - 2 * 3600_000);
    await utimes(partial, old, old);

    const second = await ImageStore.open(root);
    const snapshots = await readdir(join(root, 'snapshots'));
    expect(snapshots).not.toContain(`.unpack-${deadPid}-abcdef`);
    expect(snapshots).toContain(`.unpack-${process.ppid}-live`); // its owner is alive
    expect((await second.get('wharf.test/busybox:1')).id).toBe(image.id);

    // The dead holder's lock does not block updates.
    await second.tag('wharf.test/busybox:1', 'wharf.test/busybox:2');
    expect((await second.get('wharf.test/busybox:2')).id).toBe(image.id);

    const gc = await second.gc(new Set());
    expect(gc.removedBlobs).toBe(0);
    expect(await readdir(join(root, 'tmp'))).toEqual([]);
    expect((await second.get('wharf.test/busybox:1')).layers).toEqual(image.layers);
  });

  it('two stores on one root (daemon and CLI) do not lose each other\'s names', async () => {
    const dir = await tempDir('two-writers');
    dirs.push(dir);
    const root = join(dir.path, 'store');
    const a = await ImageStore.open(root);
    const b = await ImageStore.open(root);
    await buildBusyboxImage(a, 'wharf.test/base:1');
    await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).tag('wharf.test/base:1', `wharf.test/t:${i}`)));
    const tags = (await a.get('wharf.test/base:1')).repoTags;
    expect(tags).toHaveLength(21);
  });
});
