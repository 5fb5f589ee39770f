import { describe, expect, it } from 'vitest';
import { ResourceCache } from './resource-cache.js';
import type { CachedObject } from './cached-object.js';

function obj(name: string, rv: number, labels: Record<string, string> = {}): CachedObject {
  return { key: `/registry/core/pods/default/${name}`, namespace: 'default', name, rv, json: `{"rv":${rv}}`, labels, fields: {} };
}

describe('ResourceCache', () => {
  it('lists the latest version of a modified object after a list was taken', () => {
    const c = new ResourceCache('/registry/core/pods/', 0, 100);
    c.apply('put', obj('a', 1), 1);
    c.apply('put', obj('b', 2), 2);
    expect(c.list().map((o) => o.rv)).toEqual([1, 2]);
    c.apply('put', obj('a', 3), 3);
    expect(c.list().map((o) => o.rv)).toEqual([3, 2]);
    expect(c.listPrefix('/registry/core/pods/default/a').map((o) => o.rv)).toEqual([3]);
  });

  it('keeps a window of events and reports when a revision has left it', () => {
    const c = new ResourceCache('/registry/core/pods/', 0, 3);
    for (let i = 1; i <= 5; i++) c.apply('put', obj(`p${i}`, i), i);
    expect(c.eventsSince(1)).toBeUndefined();
    expect(c.eventsSince(2)?.map((e) => e.rv)).toEqual([3, 4, 5]);
    expect(c.eventsSince(4)?.map((e) => e.rv)).toEqual([5]);
    c.apply('delete', obj('p5', 6), 6);
    expect(c.eventsSince(5)?.map((e) => e.type)).toEqual(['DELETED']);
    expect(c.list().map((o) => o.name)).toEqual(['p1', 'p2', 'p3', 'p4']);
  });
});

import { encodeForStorage, stampResourceVersion, toCachedObject } from './cached-object.js';

describe('storage layout', () => {
  it('stamps the revision into the stored text without re-serializing', () => {
    const json = encodeForStorage({ spec: { template: { metadata: { labels: { a: 'b' } } } }, kind: 'Deployment', apiVersion: 'apps/v1', metadata: { name: 'x', resourceVersion: '3', labels: { a: 'b' } } });
    expect(json.startsWith('{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"x"')).toBe(true);
    const stamped = stampResourceVersion(json, 42)!;
    expect(JSON.parse(stamped).metadata.resourceVersion).toBe('42');
    expect(JSON.parse(stamped).spec.template.metadata).toEqual({ labels: { a: 'b' } });
    expect(JSON.parse(stampResourceVersion('{"apiVersion":"v1","kind":"X","metadata":{}}', 7)!).metadata).toEqual({ resourceVersion: '7' });
    expect(stampResourceVersion('{"spec":{"metadata":{}},"metadata":{}}', 7)).toBeUndefined();
    const c = toCachedObject({ key: '/registry/apps/deployments/d/x', value: json, createRevision: 1, modRevision: 9 }, () => ({}));
    expect(JSON.parse(c.json).metadata.resourceVersion).toBe('9');
  });
});
