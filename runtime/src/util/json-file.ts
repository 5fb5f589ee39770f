// State files are replaced atomically (write a temp file, rename) so a SIGKILL
// mid-write leaves either the old or the new record, never half of one. No
// fsync: a killed process loses nothing from the page cache, and after a power
// loss the state (namespaces, containers) is gone anyway — it lives in /run.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

export async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(4).toString('hex')}.tmp`);
  await fs.writeFile(tmp, JSON.stringify(value), { mode: 0o600 });
  await fs.rename(tmp, file);
}

export async function readJsonFile<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as T;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Reads every `*.json` record in a directory, skipping temp files of interrupted writes. */
export async function readJsonDir<T>(dir: string): Promise<T[]> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const out: T[] = [];
  for (const name of names) {
    if (name.startsWith('.')) {
      if (name.endsWith('.tmp')) await fs.rm(path.join(dir, name), { force: true });
      continue;
    }
    if (!name.endsWith('.json')) continue;
    const value = await readJsonFile<T>(path.join(dir, name));
    if (value !== undefined) out.push(value);
  }
  return out;
}

export async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}
