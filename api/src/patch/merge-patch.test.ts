import { describe, expect, it } from 'vitest';
import { applyMergePatch, createMergePatch } from './merge-patch.js';

// The examples of RFC 7386 appendix A.
const rfcCases: [unknown, unknown, unknown][] = [
  [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
  [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
  [{ a: 'b' }, { a: null }, {}],
  [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
  [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
  [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
  [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
  [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
  [['a', 'b'], ['c', 'd'], ['c', 'd']],
  [{ a: 'b' }, ['c'], ['c']],
  [{ a: 'foo' }, null, null],
  [{ a: 'foo' }, 'bar', 'bar'],
  [{ e: null }, { a: 1 }, { e: null, a: 1 }],
  [[1, 2], { a: 'b', c: null }, { a: 'b' }],
  [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
];

describe('applyMergePatch', () => {
  rfcCases.forEach(([target, patch, result], i) => {
    it(`RFC 7386 example ${i + 1}`, () => {
      expect(applyMergePatch(target, patch)).toEqual(result);
    });
  });

  it('scales a Deployment the way kubectl scale does', () => {
    const deploy = { spec: { replicas: 2, template: { spec: { containers: [{ name: 'app', image: 'nginx' }] } } } };
    const out = applyMergePatch<typeof deploy>(deploy, { spec: { replicas: 5 } });
    expect(out.spec.replicas).toBe(5);
    expect(out.spec.template.spec.containers).toEqual([{ name: 'app', image: 'nginx' }]);
    expect(deploy.spec.replicas).toBe(2);
  });
});

describe('createMergePatch', () => {
  it('produces a patch that turns original into modified', () => {
    const original = { metadata: { labels: { a: '1', b: '2' } }, spec: { replicas: 1, ports: [1, 2] } };
    const modified = { metadata: { labels: { a: '1', c: '3' } }, spec: { ports: [2] } };
    const patch = createMergePatch(original, modified);
    expect(patch).toEqual({ metadata: { labels: { b: null, c: '3' } }, spec: { replicas: null, ports: [2] } });
    expect(applyMergePatch(original, patch)).toEqual(modified);
  });

  it('is empty when nothing changed', () => {
    expect(createMergePatch({ a: { b: [1] } }, { a: { b: [1] } })).toEqual({});
  });
});
