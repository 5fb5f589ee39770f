// Example images built from host binaries: no registry is reachable from
// these machines, so tests and examples/ make their images locally.
import { execFile } from 'node:child_process';
import { chmod, copyFile, mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { BuildOptions } from './build.js';
import type { ImageStore, ResolvedImage } from './image-store.js';

const run = promisify(execFile);
const defaultPath = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export type ExampleBuildOptions = Partial<Omit<BuildOptions, 'tag' | 'context'>>;

/** Directories and account files every example rootfs gets, so `User: nobody` and /tmp work. */
async function baseTree(root: string): Promise<void> {
  for (const d of ['bin', 'etc', 'tmp', 'proc', 'sys', 'dev', 'root', 'var/tmp', 'home']) await mkdir(join(root, d), { recursive: true });
  await chmod(join(root, 'tmp'), 0o1777);
  await chmod(join(root, 'var/tmp'), 0o1777);
  await chmod(join(root, 'root'), 0o700);
  await writeFile(join(root, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n');
  await writeFile(join(root, 'etc/group'), 'root:x:0:\nnogroup:x:65534:\n');
  await writeFile(join(root, 'etc/nsswitch.conf'), 'hosts: files dns\npasswd: files\ngroup: files\n');
}

async function withContext<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'wharf-build-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** /bin/busybox plus one symlink per applet from `busybox --list`, and /usr/bin/env for `#!/usr/bin/env` scripts. */
async function addBusybox(ctx: string, busybox: string): Promise<void> {
  await copyFile(busybox, join(ctx, 'bin/busybox'));
  await chmod(join(ctx, 'bin/busybox'), 0o755);
  const { stdout } = await run(busybox, ['--list']);
  for (const applet of stdout.split('\n').map((s) => s.trim())) {
    if (applet === '' || applet === 'busybox' || applet.includes('/')) continue;
    await symlink('busybox', join(ctx, 'bin', applet));
  }
  await mkdir(join(ctx, 'usr/bin'), { recursive: true });
  await symlink('../../bin/busybox', join(ctx, 'usr/bin/env'));
}

/** A busybox image from the host's static busybox (Debian's busybox-static); runs `sh`. */
export async function buildBusyboxImage(store: ImageStore, tag: string, extra: ExampleBuildOptions = {}, busybox = '/bin/busybox'): Promise<ResolvedImage> {
  return withContext(async (ctx) => {
    await baseTree(ctx);
    await addBusybox(ctx, busybox);
    return store.build({ tag, context: ctx, cmd: ['sh'], env: [defaultPath], ...extra });
  });
}

/**
 * A Node.js image from the host's `node` binary and the shared libraries `ldd`
 * names (copied to the same absolute paths, with the dynamic loader), plus
 * busybox so that `sh -c` (exec probes, child_process.exec) works. Its
 * entrypoint is node; pass `cmd` for the script.
 */
export async function buildNodeImage(store: ImageStore, tag: string, extra: ExampleBuildOptions = {}, nodeBinary = process.execPath, busybox = '/bin/busybox'): Promise<ResolvedImage> {
  return withContext(async (ctx) => {
    await baseTree(ctx);
    await addBusybox(ctx, busybox);
    const node = await realpath(nodeBinary);
    await mkdir(join(ctx, 'usr/local/bin'), { recursive: true });
    await copyFile(node, join(ctx, 'usr/local/bin/node'));
    await chmod(join(ctx, 'usr/local/bin/node'), 0o755);
    for (const lib of await sharedLibraries(node)) {
      const dest = join(ctx, lib);
      await mkdir(dirname(dest), { recursive: true });
      await copyFile(await realpath(lib), dest);
      await chmod(dest, 0o755);
    }
    return store.build({ tag, context: ctx, entrypoint: ['/usr/local/bin/node'], env: [defaultPath], ...extra });
  });
}

/** Absolute paths `ldd` prints: "libm.so.6 => /lib/x86_64-linux-gnu/libm.so.6 (0x…)" and the loader line. */
export async function sharedLibraries(binary: string): Promise<string[]> {
  const { stdout } = await run('ldd', [binary]);
  const libs = new Set<string>();
  for (const line of stdout.split('\n')) {
    const m = /=>\s*(\/\S+)/.exec(line) ?? /^\s*(\/\S+)\s+\(/.exec(line);
    if (m?.[1]) libs.add(m[1]);
  }
  return [...libs];
}
