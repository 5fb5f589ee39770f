import { describe, expect, it } from 'vitest';
import type { KubeObject } from '@wharf/api';
import { sameJson, sameObject, specChanged } from './object-meta.js';

describe('sameJson', () => {
  // It stands in for comparing JSON.stringify outputs, so it must agree with them.
  const cases: Array<[unknown, unknown]> = [
    [{ a: 1, b: [1, 2] }, { a: 1, b: [1, 2] }],
    [{ a: 1, b: 2 }, { b: 2, a: 1 }],
    [{ a: 1, b: undefined }, { a: 1 }],
    [[1, undefined], [1, null]],
    [{ a: { b: 'x' } }, { a: { b: 'y' } }],
    [{ a: [] }, { a: {} }],
    [{ a: NaN }, { a: null }],
    [{ a: Infinity }, { a: NaN }],
    [{ a: 0 }, { a: -0 }],
    [null, {}],
    ['1', 1],
    [{ a: 1 }, { a: 1, b: 2 }],
  ];
  it.each(cases)('agrees with JSON.stringify for %j vs %j', (a, b) => {
    expect(sameJson(a, b)).toBe(JSON.stringify(a) === JSON.stringify(b));
  });
});

describe('sameObject and specChanged', () => {
  const pod = (): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', resourceVersion: '5', managedFields: [{ manager: 'a' }] },
    spec: { containers: [{ name: 'c', image: 'x' }] },
    status: { phase: 'Pending' },
  });

  it('ignores resourceVersion and managedFields but not other metadata', () => {
    const b = pod();
    b.metadata.resourceVersion = '6';
    b.metadata.managedFields = [];
    expect(sameObject(pod(), b)).toBe(true);
    b.metadata.labels = { a: 'b' };
    expect(sameObject(pod(), b)).toBe(false);
  });

  it('sees spec changes only outside metadata and status', () => {
    const b = pod();
    b['status'] = { phase: 'Running' };
    b.metadata.labels = { a: 'b' };
    expect(specChanged(b, pod())).toBe(false);
    (b['spec'] as { containers: Array<{ image: string }> }).containers[0]!.image = 'y';
    expect(specChanged(b, pod())).toBe(true);
  });
});
