// Watches and lists: NDJSON events in order, resume from a resourceVersion,
// selectors, pagination, bookmarks, timeouts and 410 Gone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, type ApiServerProcess } from '../harness/apiserver.js';
import { openWatch } from '../harness/watch-stream.js';
import { pod } from '../fixtures/objects.js';

let api: ApiServerProcess;
const CMS = '/api/v1/namespaces/default/configmaps';

beforeAll(async () => {
  api = await startApiServer({ extraArgs: ['--watch-cache-events', '50'] });
});
afterAll(async () => {
  await api?.cleanup();
});

function cm(name: string, labels: Record<string, string> = {}, data: Record<string, string> = {}) {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels }, data };
}

describe('watch', () => {
  it('streams ADDED, MODIFIED and DELETED in order, with headers sent at once', async () => {
    const start = (await api.request('GET', CMS)).json().metadata.resourceVersion;
    const w = openWatch(api, `${CMS}?watch=true&resourceVersion=${start}`);
    expect(await w.status).toBe(200);
    await api.request('POST', CMS, cm('w1'));
    await api.request('PATCH', `${CMS}/w1`, { data: { a: 'b' } }, { 'content-type': 'application/merge-patch+json' });
    await api.request('DELETE', `${CMS}/w1`);
    const events = await w.waitFor(3);
    expect(events.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
    expect(events.every((e) => e.object.metadata.name === 'w1')).toBe(true);
    const rvs = events.map((e) => Number(e.object.metadata.resourceVersion));
    expect(rvs).toEqual([...rvs].sort((a, b) => a - b));
    w.close();
  });

  it('resumes exactly after a given resourceVersion', async () => {
    const a = (await api.request('POST', CMS, cm('r1'))).json();
    await api.request('POST', CMS, cm('r2'));
    await api.request('POST', CMS, cm('r3'));
    const w = openWatch(api, `${CMS}?watch=true&resourceVersion=${a.metadata.resourceVersion}`);
    const events = await w.waitFor(2);
    expect(events.map((e) => e.object.metadata.name)).toEqual(['r2', 'r3']);
    w.close();
  });

  it('without a resourceVersion starts with the current state as ADDED events', async () => {
    await api.request('POST', CMS, cm('s1', { watchset: 'yes' }));
    const w = openWatch(api, `${CMS}?watch=true&labelSelector=watchset%3Dyes`);
    const events = await w.waitFor(1);
    expect(events[0]).toMatchObject({ type: 'ADDED', object: { metadata: { name: 's1' } } });
    w.close();
  });

  it('filters by label, turning label changes into ADDED and DELETED', async () => {
    const start = (await api.request('GET', CMS)).json().metadata.resourceVersion;
    const w = openWatch(api, `${CMS}?watch=true&resourceVersion=${start}&labelSelector=tier%3Dfront`);
    await api.request('POST', CMS, cm('l1', { tier: 'back' }));
    await api.request('PATCH', `${CMS}/l1`, { metadata: { labels: { tier: 'front' } } }, { 'content-type': 'application/merge-patch+json' });
    await api.request('PATCH', `${CMS}/l1`, { metadata: { labels: { tier: 'back' } } }, { 'content-type': 'application/merge-patch+json' });
    const events = await w.waitFor(2);
    expect(events.map((e) => e.type)).toEqual(['ADDED', 'DELETED']);
    w.close();
  });

  it('watches one object by name', async () => {
    const start = (await api.request('GET', CMS)).json().metadata.resourceVersion;
    const w = openWatch(api, `${CMS}?watch=true&resourceVersion=${start}&fieldSelector=metadata.name%3Done`);
    await api.request('POST', CMS, cm('other'));
    await api.request('POST', CMS, cm('one'));
    const events = await w.waitFor(1);
    expect(events[0]!.object.metadata.name).toBe('one');
    w.close();
  });

  it('ends after timeoutSeconds, with a bookmark when allowed', async () => {
    const w = openWatch(api, `${CMS}?watch=true&resourceVersion=${(await api.request('GET', CMS)).json().metadata.resourceVersion}&timeoutSeconds=1&allowWatchBookmarks=true`);
    await api.request('POST', CMS, cm('bm'));
    await w.ended;
    expect(w.events.map((e) => e.type)).toContain('ADDED');
  });

  it('answers 410 Expired when the revision has left the window', async () => {
    const first = (await api.request('POST', CMS, cm('old'))).json().metadata.resourceVersion;
    for (let i = 0; i < 60; i++) await api.request('POST', CMS, cm(`churn-${i}`));
    const w = openWatch(api, `${CMS}?watch=true&resourceVersion=${first}`);
    const [ev] = await w.waitFor(1);
    expect(ev).toMatchObject({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired' } });
    w.close();
  });
});

describe('list', () => {
  it('pages with limit and continue', async () => {
    for (let i = 0; i < 7; i++) await api.request('POST', CMS, cm(`page-${i}`, { paged: 'yes' }));
    const names: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const r = (await api.request('GET', `${CMS}?labelSelector=paged%3Dyes&limit=3${token ? `&continue=${encodeURIComponent(token)}` : ''}`)).json();
      names.push(...r.items.map((i: any) => i.metadata.name));
      token = r.metadata.continue;
      pages++;
    } while (token);
    expect(pages).toBe(3);
    expect(names).toEqual(Array.from({ length: 7 }, (_, i) => `page-${i}`));
  });

  it('label selectors: equality and set-based', async () => {
    await api.request('POST', CMS, cm('sel-a', { env: 'prod', tier: 'web' }));
    await api.request('POST', CMS, cm('sel-b', { env: 'dev', tier: 'web' }));
    await api.request('POST', CMS, cm('sel-c', { env: 'qa' }));
    const q = async (sel: string) => (await api.request('GET', `${CMS}?labelSelector=${encodeURIComponent(sel)}`)).json().items.map((i: any) => i.metadata.name).filter((n: string) => n.startsWith('sel-'));
    expect(await q('env=prod')).toEqual(['sel-a']);
    expect(await q('env!=prod,tier')).toEqual(['sel-b']);
    expect(await q('env in (dev,qa)')).toEqual(['sel-b', 'sel-c']);
    expect(await q('env notin (dev,qa),tier=web')).toEqual(['sel-a']);
    expect(await q('!tier')).toEqual(['sel-c']);
    const bad = await api.request('GET', `${CMS}?labelSelector=${encodeURIComponent('env in (')}`);
    expect(bad.status).toBe(400);
  });

  it('field selectors on pods and events', async () => {
    const PODS = '/api/v1/namespaces/default/pods';
    await api.request('POST', PODS, pod('fs-a', { nodeName: 'node-1' }));
    await api.request('POST', PODS, pod('fs-b', { nodeName: 'node-2' }));
    const onNode = (await api.request('GET', `/api/v1/pods?fieldSelector=spec.nodeName%3Dnode-1`)).json().items.map((i: any) => i.metadata.name);
    expect(onNode).toEqual(['fs-a']);
    const pending = (await api.request('GET', `${PODS}?fieldSelector=status.phase%3DPending,metadata.name%3Dfs-b`)).json().items.map((i: any) => i.metadata.name);
    expect(pending).toEqual(['fs-b']);
    await api.request('POST', '/api/v1/namespaces/default/events', { apiVersion: 'v1', kind: 'Event', metadata: { name: 'ev1' }, involvedObject: { kind: 'Pod', name: 'fs-a', namespace: 'default' }, reason: 'X', message: 'm' });
    const evs = (await api.request('GET', `/api/v1/namespaces/default/events?fieldSelector=${encodeURIComponent('involvedObject.name=fs-a,involvedObject.kind=Pod')}`)).json().items;
    expect(evs.map((e: any) => e.metadata.name)).toEqual(['ev1']);
    const bad = await api.request('GET', `${PODS}?fieldSelector=spec.bogus%3Dx`);
    expect(bad.status).toBe(400);
  });

  it('resourceVersion semantics: "0" from the cache, exact from the store', async () => {
    const a = (await api.request('POST', CMS, cm('rv-a'))).json().metadata.resourceVersion;
    await api.request('DELETE', `${CMS}/rv-a`);
    const zero = await api.request('GET', `${CMS}?resourceVersion=0`);
    expect(zero.status).toBe(200);
    const exact = (await api.request('GET', `${CMS}?resourceVersion=${a}&resourceVersionMatch=Exact`)).json();
    expect(exact.items.map((i: any) => i.metadata.name)).toContain('rv-a');
    expect(exact.metadata.resourceVersion).toBe(a);
    const latest = (await api.request('GET', CMS)).json();
    expect(latest.items.map((i: any) => i.metadata.name)).not.toContain('rv-a');
  });

  it('all namespaces at the cluster path', async () => {
    await api.request('POST', '/api/v1/namespaces/kube-system/configmaps', cm('sys-cm'));
    const all = (await api.request('GET', '/api/v1/configmaps')).json().items;
    expect(all.some((i: any) => i.metadata.namespace === 'kube-system' && i.metadata.name === 'sys-cm')).toBe(true);
    expect(all.some((i: any) => i.metadata.namespace === 'default')).toBe(true);
  });
});
