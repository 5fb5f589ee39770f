import { describe, expect, it } from 'vitest';
import { Expectations, UIDTrackingExpectations } from './expectations.js';

describe('Expectations', () => {
  it('is satisfied only once every expected creation was observed', () => {
    const e = new Expectations();
    expect(e.satisfied('ns/rs')).toBe(true);
    e.expectCreations('ns/rs', 2);
    expect(e.satisfied('ns/rs')).toBe(false);
    e.creationObserved('ns/rs');
    expect(e.satisfied('ns/rs')).toBe(false);
    e.creationObserved('ns/rs');
    expect(e.satisfied('ns/rs')).toBe(true);
  });

  it('expires so that a lost event cannot wedge a controller', () => {
    let now = 0;
    const e = new Expectations(1000, () => now);
    e.expectDeletions('k', 3);
    expect(e.satisfied('k')).toBe(false);
    now = 1001;
    expect(e.satisfied('k')).toBe(true);
  });

  it('counts a deletion of one uid once', () => {
    const e = new UIDTrackingExpectations();
    e.expectDeletionsOf('k', ['a', 'b']);
    e.deletionObservedOf('k', 'a');
    e.deletionObservedOf('k', 'a');
    expect(e.satisfied('k')).toBe(false);
    e.deletionObservedOf('k', 'b');
    expect(e.satisfied('k')).toBe(true);
  });
});
