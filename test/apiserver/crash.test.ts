// SIGKILL the apiserver in the middle of a stream of writes: after a restart
// every acknowledged write is there, and a watch resumes from the last
// resourceVersion it saw without missing an event.
import { afterAll, describe, expect, it } from 'vitest';
import { startApiServer, type ApiServerProcess } from '../harness/apiserver.js';
import { openWatch } from '../harness/watch-stream.js';

const CMS = '/api/v1/namespaces/default/configmaps';
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

describe('crash safety', () => {
  it('keeps every acknowledged write across SIGKILL and resumes watches', async () => {
    const api = await startApiServer();
    cleanups.push(() => api.cleanup());
    const start = (await api.request('GET', CMS)).json().metadata.resourceVersion as string;
    const watch = openWatch(api, `${CMS}?watch=true&resourceVersion=${start}`);
    const acked = new Map<string, number>();
    let stop = false;
    const writers = Array.from({ length: 8 }, async (_, w) => {
      for (let i = 0; !stop; i++) {
        const name = `crash-${w}-${i}`;
        try {
          const r = await api.request('POST', CMS, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { i: String(i) } });
          if (r.status === 201) acked.set(name, Number(r.json().metadata.resourceVersion));
        } catch {
          return; // connection reset by the kill
        }
      }
    });
    while (acked.size < 200) await new Promise((r) => setTimeout(r, 20));
    await api.kill();
    stop = true;
    await Promise.all(writers);
    watch.close();
    expect(acked.size).toBeGreaterThanOrEqual(200);

    const again = await api.restart();
    cleanups.push(() => again.cleanup());
    const items = (await again.request('GET', CMS)).json().items as Array<{ metadata: { name: string } }>;
    const stored = new Set(items.map((i) => i.metadata.name));
    const lost = [...acked.keys()].filter((n) => !stored.has(n));
    expect(lost).toEqual([]);

    // Resume the watch from the last event it saw before the kill.
    const seen = watch.events.filter((e) => e.type === 'ADDED');
    const lastRv = seen.length > 0 ? seen[seen.length - 1]!.object.metadata.resourceVersion : start;
    const missed = [...acked.entries()].filter(([, rv]) => rv > Number(lastRv)).length;
    const resumed = openWatch(again, `${CMS}?watch=true&resourceVersion=${lastRv}`);
    expect(await resumed.status).toBe(200);
    await again.request('POST', CMS, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'after-restart' } });
    // Writes that committed but whose answer the kill cut off show up too, so
    // wait for the marker rather than for a count.
    let events = await resumed.waitFor(missed + 1, 20_000);
    for (let i = 0; i < 100 && !events.some((e) => e.object.metadata.name === 'after-restart'); i++) {
      events = await resumed.waitFor(events.length + 1, 20_000);
    }
    const names = events.map((e) => e.object.metadata.name);
    expect(names[names.length - 1]).toBe('after-restart');
    expect(new Set(names).size).toBe(names.length);
    for (const [name, rv] of acked) if (rv > Number(lastRv)) expect(names).toContain(name);
    resumed.close();
  });

  it('drains on SIGTERM and exits 0', async () => {
    const api = await startApiServer();
    cleanups.push(() => api.cleanup());
    expect(await api.stop()).toBe(0);
  });
});
