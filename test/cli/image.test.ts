// wharf image against a scratch store root and a real loopback registry
// (Debian's docker-registry): build, ls, tag, export/import, push/pull, rm.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRegistry, type Registry } from '../runtime-images/registry.js';
import { wharfFor, type Wharf } from './wharf.js';

let root: string;
let context: string;
let wharf: Wharf;
let registry: Registry;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'wharf-cli-images-'));
  context = join(root, 'context');
  mkdirSync(join(context, 'bin'), { recursive: true });
  copyFileSync('/bin/busybox', join(context, 'bin', 'busybox'));
  wharf = wharfFor(undefined);
  registry = await startRegistry();
});
afterAll(async () => {
  await registry?.stop();
  rmSync(root, { recursive: true, force: true });
});

const img = (...args: string[]) => wharf('image', ...args, '--root', root);

/** Rows of `image ls`, header first. */
function rows(out: string): string[][] {
  return out.trim().split('\n').map((l) => l.trim().split(/\s{2,}/));
}

describe('wharf image', () => {
  it('builds an image from a directory and lists it', async () => {
    const b = await img('build', '-t', 'wharf.test/bb:1', '--entrypoint', '["/bin/busybox"]', '--cmd', 'sh', '--env', 'MODE=test', '--label', 'team=cli', context);
    expect(b.code, b.stderr).toBe(0);
    expect(b.stdout).toMatch(/^Successfully built [0-9a-f]{13} wharf\.test\/bb:1 /);
    const ls = rows((await img('ls')).stdout);
    expect(ls[0]).toEqual(['IMAGE', 'TAG', 'IMAGE ID', 'SIZE']);
    expect(ls[1]!.slice(0, 2)).toEqual(['wharf.test/bb', '1']);
    const detail = JSON.parse((await img('ls', '-o', 'json')).stdout) as Array<{ repoTags: string[]; config: { Entrypoint: string[]; Cmd: string[]; Env: string[]; Labels: Record<string, string> } }>;
    expect(detail[0]!.config.Entrypoint).toEqual(['/bin/busybox']);
    expect(detail[0]!.config.Cmd).toEqual(['sh']);
    expect(detail[0]!.config.Env).toContain('MODE=test');
    expect(detail[0]!.config.Labels).toMatchObject({ team: 'cli' });
  });

  it('tags, exports and imports an OCI archive', async () => {
    expect((await img('tag', 'wharf.test/bb:1', 'wharf.test/bb:copy')).code).toBe(0);
    const archive = join(root, 'bb.tar');
    expect((await img('export', 'wharf.test/bb:1', archive)).code).toBe(0);
    const members = execFileSync('tar', ['-tf', archive], { encoding: 'utf8' });
    expect(members).toContain('index.json');
    expect(members).toContain('oci-layout');
    const other = mkdtempSync(join(tmpdir(), 'wharf-cli-images2-'));
    try {
      const imported = await wharf('image', 'import', archive, '--root', other);
      expect(imported.code, imported.stderr).toBe(0);
      expect(imported.stdout).toBe('Loaded image: wharf.test/bb:1\n');
      expect(rows((await wharf('image', 'ls', '--root', other)).stdout)[1]![2]).toBe(rows((await img('ls')).stdout)[1]![2]);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('pushes to and pulls from a loopback registry', async () => {
    const remote = `${registry.host}/cli/bb:1`;
    const pushed = await img('push', 'wharf.test/bb:1', '--as', remote);
    expect(pushed.code, pushed.stderr).toBe(0);
    expect(pushed.stdout).toMatch(new RegExp(`${remote.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: digest: sha256:[0-9a-f]{64}\\n$`));
    const other = mkdtempSync(join(tmpdir(), 'wharf-cli-images3-'));
    try {
      const pulled = await wharf('image', 'pull', remote, '--root', other);
      expect(pulled.code, pulled.stderr).toBe(0);
      expect(pulled.stdout).toContain('Pull complete');
      expect(pulled.stdout.trim().split('\n').at(-1)).toBe(remote);
      const again = await wharf('image', 'pull', remote, '--root', other);
      expect(again.stdout).toContain('Already exists');
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('refuses a non-loopback registry without touching the network', async () => {
    const res = await img('pull', 'nginx:1.25');
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('remote registries are disabled');
  });

  it('removes images by name; a missing name is an error', async () => {
    const rm = await img('rm', 'wharf.test/bb:1', 'wharf.test/bb:copy');
    expect(rm.code, rm.stderr).toBe(0);
    expect(rm.stdout).toBe('Deleted: wharf.test/bb:1\nDeleted: wharf.test/bb:copy\n');
    expect(rows((await img('ls')).stdout)).toHaveLength(1);
    const missing = await img('rm', 'wharf.test/nope:1');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('not found');
  });
});
