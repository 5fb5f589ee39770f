// The one conformance suite both storage backends pass. Each backend's test
// file calls runStorageConformance with a factory that opens a fresh store (or
// a fresh namespace of a shared one). Every test writes under its own prefix.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CompactedError,
  FutureRevisionError,
  KeyExistsError,
  KeyNotFoundError,
  RevisionConflictError,
  StorageClosedError,
  type KeyValue,
  type Storage,
  type StorageEvent,
  type WatchStream,
} from '../../apiserver/src/storage/index.js';

export type StorageFactory = () => Promise<Storage>;

/** Reads exactly n events; a generous guard turns a hang into a failure. */
export async function collect(stream: WatchStream, n: number, guardMs = 30_000): Promise<StorageEvent[]> {
  const it = stream[Symbol.asyncIterator]();
  const events: StorageEvent[] = [];
  while (events.length < n) {
    let timer: NodeJS.Timeout | undefined;
    const guard = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`watch delivered ${events.length} of ${n} events`)), guardMs);
    });
    try {
      const next = await Promise.race([it.next(), guard]);
      if (next.done) throw new Error(`watch ended after ${events.length} of ${n} events`);
      events.push(next.value);
    } finally {
      clearTimeout(timer);
    }
  }
  return events;
}

/** The error the watch's iterator throws (fails the test if it yields events instead). */
export async function watchError(stream: WatchStream): Promise<unknown> {
  try {
    const next = await stream[Symbol.asyncIterator]().next();
    return new Error(`expected an error, got ${JSON.stringify(next)}`);
  } catch (error) {
    return error;
  } finally {
    stream.stop();
  }
}

interface Expected {
  type: 'put' | 'delete';
  key: string;
  value: string;
  revision: number;
}

function simplify(event: StorageEvent): Expected {
  return { type: event.type, key: event.kv.key, value: event.kv.value, revision: event.revision };
}

const put = (kv: KeyValue): Expected => ({ type: 'put', key: kv.key, value: kv.value, revision: kv.modRevision });
const del = (kv: KeyValue): Expected => ({ type: 'delete', key: kv.key, value: kv.value, revision: kv.modRevision });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let counter = 0;

