import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  openEtcdStorage,
  openStorage,
  StorageUnavailableError,
  CompactedError,
  EventQueue,
  type KeyValue,
  type Storage,
} from '../../apiserver/src/storage/index.js';
import { startEtcd, startEtcdCluster, type EtcdCluster } from '../harness/etcd.js';
import { collect, runStorageConformance } from './conformance.js';

let etcd: Awaited<ReturnType<typeof startEtcd>>;
beforeAll(async () => {
  etcd = await startEtcd();
});
afterAll(async () => {
  await etcd?.stop();
});

let n = 0;
runStorageConformance('etcd', () => openEtcdStorage({ endpoints: etcd.endpoints, prefix: `/wharf-test-${++n}` }));

describe('etcd backend', () => {
  it('opens from an etcd:// URL and keeps namespaces apart', async () => {
    const a = await openStorage(`etcd://${etcd.endpoints.join(',')}/ns-a`);
    const b = await openStorage(`etcd://${etcd.endpoints.join(',')}/ns-b`);
    try {
      await a.create('/registry/x', 'in a');
      expect((await b.get('/registry/x')).kv).toBeUndefined();
      expect((await a.list('/registry/')).kvs.map((kv) => kv.key)).toEqual(['/registry/x']);
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe('etcd backend: etcd restarted', () => {
  it('a watch resumes without loss after etcd is SIGKILLed and restarted; calls in between fail typed', async () => {
    const own = await startEtcd();
    const s = await openEtcdStorage({ endpoints: own.endpoints });
    try {
      const start = await s.currentRevision();
      const watch = s.watch('/r/', start);
      const written: KeyValue[] = [];
      for (let i = 0; i < 10; i++) written.push(await s.create(`/r/k${i}`, `v${i}`));
      expect((await collect(watch, 5)).map((e) => e.revision)).toEqual(written.slice(0, 5).map((kv) => kv.modRevision));

      await own.member.kill();
      const down = await s.get('/r/k0').catch((e: unknown) => e);
      expect(down).toBeInstanceOf(StorageUnavailableError);
      await own.member.restart();

      for (let i = 10; i < 20; i++) {
        written.push(await eventuallyOk(() => s.create(`/r/k${i}`, `v${i}`)));
      }
      const rest = await collect(watch, 15, 60_000);
      expect(rest.map((e) => e.revision)).toEqual(written.slice(5).map((kv) => kv.modRevision));
      const sentinel = await s.create('/r/zz', 'sentinel');
      expect((await collect(watch, 1))[0]?.revision).toBe(sentinel.modRevision);
      watch.stop();
    } finally {
      await s.close();
      await own.stop();
    }
  });
});

/** Retries a call that fails while etcd comes back (connections re-dialled). */
async function eventuallyOk<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (attempt >= 50 || !(error instanceof StorageUnavailableError)) throw error;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

describe('etcd backend: compaction and slow watchers', () => {
  it('compacts old history on its own, keeping the configured window', async () => {
    const own = await startEtcd();
    const s = await openEtcdStorage({ endpoints: own.endpoints, compactInterval: 50, keepRevisions: 5 });
    try {
      let kv = await s.create('/auto/k', '0');
      for (let i = 1; i <= 30; i++) kv = await s.update('/auto/k', String(i), kv.modRevision);
      for (let i = 0; i < 200 && (await s.compactedRevision()) < kv.modRevision - 5; i++) {
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(await s.compactedRevision()).toBe(kv.modRevision - 5);
      expect(await s.list('/auto/', { revision: kv.modRevision - 6 }).catch((e: unknown) => e)).toBeInstanceOf(
        CompactedError,
      );
      expect((await s.list('/auto/', { revision: kv.modRevision - 5 })).kvs[0]?.value).toBe('25');
    } finally {
      await s.close();
      await own.stop();
    }
  });

  it('holds a slow watcher back instead of buffering without bound, and loses nothing', async () => {
    const s = await openEtcdStorage({ endpoints: etcd.endpoints, prefix: '/slow', watchBufferLimit: 10 });
    try {
      const start = await s.currentRevision();
      const watch = s.watch('/w/', start) as EventQueue;
      const written: KeyValue[] = [];
      const total = 2000;
      for (let i = 0; i < total; i++) written.push(await s.create(`/w/k${i}`, String(i)));
      // Nobody reads. Unpaused, all events would be buffered within a few ms;
      // paused, only what was already in flight (gRPC/HTTP2 windows) arrives.
      await new Promise((r) => setTimeout(r, 500));
      expect(watch.length).toBeGreaterThanOrEqual(10);
      expect(watch.length).toBeLessThan(total / 2);
      const events = await collect(watch, total);
      watch.stop();
      expect(events.map((e) => e.revision)).toEqual(written.map((kv) => kv.modRevision));
    } finally {
      await s.close();
    }
  });
});

describe('etcd backend: large lists', () => {
  it('lists more data than one gRPC message holds, as one consistent snapshot', async () => {
    const s = await openEtcdStorage({ endpoints: etcd.endpoints, prefix: '/large' });
    try {
      const value = 'x'.repeat(20_000);
      for (let i = 0; i < 1500; i += 100) {
        await Promise.all(Array.from({ length: 100 }, (_, j) => s.create(`/big/k${String(i + j).padStart(4, '0')}`, value)));
      }
      const at = await s.currentRevision();
      await s.delete('/big/k0000');
      const all = await s.list('/big/', { revision: at }); // 30 MB, more than one 1,000-key page
      expect(all.kvs).toHaveLength(1500);
      expect(all.more).toBe(false);
      expect(all.revision).toBe(at);
      expect(all.kvs[0]?.key).toBe('/big/k0000');
      const limited = await s.list('/big/', { limit: 1200 });
      expect(limited.kvs).toHaveLength(1200);
      expect(limited.more).toBe(true);
      expect(limited.kvs[0]?.key).toBe('/big/k0001');
    } finally {
      await s.close();
    }
  });
});

describe('etcd backend on a 3-member cluster', () => {
  let cluster: EtcdCluster;
  beforeAll(async () => {
    cluster = await startEtcdCluster(3);
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  /** Retries while the cluster elects a new leader after a member died. */
  async function eventually<T>(fn: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await fn();
      } catch (error) {
        if (attempt >= 50) throw error;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }

  it('reads, writes and watches, and survives one member being killed', async () => {
    const s: Storage = await openEtcdStorage({ endpoints: cluster.endpoints, prefix: '/wharf' });
    try {
      const start = await s.currentRevision();
      // Each watch picks a member at random: with 8, one is almost surely on the member we kill.
      const watches = Array.from({ length: 8 }, () => s.watch('/registry/', start));
      const written: KeyValue[] = [];
      for (let i = 0; i < 20; i++) written.push(await s.create(`/registry/k${i}`, `v${i}`));
      for (const w of watches) expect((await collect(w, 20)).map((e) => e.revision)).toEqual(written.map((kv) => kv.modRevision));

      // Kill the leader (an election follows); the other two keep quorum.
      const leader = await cluster.leader();
      await leader.kill();
      for (let i = 20; i < 40; i++) {
        const key = `/registry/k${i}`;
        // A create whose reply was lost can be retried into KeyExists: then read what is there.
        written.push(
          await eventually(async () => {
            try {
              return await s.create(key, `v${i}`);
            } catch (error) {
              const { kv } = await s.get(key);
              if (kv?.value === `v${i}`) return kv;
              throw error;
            }
          }),
        );
      }
      const listed = await eventually(() => s.list('/registry/'));
      expect(listed.kvs).toHaveLength(40);
      for (const w of watches) {
        const events = await collect(w, 20, 60_000);
        expect(events.map((e) => e.revision)).toEqual(written.slice(20).map((kv) => kv.modRevision));
        w.stop();
      }
      const updated = await eventually(async () => {
        const { kv } = await s.get('/registry/k0');
        return s.update('/registry/k0', 'changed', (kv as KeyValue).modRevision);
      });
      expect((await s.get('/registry/k0')).kv).toEqual(updated);
    } finally {
      await s.close();
    }
  });
});
