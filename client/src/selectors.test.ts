import { describe, expect, it } from 'vitest';
import { selectorMatches, selectorMatchesLocal, selectorIsEmpty } from './selectors.js';

describe('selectorMatches', () => {
  const cases: Array<[Parameters<typeof selectorMatches>[0], Record<string, string>, boolean]> = [
    [{ matchLabels: { app: 'web' } }, { app: 'web', x: 'y' }, true],
    [{ matchLabels: { app: 'web' } }, { app: 'db' }, false],
    [{ matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }] }, { tier: 'b' }, true],
    [{ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['a'] }] }, {}, true],
    [{ matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, {}, false],
    [{ matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] }, {}, true],
    [{}, { any: 'thing' }, true],
    [undefined, { any: 'thing' }, false],
  ];
  it('follows metav1.LabelSelector semantics, as the local matcher does', () => {
    for (const [sel, labels, want] of cases) {
      expect(selectorMatches(sel, labels)).toBe(want);
      expect(selectorMatchesLocal(sel, labels)).toBe(want);
    }
    expect(selectorIsEmpty({})).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'k', operator: 'Bogus' }] }, { k: 'v' })).toBe(false);
  });
});
