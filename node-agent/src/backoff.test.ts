import { describe, expect, it } from 'vitest';
import { Backoff } from './backoff.js';

describe('Backoff', () => {
  it('restarts at once the first time, then doubles up to the ceiling', () => {
    let now = 0;
    const b = new Backoff(10, 40, 1000, () => now);
    expect(b.inBackoffSince('k', now)).toBe(false);
    b.next('k');
    expect(b.currentDelayMs('k')).toBe(10);
    expect(b.inBackoffSince('k', now)).toBe(true);
    now = 11;
    expect(b.inBackoffSince('k', 0)).toBe(false);
    b.next('k');
    b.next('k');
    b.next('k');
    expect(b.currentDelayMs('k')).toBe(40);
  });

  it('starts over after the reset window', () => {
    let now = 0;
    const b = new Backoff(10, 40, 100, () => now);
    b.next('k');
    b.next('k');
    now = 500;
    expect(b.inBackoffSince('k', 499)).toBe(false);
    b.next('k');
    expect(b.currentDelayMs('k')).toBe(10);
  });
});
