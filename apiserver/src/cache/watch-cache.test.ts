import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger, strategyFor, type KubeObject } from '@wharf/api';
import { openStorage } from '../storage/open-storage.js';
import type { Storage } from '../storage/interface.js';
import { encodeForStorage, toCachedObject } from './cached-object.js';
import { WatchCache } from './watch-cache.js';

const POD_PREFIX = '/registry/core/pods/';
const fieldsOf = () => (o: KubeObject) => strategyFor('', 'Pod').selectableFields(o);

describe('WatchCache announced writes', () => {
  let dir: string | undefined;
  let storage: Storage | undefined;
  let cache: WatchCache | undefined;
  afterEach(async () => {
    cache?.stop();
    await storage?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function start(): Promise<WatchCache> {
    dir = mkdtempSync(join(tmpdir(), 'wharf-watch-cache-'));
    storage = await openStorage(`sqlite:${join(dir, 'state.db')}`);
    cache = new WatchCache(storage, { eventWindow: 100, historyRevisions: 0, fieldsOf, log: createLogger('test') });
    await cache.start();
    return cache;
  }

  const pod = (name: string, node: string): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'ns', labels: { app: 'web' } },
    spec: { nodeName: node, containers: [{ name: 'c', image: 'x' }] },
    status: { phase: 'Running' },
  });

  it('caches an announced write exactly as it caches a parsed one', async () => {
    const c = await start();
    const obj = pod('a', 'n1');
    const key = `${POD_PREFIX}ns/a`;
    const text = encodeForStorage(obj);
    c.expectWrite(key, text, obj);
    // A change after the announcement must not leak into the cache.
    obj.metadata.labels!['app'] = 'changed';
    const kv = await storage!.create(key, text);
    await c.waitForRevision(kv.modRevision);
    const cached = c.resource(POD_PREFIX).items.get(key);
    expect(cached).toEqual(toCachedObject(kv, fieldsOf()));
    expect(cached?.labels).toEqual({ app: 'web' });
    expect(cached?.fields['spec.nodeName']).toBe('n1');
  });

  it('takes name, labels and fields from the announcement, not from a parse, when the text matches', async () => {
    const c = await start();
    const key = `${POD_PREFIX}ns/c`;
    const text = encodeForStorage(pod('c', 'n2'));
    // Deliberately inconsistent with the text, to see which source was used.
    c.expectWrite(key, text, pod('c', 'announced'));
    const kv = await storage!.create(key, text);
    await c.waitForRevision(kv.modRevision);
    const cached = c.resource(POD_PREFIX).items.get(key);
    expect(cached?.fields['spec.nodeName']).toBe('announced');
    expect(cached?.json).toContain('"nodeName":"n2"');
  });

  it('parses the event when the stored text differs from the announcement', async () => {
    const c = await start();
    const key = `${POD_PREFIX}ns/b`;
    const announced = pod('b', 'n1');
    c.expectWrite(key, encodeForStorage(announced), announced);
    const kv = await storage!.create(key, encodeForStorage(pod('b', 'n2')));
    await c.waitForRevision(kv.modRevision);
    expect(c.resource(POD_PREFIX).items.get(key)?.fields['spec.nodeName']).toBe('n2');
  });
});
