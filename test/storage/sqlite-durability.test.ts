// SQLite-only guarantees: acknowledged writes survive SIGKILL, one process per
// file, bounded WAL, compaction that really drops rows, and slow watchers dropped.
import Database from 'better-sqlite3';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CompactedError,
  openSqliteStorage,
  StoreLockedError,
  WatchTooSlowError,
  type StorageEvent,
} from '../../apiserver/src/storage/index.js';
import { compiledStorage, removeCompiledStorage } from './compiled-storage.js';
import { collect, watchError } from './conformance.js';

const writer = fileURLToPath(new URL('./fixtures/sqlite-writer.mjs', import.meta.url));
let dir: string;
let storageModule: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'wharf-sqlite-durability-'));
  storageModule = compiledStorage();
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  removeCompiledStorage();
});

/** Starts the writer child; resolves once it printed "ready". */
async function startWriter(path: string, mode = ''): Promise<{ child: ChildProcess; lines: AsyncIterator<string> }> {
  const child = spawn(process.execPath, [writer, storageModule, path, mode], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream })[Symbol.asyncIterator]();
  const first = await lines.next();
  expect(first.value).toBe('ready');
  return { child, lines };
}

async function sigkill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exit = once(child, 'exit');
  child.kill('SIGKILL');
  await exit;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('sqlite backend', () => {
  it('keeps every acknowledged write when the writing process is SIGKILLed', async () => {
    const path = join(dir, 'crash.db');
    const acked = new Map<string, { revision: number; value: string }>();
    let lastRevision = 0;
    for (let round = 0; round < 2; round++) {
      const { child, lines } = await startWriter(path, String(round * 100_000));
      let count = 0;
      // Kill in the middle of the write stream, at a point that differs per round.
      const killAfter = 1500 + round * 701;
      for (let line = await lines.next(); !line.done; line = await lines.next()) {
        const [tag, revision, key, value] = line.value.split(' ');
        expect(tag).toBe('ack');
        acked.set(key as string, { revision: Number(revision), value: value as string });
        lastRevision = Number(revision);
        if (++count === killAfter) child.kill('SIGKILL');
      }
      await sigkill(child);
      expect(count).toBeGreaterThanOrEqual(killAfter);
    }

    // The lock died with the process: the store opens at once.
    const s = await openSqliteStorage({ path, compactInterval: 0 });
    try {
      expect(await s.currentRevision()).toBeGreaterThanOrEqual(lastRevision);
      for (const [key, { revision, value }] of acked) {
        const { kv } = await s.get(key);
        expect(kv, key).toBeDefined();
        if (key === '/crash/counter') {
          // The write in flight at the kill may have committed after the last ack.
          expect(kv?.modRevision).toBeGreaterThanOrEqual(revision);
          expect(Number(kv?.value)).toBeGreaterThanOrEqual(Number(value));
        } else {
          expect(kv?.modRevision).toBe(revision);
          expect(JSON.parse(kv?.value ?? '{}').i).toBe(Number(value));
        }
      }
      // Watches resume after the restart: the whole history, in order, once.
      const current = await s.currentRevision();
      const watch = s.watch('/crash/', 0);
      const events = await collect(watch, current);
      watch.stop();
      expect(events.map((e) => e.revision)).toEqual(Array.from({ length: current }, (_, i) => i + 1));
      const next = await s.create('/crash/after-restart', 'x');
      expect(next.modRevision).toBe(current + 1);
    } finally {
      await s.close();
    }
  });

  it('refuses a second process on the same file, and frees it when that process dies', async () => {
    const path = join(dir, 'locked.db');
    const { child } = await startWriter(path, 'hold');
    try {
      const err = await openSqliteStorage({ path, lockTimeout: 100 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StoreLockedError);
      expect((err as Error).message).toContain(path);
      expect((err as Error).name).toBe('StoreLockedError');
    } finally {
      await sigkill(child);
    }
    const s = await openSqliteStorage({ path, compactInterval: 0 });
    expect(await s.currentRevision()).toBe(0);
    // The same process cannot open it twice either.
    expect(await openSqliteStorage({ path, lockTimeout: 50 }).catch((e: unknown) => e)).toBeInstanceOf(StoreLockedError);
    await s.close();
  });

  it('keeps the WAL bounded and truncates it on checkpoint', async () => {
    const path = join(dir, 'wal.db');
    const limit = 1024 * 1024;
    const s = await openSqliteStorage({ path, compactInterval: 0, checkpointInterval: 0, walSizeLimit: limit });
    const value = 'v'.repeat(4000);
    let maxWal = 0;
    for (let i = 0; i < 4_000; i += 50) {
      await Promise.all(Array.from({ length: 50 }, (_, j) => s.create(`/wal/k${i + j}`, value)));
      maxWal = Math.max(maxWal, s.walBytes());
    }
    // About 20 MB went through the WAL; it never held more than a few MB.
    expect(maxWal).toBeGreaterThan(0);
    expect(maxWal).toBeLessThan(8 * 1024 * 1024);
    expect(s.checkpoint().walBytes).toBe(0);
    await s.close();

    // The periodic checkpoint does the same on its own.
    const periodic = await openSqliteStorage({ path, compactInterval: 0, checkpointInterval: 50 });
    for (let i = 0; i < 200; i++) await periodic.update(`/wal/k${i}`, 'small', (await periodic.get(`/wal/k${i}`)).kv!.modRevision);
    expect(periodic.walBytes()).toBeGreaterThan(0);
    for (let i = 0; i < 200 && periodic.walBytes() > 0; i++) await sleep(50);
    expect(periodic.walBytes()).toBe(0);
    await periodic.close();
  });

  it('compaction drops superseded rows, persists its revision, and runs on its own', async () => {
    const path = join(dir, 'compact.db');
    let s = await openSqliteStorage({ path, compactInterval: 0 });
    let kv = await s.create('/c/hot', '0');
    for (let i = 1; i <= 100; i++) kv = await s.update('/c/hot', String(i), kv.modRevision);
    const gone = await s.create('/c/gone', 'x');
    await s.delete('/c/gone', gone.modRevision);
    await s.create('/c/kept', 'k');
    const compactAt = await s.currentRevision();
    await s.compact(compactAt);
    await s.close();

    const raw = new Database(path, { readonly: true });
    const rows = raw.prepare('SELECT name, value FROM kine ORDER BY id').all();
    raw.close();
    // One row per live key; the deleted key and all history before compactAt are gone.
    expect(rows).toEqual([
      { name: '/c/hot', value: '100' },
      { name: '/c/kept', value: 'k' },
    ]);

    s = await openSqliteStorage({ path, compactInterval: 20, keepRevisions: 10 });
    try {
      expect(await s.compactedRevision()).toBe(compactAt);
      expect(await s.list('/c/', { revision: compactAt - 1 }).catch((e: unknown) => e)).toBeInstanceOf(CompactedError);
      expect((await s.list('/c/')).kvs.map((x) => x.value)).toEqual(['100', 'k']);
      const hot = (await s.get('/c/hot')).kv!;
      let rev = hot.modRevision;
      for (let i = 0; i < 50; i++) rev = (await s.update('/c/hot', `n${i}`, rev)).modRevision;
      expect(rev).toBe(compactAt + 50); // revisions continue after a restart
      for (let i = 0; i < 200 && (await s.compactedRevision()) < rev - 10; i++) await sleep(20);
      expect(await s.compactedRevision()).toBe(rev - 10);
      expect(await watchError(s.watch('/c/', rev - 11))).toBeInstanceOf(CompactedError);
      const w = s.watch('/c/', rev - 10);
      expect((await collect(w, 10)).map((e) => e.kv.value)).toEqual(['n40', 'n41', 'n42', 'n43', 'n44', 'n45', 'n46', 'n47', 'n48', 'n49']);
      w.stop();
    } finally {
      await s.close();
    }
  });

  it('stops a watcher that falls too far behind; it resumes from its last revision', async () => {
    const s = await openSqliteStorage({ path: join(dir, 'slow.db'), compactInterval: 0, watchBufferLimit: 10 });
    try {
      const watch = s.watch('/slow/', 0);
      const it = watch[Symbol.asyncIterator]();
      const first = it.next(); // the consumer waits: the watcher is now live
      const written = [await s.create('/slow/k0', '0')];
      expect((await first).value?.revision).toBe(written[0]?.modRevision);
      for (let i = 1; i <= 50; i++) written.push(await s.create(`/slow/k${i}`, String(i)));
      const seen: StorageEvent[] = [];
      let failure: unknown;
      try {
        for (let next = await it.next(); !next.done; next = await it.next()) seen.push(next.value);
      } catch (error) {
        failure = error;
      }
      expect(failure).toBeInstanceOf(WatchTooSlowError);
      expect(seen).toHaveLength(10);
      const last = seen[seen.length - 1] as StorageEvent;
      expect((failure as WatchTooSlowError).lastRevision).toBe(last.revision);
      const resumed = s.watch('/slow/', last.revision);
      const rest = await collect(resumed, 40);
      resumed.stop();
      expect([...seen, ...rest].map((e) => e.revision)).toEqual(written.slice(1).map((kv) => kv.modRevision));
    } finally {
      await s.close();
    }
  });
});
