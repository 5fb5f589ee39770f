// Name → image references, persisted as one small JSON file (<root>/index.json).
// Each record keeps what a pull or build resolved (target descriptor, the
// platform manifest and config digests) so that resolving a name never walks
// blobs. Mutations hold an in-process mutex plus a lock directory, re-read the
// file, and replace it atomically — so the runtime daemon and a CLI opening the
// same store do not lose each other's writes.
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Descriptor } from './oci-types.js';
import { isErrno, writeFileAtomic } from './fs-util.js';
import { ImageFormatError } from './errors.js';

export interface RefRecord {
  /** What the name points at: an index or a manifest (the digest a registry knows it by). */
  target: Descriptor;
  /** The linux/amd64 image manifest reached from `target`. */
  manifest: string;
  /** Config digest: the image id. */
  config: string;
  /** When the name was last set (RFC 3339). */
  updated: string;
}

interface IndexFile {
  version: 1;
  refs: Record<string, RefRecord>;
}

const lockStaleMs = 30_000;
/** Lock dirs this process holds right now (several RefIndex instances may share a root). */
const heldByThisProcess = new Set<string>();

export class RefIndex {
  private readonly file: string;
  private readonly lockDir: string;
  private cache: { ino: number; mtimeMs: number; size: number; refs: Map<string, RefRecord> } | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(root: string) {
    this.file = join(root, 'index.json');
    this.lockDir = join(root, 'index.lock');
  }

  /** All references, fresh from disk when another process changed the file. */
  async all(): Promise<Map<string, RefRecord>> {
    let st;
    try {
      st = await stat(this.file);
    } catch (err) {
      if (isErrno(err, 'ENOENT')) return new Map();
      throw err;
    }
    // Every write renames a new file into place, so the inode number alone tells a change.
    if (this.cache && this.cache.ino === st.ino && this.cache.mtimeMs === st.mtimeMs && this.cache.size === st.size) return this.cache.refs;
    const refs = await this.load();
    this.cache = { ino: st.ino, mtimeMs: st.mtimeMs, size: st.size, refs };
    return refs;
  }

  async get(name: string): Promise<RefRecord | undefined> {
    return (await this.all()).get(name);
  }

  /** Applies `change` to a fresh copy of the references under the lock and persists the result. */
  update<T>(change: (refs: Map<string, RefRecord>) => T): Promise<T> {
    const run = this.queue.then(() => this.withLock(async () => {
      const refs = await this.load();
      const result = change(refs);
      const doc: IndexFile = { version: 1, refs: Object.fromEntries([...refs].sort(([a], [b]) => a.localeCompare(b))) };
      await writeFileAtomic(this.file, JSON.stringify(doc, null, 2) + '\n');
      this.cache = undefined;
      return result;
    }));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async load(): Promise<Map<string, RefRecord>> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      if (isErrno(err, 'ENOENT')) return new Map();
      throw err;
    }
    let doc: IndexFile;
    try {
      doc = JSON.parse(text) as IndexFile;
    } catch (err) {
      throw new ImageFormatError(`image index ${this.file} is corrupt`, { cause: err });
    }
    return new Map(Object.entries(doc.refs ?? {}));
  }

  /** mkdir is atomic, so the lock directory is a cross-process mutex; a holder that died is detected by its pid. */
  private async withLock<T>(fn: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        await mkdir(this.lockDir);
        break;
      } catch (err) {
        if (!isErrno(err, 'EEXIST')) throw err;
        if (await this.lockIsStale()) {
          await rm(this.lockDir, { recursive: true, force: true });
          continue;
        }
        await new Promise((r) => setTimeout(r, Math.min(5 + attempt * 5, 50)));
      }
    }
    heldByThisProcess.add(this.lockDir);
    try {
      await writeFile(join(this.lockDir, 'pid'), String(process.pid));
      return await fn();
    } finally {
      await rm(this.lockDir, { recursive: true, force: true });
      heldByThisProcess.delete(this.lockDir);
    }
  }

  private async lockIsStale(): Promise<boolean> {
    try {
      const pid = Number(await readFile(join(this.lockDir, 'pid'), 'utf8'));
      // Our own pid on a lock we do not hold is a leftover from a previous process that had our pid.
      if (pid === process.pid) return !heldByThisProcess.has(this.lockDir);
      if (pid > 0) {
        try {
          process.kill(pid, 0);
          return false;
        } catch {
          return true;
        }
      }
      return false;
    } catch {
      // No pid written yet: the holder is between mkdir and writeFile, or died there.
      try {
        return Date.now() - (await stat(this.lockDir)).mtimeMs > lockStaleMs;
      } catch {
        return false;
      }
    }
  }
}