export function runStorageConformance(name: string, open: StorageFactory): void {
  describe(`storage conformance: ${name}`, () => {
    let s: Storage;
    let p: string;

    beforeEach(async () => {
      s = await open();
      p = `/c${++counter}-${Date.now().toString(36)}/`;
    });
    afterEach(async () => {
      await s.close();
    });

    it('creates and gets a key; a second create fails with KeyExistsError', async () => {
      const before = await s.currentRevision();
      const kv = await s.create(`${p}a`, '{"n":1}');
      expect(kv).toEqual({ key: `${p}a`, value: '{"n":1}', createRevision: kv.modRevision, modRevision: kv.modRevision });
      expect(kv.modRevision).toBeGreaterThan(before);
      const got = await s.get(`${p}a`);
      expect(got.kv).toEqual(kv);
      expect(got.revision).toBeGreaterThanOrEqual(kv.modRevision);
      const err = await s.create(`${p}a`, 'again').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(KeyExistsError);
      expect((err as KeyExistsError).name).toBe('KeyExistsError');
      expect((await s.get(`${p}a`)).kv?.value).toBe('{"n":1}');
      expect((await s.get(`${p}missing`)).kv).toBeUndefined();
    });

    it('lists only keys under the prefix, in key order', async () => {
      for (const k of ['a/2', 'a/1', 'ab/1', 'b/1', 'a/3']) await s.create(`${p}${k}`, k);
      await s.create(`${p.slice(0, -1)}x`, 'sibling outside the prefix');
      const all = await s.list(`${p}a/`);
      expect(all.kvs.map((kv) => kv.key)).toEqual([`${p}a/1`, `${p}a/2`, `${p}a/3`]);
      expect(all.more).toBe(false);
      expect(all.revision).toBe(await s.currentRevision());
      expect((await s.list(p)).kvs).toHaveLength(5);
      expect((await s.list(`${p}zzz/`)).kvs).toEqual([]);
    });

    it('paginates with limit and startAfter at one consistent revision', async () => {
      for (let i = 0; i < 10; i++) await s.create(`${p}k${i}`, `v${i}`);
      const first = await s.list(p, { limit: 4 });
      expect(first.kvs.map((kv) => kv.value)).toEqual(['v0', 'v1', 'v2', 'v3']);
      expect(first.more).toBe(true);
      // Writes between pages must not show up in later pages read at the first page's revision.
      await s.create(`${p}k55`, 'late');
      await s.delete(`${p}k7`);
      const seen = [...first.kvs];
      let page = first;
      while (page.more) {
        const last = page.kvs[page.kvs.length - 1] as KeyValue;
        page = await s.list(p, { limit: 4, startAfter: last.key, revision: first.revision });
        expect(page.revision).toBe(first.revision);
        seen.push(...page.kvs);
      }
      expect(seen.map((kv) => kv.value)).toEqual(['v0', 'v1', 'v2', 'v3', 'v4', 'v5', 'v6', 'v7', 'v8', 'v9']);
      const latest = await s.list(p);
      expect(latest.kvs.map((kv) => kv.value)).toEqual(['v0', 'v1', 'v2', 'v3', 'v4', 'v5', 'late', 'v6', 'v8', 'v9']);
    });

    it('lists the state as of an older revision', async () => {
      const r1 = await s.create(`${p}x`, 'x1');
      const r2 = await s.update(`${p}x`, 'x2', r1.modRevision);
      const r3 = await s.create(`${p}y`, 'y1');
      const r4 = await s.delete(`${p}x`);
      const at = async (rev: number) =>
        (await s.list(p, { revision: rev })).kvs.map((kv) => `${kv.key.slice(p.length)}=${kv.value}@${kv.modRevision}`);
      expect(await at(r1.modRevision)).toEqual([`x=x1@${r1.modRevision}`]);
      expect(await at(r2.modRevision)).toEqual([`x=x2@${r2.modRevision}`]);
      expect(await at(r3.modRevision)).toEqual([`x=x2@${r2.modRevision}`, `y=y1@${r3.modRevision}`]);
      expect(await at(r4.modRevision)).toEqual([`y=y1@${r3.modRevision}`]);
      expect((await s.list(p, { revision: r2.modRevision })).revision).toBe(r2.modRevision);
      const future = await s.list(p, { revision: r4.modRevision + 1000 }).catch((e: unknown) => e);
      expect(future).toBeInstanceOf(FutureRevisionError);
    });

    it('updates by compare-and-swap on modRevision', async () => {
      const created = await s.create(`${p}o`, 'v1');
      const updated = await s.update(`${p}o`, 'v2', created.modRevision);
      expect(updated.modRevision).toBeGreaterThan(created.modRevision);
      expect(updated.createRevision).toBe(created.createRevision);
      expect(updated.value).toBe('v2');
      const stale = await s.update(`${p}o`, 'v3', created.modRevision).catch((e: unknown) => e);
      expect(stale).toBeInstanceOf(RevisionConflictError);
      expect((stale as RevisionConflictError).current).toEqual(updated);
      expect((await s.get(`${p}o`)).kv).toEqual(updated);
      expect(await s.update(`${p}nope`, 'v', 1).catch((e: unknown) => e)).toBeInstanceOf(KeyNotFoundError);
      expect(await s.update(`${p}nope`, 'v', 0).catch((e: unknown) => e)).toBeInstanceOf(KeyNotFoundError);
      expect((await s.get(`${p}nope`)).kv).toBeUndefined();
    });

    it('deletes with and without an expected revision', async () => {
      const a = await s.create(`${p}a`, 'A');
      const stale = await s.delete(`${p}a`, a.modRevision - 1).catch((e: unknown) => e);
      expect(stale).toBeInstanceOf(RevisionConflictError);
      expect((stale as RevisionConflictError).current).toEqual(a);
      const gone = await s.delete(`${p}a`, a.modRevision);
      expect(gone.value).toBe('A');
      expect(gone.createRevision).toBe(a.createRevision);
      expect(gone.modRevision).toBeGreaterThan(a.modRevision);
      expect((await s.get(`${p}a`)).kv).toBeUndefined();
      expect(await s.delete(`${p}a`).catch((e: unknown) => e)).toBeInstanceOf(KeyNotFoundError);
      expect(await s.update(`${p}a`, 'x', gone.modRevision).catch((e: unknown) => e)).toBeInstanceOf(KeyNotFoundError);

      await s.create(`${p}b`, 'B');
      expect((await s.delete(`${p}b`)).value).toBe('B');
      const again = await s.create(`${p}a`, 'A2');
      expect(again.createRevision).toBe(again.modRevision);
      expect(again.createRevision).toBeGreaterThan(gone.modRevision);
      expect((await s.list(p)).kvs.map((kv) => kv.value)).toEqual(['A2']);
    });

    it('of concurrent creates and updates racing on one key, exactly one wins', async () => {
      const creates = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => s.create(`${p}race`, `c${i}`)));
      const created = creates.filter((r) => r.status === 'fulfilled');
      expect(created).toHaveLength(1);
      for (const r of creates) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(KeyExistsError);
      const winner = (created[0] as PromiseFulfilledResult<KeyValue>).value;
      expect((await s.get(`${p}race`)).kv).toEqual(winner);

      const updates = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) => s.update(`${p}race`, `u${i}`, winner.modRevision)),
      );
      const updated = updates.filter((r) => r.status === 'fulfilled');
      expect(updated).toHaveLength(1);
      const current = (updated[0] as PromiseFulfilledResult<KeyValue>).value;
      for (const r of updates) {
        if (r.status === 'rejected') expect((r.reason as RevisionConflictError).current).toEqual(current);
      }
      expect((await s.get(`${p}race`)).kv).toEqual(current);
    });

    it('1,000 concurrent conflicting read-modify-write increments lose no update', async () => {
      const key = `${p}counter`;
      const created = await s.create(key, '0');
      const watch = s.watch(key, created.modRevision);
      let conflicts = 0;
      let pending = 1000;
      const increment = async (): Promise<void> => {
        let kv = (await s.get(key)).kv as KeyValue;
        for (;;) {
          try {
            await s.update(key, String(Number(kv.value) + 1), kv.modRevision);
            pending--;
            return;
          } catch (error) {
            if (!(error instanceof RevisionConflictError)) throw error;
            conflicts++;
            // Jittered backoff scaled to the contention (about one attempt per
            // 2 ms across all clients), then a fresh read: the value the
            // conflict reported is stale once the backoff is over.
            await sleep(Math.random() * pending * 2);
            kv = (await s.get(key)).kv as KeyValue;
          }
        }
      };
      await Promise.all(Array.from({ length: 1000 }, increment));
      expect((await s.get(key)).kv?.value).toBe('1000');
      expect(conflicts).toBeGreaterThan(0);
      // The history holds exactly the increments 1..1000, each once, in order.
      const events = await collect(watch, 1000);
      watch.stop();
      expect(events.map((e) => e.kv.value)).toEqual(Array.from({ length: 1000 }, (_, i) => String(i + 1)));
    }, 300_000);

    it('watch from a revision delivers every later event exactly once, in order', async () => {
      const start = await s.currentRevision();
      const expected: Expected[] = [];
      // Some history before the watch starts (catch-up)...
      const a1 = await s.create(`${p}a`, 'a1');
      expected.push(put(a1));
      const b1 = await s.create(`${p}b`, 'b1');
      expected.push(put(b1));
      await s.create(`${p.slice(0, -1)}-other`, 'not under the prefix');
      const a2 = await s.update(`${p}a`, 'a2', a1.modRevision);
      expected.push(put(a2));
      expected.push(del(await s.delete(`${p}b`)));
      const watch = s.watch(p, start);
      const firstTwo = await collect(watch, 2);
      // ...and more while it runs (live), several keys written concurrently.
      const writes = await Promise.all(
        ['c', 'd', 'e'].map(async (k) => {
          const out: Expected[] = [];
          let kv = await s.create(`${p}${k}`, `${k}0`);
          out.push(put(kv));
          for (let i = 1; i <= 5; i++) {
            kv = await s.update(`${p}${k}`, `${k}${i}`, kv.modRevision);
            out.push(put(kv));
          }
          out.push(del(await s.delete(`${p}${k}`, kv.modRevision)));
          return out;
        }),
      );
      expected.push(...writes.flat().sort((x, y) => x.revision - y.revision));
      const b2 = await s.create(`${p}b`, 'b2');
      expected.push(put(b2));
      const events = [...firstTwo, ...(await collect(watch, expected.length - 2))];
      expect(events.map(simplify)).toEqual(expected);
      // prevKv: an update carries the previous value, a delete carries the last one.
      const update = events.find((e) => e.revision === a2.modRevision) as StorageEvent;
      expect(update.prevKv).toMatchObject({ key: `${p}a`, value: 'a1', modRevision: a1.modRevision });
      expect(update.kv.createRevision).toBe(a1.createRevision);
      const deletion = events.find((e) => e.type === 'delete' && e.kv.key === `${p}b`) as StorageEvent;
      expect(deletion.prevKv).toMatchObject({ value: 'b1', modRevision: b1.modRevision });
      // Nothing else is pending: the next event is the next write.
      const sentinel = await s.create(`${p}zz`, 'sentinel');
      expect((await collect(watch, 1)).map(simplify)).toEqual([put(sentinel)]);
      watch.stop();
    });

    it('a watch resumed from the last seen revision continues exactly where it stopped', async () => {
      const start = await s.currentRevision();
      const all: Expected[] = [];
      for (let i = 0; i < 10; i++) all.push(put(await s.create(`${p}k${i}`, `v${i}`)));
      const first = s.watch(p, start);
      const seen = await collect(first, 6);
      first.stop();
      const after = await first[Symbol.asyncIterator]().next();
      expect(after.done).toBe(true);
      for (let i = 0; i < 5; i++) all.push(del(await s.delete(`${p}k${i}`)));
      const last = seen[seen.length - 1] as StorageEvent;
      const resumed = s.watch(p, last.revision);
      const rest = await collect(resumed, all.length - seen.length);
      expect([...seen, ...rest].map(simplify)).toEqual(all);
      const sentinel = await s.create(`${p}zz`, 'sentinel');
      expect((await collect(resumed, 1)).map(simplify)).toEqual([put(sentinel)]);
      resumed.stop();
    });

    it('compaction: reads and watches before the compacted revision fail with CompactedError', async () => {
      const r1 = await s.create(`${p}k1`, 'v1');
      const r2 = await s.update(`${p}k1`, 'v2', r1.modRevision);
      const r3 = await s.create(`${p}k2`, 'x');
      const r4 = await s.delete(`${p}k2`);
      const r5 = await s.update(`${p}k1`, 'v3', r2.modRevision);
      await s.compact(r4.modRevision);
      expect(await s.compactedRevision()).toBe(r4.modRevision);

      const old = await s.list(p, { revision: r3.modRevision }).catch((e: unknown) => e);
      expect(old).toBeInstanceOf(CompactedError);
      expect((old as CompactedError).compactedRevision).toBe(r4.modRevision);
      expect((await s.list(p, { revision: r4.modRevision })).kvs.map((kv) => kv.value)).toEqual(['v2']);
      expect((await s.list(p)).kvs.map((kv) => kv.value)).toEqual(['v3']);
      expect((await s.get(`${p}k1`)).kv).toEqual(r5);

      for (const from of [r1.modRevision, r4.modRevision - 1]) {
        const tooOld = await watchError(s.watch(p, from));
        expect(tooOld).toBeInstanceOf(CompactedError);
        expect((tooOld as CompactedError).compactedRevision).toBe(r4.modRevision);
      }

      // As a list may read at the compacted revision, a watch may start there.
      const watch = s.watch(p, r4.modRevision);
      const events = await collect(watch, 1);
      expect(events.map((e) => [e.type, e.kv.key, e.kv.value, e.revision])).toEqual([
        ['put', `${p}k1`, 'v3', r5.modRevision],
      ]);
      expect(events[0]?.prevKv?.value).toBe('v2');
      const sentinel = await s.create(`${p}zz`, 'sentinel');
      expect((await collect(watch, 1)).map(simplify)).toEqual([put(sentinel)]);
      watch.stop();

      // Compacting to an older revision is a no-op.
      await s.compact(r2.modRevision);
      expect(await s.compactedRevision()).toBe(r4.modRevision);
    });

    it('close ends open watches and refuses further calls', async () => {
      await s.create(`${p}a`, '1');
      const watch = s.watch(p, await s.currentRevision());
      const pending = watch[Symbol.asyncIterator]().next();
      await s.close();
      expect((await pending).done).toBe(true);
      expect(await s.get(`${p}a`).catch((e: unknown) => e)).toBeInstanceOf(StorageClosedError);
      expect(await s.create(`${p}b`, '1').catch((e: unknown) => e)).toBeInstanceOf(StorageClosedError);
    });
  });
}
