// Kubernetes' AtomicWriter layout for configMap, secret and downwardAPI
// volumes: the payload lives in a timestamped directory, `..data` is a symlink
// to it, and each visible top-level name is a symlink through `..data`. An
// update writes a new directory and swaps `..data` with one rename, so a
// reader never sees half of an update.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';

export interface PayloadFile {
  data: Buffer;
  mode: number;
}

const DATA = '..data';

function digest(payload: Map<string, PayloadFile>): string {
  const h = createHash('sha256');
  for (const k of [...payload.keys()].sort()) {
    const f = payload.get(k)!;
    h.update(`${k}\0${f.mode}\0`).update(f.data).update('\0');
  }
  return h.digest('hex').slice(0, 16);
}

function safeRelative(p: string): boolean {
  return p !== '' && !path.isAbsolute(p) && !p.split('/').some((part) => part === '..' || part.startsWith('..'));
}

/** Writes the payload if it differs from what is there; returns true when something changed. */
export async function writeAtomically(dir: string, payload: Map<string, PayloadFile>): Promise<boolean> {
  for (const p of payload.keys()) if (!safeRelative(p)) throw new Error(`invalid volume file path ${JSON.stringify(p)}`);
  await fs.mkdir(dir, { recursive: true });
  const version = `..${digest(payload)}`;
  const current = await fs.readlink(path.join(dir, DATA)).catch(() => undefined);
  if (current === version) return false;
  const target = path.join(dir, version);
  await fs.rm(target, { recursive: true, force: true });
  for (const [rel, file] of payload) {
    const full = path.join(target, rel);
    await fs.mkdir(path.dirname(full), { recursive: true });
    await fs.writeFile(full, file.data, { mode: file.mode });
    await fs.chmod(full, file.mode);
  }
  await fs.chmod(target, 0o755);
  const tmpLink = path.join(dir, '..data_tmp');
  await fs.rm(tmpLink, { force: true });
  await fs.symlink(version, tmpLink);
  await fs.rename(tmpLink, path.join(dir, DATA));
  const tops = new Set([...payload.keys()].map((p) => p.split('/')[0]!));
  for (const top of tops) {
    const link = path.join(dir, top);
    const existing = await fs.readlink(link).catch(() => undefined);
    if (existing === `${DATA}/${top}`) continue;
    await fs.rm(link, { recursive: true, force: true });
    await fs.symlink(`${DATA}/${top}`, link);
  }
  for (const entry of await fs.readdir(dir)) {
    if (entry === DATA || entry === version) continue;
    if (entry.startsWith('..') || !tops.has(entry)) await fs.rm(path.join(dir, entry), { recursive: true, force: true });
  }
  return true;
}
