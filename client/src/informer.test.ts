import { describe, expect, it } from 'vitest';
import { createLogger, GoneError, type KubeObject } from '@wharf/api';
import { FakeClient } from './fake-client.js';
import { SharedInformer, DeletedFinalStateUnknown } from './informer.js';
import { R } from './resources.js';
import { byNodeName, NODE_NAME_INDEX } from './store.js';

const log = createLogger('test');
const pod = (name: string, node?: string): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'ns' }, spec: node ? { nodeName: node } : {} });

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(cond()).toBe(true);
}

describe('SharedInformer + Reflector', () => {
  it('lists, syncs, then applies watch events to the indexed store and handlers', async () => {
    const client = new FakeClient();
    client.seed(R.pods, pod('a', 'n1'));
    const inf = new SharedInformer(client, R.pods, log);
    inf.addIndexers({ [NODE_NAME_INDEX]: byNodeName });
    const seen: string[] = [];
    inf.addEventHandler({
      add: (o) => seen.push(`add ${o.metadata.name}`),
      update: (_o, n) => seen.push(`update ${n.metadata.name}`),
      delete: (o) => seen.push(`delete ${o instanceof DeletedFinalStateUnknown ? 'tomb' : o.metadata.name}`),
    });
    const ac = new AbortController();
    const run = inf.run(ac.signal);
    expect(await inf.waitForSync()).toBe(true);
    expect(inf.store.byIndex(NODE_NAME_INDEX, 'n1').map((p) => p.metadata.name)).toEqual(['a']);
    await client.create(R.pods, 'ns', pod('b', 'n2'));
    await client.patch(R.pods, 'ns', 'b', 'merge', { spec: { nodeName: 'n1' } });
    await client.delete(R.pods, 'ns', 'a');
    await until(() => seen.length === 4);
    expect(seen).toEqual(['add a', 'add b', 'update b', 'delete a']);
    expect(inf.store.byIndex(NODE_NAME_INDEX, 'n1').map((p) => p.metadata.name)).toEqual(['b']);
    expect(inf.store.byIndex(NODE_NAME_INDEX, 'n2')).toEqual([]);
    ac.abort();
    await run;
  });

  it('resumes a closed watch, relists on 410 Gone and reports what vanished as a tombstone', async () => {
    const client = new FakeClient();
    client.seed(R.pods, pod('a'));
    client.seed(R.pods, pod('b'));
    let watches = 0;
    client.prependReactor((a) => (a.verb === 'watch' && ++watches === 3 ? new GoneError() : undefined));
    const inf = new SharedInformer(client, R.pods, log, { initialBackoffMs: 5 });
    const deleted: unknown[] = [];
    inf.addEventHandler({ delete: (o) => deleted.push(o) });
    const ac = new AbortController();
    const run = inf.run(ac.signal);
    await inf.waitForSync();
    await until(() => watches === 1);
    // A plain disconnect resumes from the last resourceVersion without a relist.
    client.closeWatches();
    await until(() => watches === 2);
    await client.create(R.pods, 'ns', pod('c'));
    await until(() => inf.store.size === 3);
    expect(inf.reflector.lists).toBe(1);
    // "a" disappears without an event (its deletion was compacted away); the next
    // resume gets 410, the reflector relists and the informer emits a tombstone.
    client.vanish(R.pods, 'ns', 'a');
    client.closeWatches();
    await until(() => deleted.length === 1);
    expect(inf.reflector.lists).toBe(2);
    expect(deleted[0]).toBeInstanceOf(DeletedFinalStateUnknown);
    expect(inf.store.keys().sort()).toEqual(['ns/b', 'ns/c']);
    ac.abort();
    await run;
  });
});
