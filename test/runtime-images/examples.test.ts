import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { join } from 'node:path';
import { ImageStore, buildNodeImage, sharedLibraries } from '../../runtime/src/images/index.js';
import { run, tempDir } from './helpers.js';

let dir: { path: string; cleanup: () => Promise<void> };
let store: ImageStore;

beforeAll(async () => {
  dir = await tempDir('examples');
  store = await ImageStore.open(join(dir.path, 'store'));
});
afterAll(async () => dir.cleanup());

describe('example images from host binaries', () => {
  it('finds the shared libraries and the loader that ldd names', async () => {
    const libs = await sharedLibraries(process.execPath);
    expect(libs.some((l) => /ld-linux.*\.so/.test(l))).toBe(true);
    expect(libs.some((l) => /libc\.so/.test(l))).toBe(true);
    expect(libs.every((l) => l.startsWith('/'))).toBe(true);
  });

  it('builds a Node.js image that runs node with only its own files', async () => {
    const image = await buildNodeImage(store, 'wharf.test/node:20', { cmd: ['-e', 'console.log(process.version)'] });
    expect(image.config.config?.Entrypoint).toEqual(['/usr/local/bin/node']);
    expect(image.config.config?.Cmd).toEqual(['-e', 'console.log(process.version)']);
    // chroot: nothing from the host is visible, so this proves the image is self-contained.
    const { stdout } = await run('chroot', [image.layers[0] as string, '/usr/local/bin/node', '-e', 'console.log(process.version, require("fs").readdirSync("/").sort().join(","))']);
    const [version, listing] = stdout.trim().split(' ');
    expect(version).toBe(process.version);
    expect(listing?.split(',')).toEqual(expect.arrayContaining(['bin', 'dev', 'etc', 'proc', 'tmp', 'usr']));
    expect(listing?.split(',')).not.toContain('work'); // a host directory
    // A shell for exec probes and child_process.exec.
    const { stdout: viaShell } = await run('chroot', [image.layers[0] as string, '/usr/local/bin/node', '-e', 'console.log(require("child_process").execSync("echo $((6*7))").toString().trim())']);
    expect(viaShell.trim()).toBe('42');
  }, 120_000);
});
