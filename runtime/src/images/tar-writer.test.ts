import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { writeTar } from './tar-writer.js';

describe('tar writer', () => {
  it('writes entries GNU tar lists back with long names, devices, symlinks and xattrs', () => {
    const long = `${'deep/'.repeat(40)}file`;
    const archive = writeTar([
      { path: 'dir', type: 'directory', mode: 0o755, uid: 1, gid: 2, xattrs: { 'user.note': 'x'.repeat(300) } },
      { path: long, type: 'file', mode: 0o640, data: Buffer.from('hello') },
      { path: 'dir/whiteout', type: 'chardev', mode: 0, devmajor: 0, devminor: 0 },
      { path: 'link', type: 'symlink', mode: 0o777, linkpath: 'dir/whiteout' },
    ]);
    expect(archive.length % 512).toBe(0);
    const listing = execFileSync('tar', ['-tv', '--numeric-owner', '--xattrs', '-f', '-'], { input: archive }).toString();
    const lines = listing.trim().split('\n');
    expect(lines[0]).toMatch(/^drwxr-xr-x\*? +1\/2 .* dir\/?$/);
    expect(lines[1]).toMatch(new RegExp(`^-rw-r----- +0/0 +5 .* ${long}$`));
    expect(lines[2]).toMatch(/^c--------- +0\/0 +0,0 .* dir\/whiteout$/);
    expect(lines[3]).toMatch(/^lrwxrwxrwx +0\/0 .* link -> dir\/whiteout$/);
    expect(execFileSync('tar', ['-xOf', '-', long], { input: archive }).toString()).toBe('hello');
  });
});
