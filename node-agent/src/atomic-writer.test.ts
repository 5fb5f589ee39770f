import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeAtomically } from './atomic-writer.js';

describe('writeAtomically', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('writes files with modes behind ..data and replaces them on change', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'aw-'));
    dirs.push(dir);
    expect(await writeAtomically(dir, new Map([['a', { data: Buffer.from('1'), mode: 0o600 }], ['sub/b', { data: Buffer.from('2'), mode: 0o644 }]]))).toBe(true);
    expect(readFileSync(path.join(dir, 'a'), 'utf8')).toBe('1');
    expect(readFileSync(path.join(dir, 'sub/b'), 'utf8')).toBe('2');
    expect(statSync(path.join(dir, 'a')).mode & 0o777).toBe(0o600);
    expect(await writeAtomically(dir, new Map([['a', { data: Buffer.from('1'), mode: 0o600 }], ['sub/b', { data: Buffer.from('2'), mode: 0o644 }]]))).toBe(false);
    expect(await writeAtomically(dir, new Map([['a', { data: Buffer.from('3'), mode: 0o600 }]]))).toBe(true);
    expect(readFileSync(path.join(dir, 'a'), 'utf8')).toBe('3');
    expect(readdirSync(dir).filter((e) => !e.startsWith('..'))).toEqual(['a']);
  });
});
