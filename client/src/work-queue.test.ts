import { describe, expect, it } from 'vitest';
import { WorkQueue } from './work-queue.js';
import { DefaultControllerRateLimiter, ItemExponentialBackoff, TokenBucket } from './rate-limiter.js';

describe('WorkQueue', () => {
  it('de-duplicates keys that are queued', async () => {
    const q = new WorkQueue('t');
    q.add('a');
    q.add('a');
    q.add('b');
    expect(q.length).toBe(2);
    expect(await q.get()).toBe('a');
    expect(await q.get()).toBe('b');
  });

  it('never hands one key to two workers; a re-add while processing comes back after done', async () => {
    const q = new WorkQueue('t');
    q.add('a');
    const k = await q.get();
    expect(k).toBe('a');
    q.add('a');
    expect(q.length).toBe(0);
    let second: string | undefined;
    void q.get().then((v) => (second = v));
    await Promise.resolve();
    expect(second).toBeUndefined();
    q.done('a');
    await Promise.resolve();
    expect(second).toBe('a');
  });

  it('wakes a waiting worker on add and returns undefined after shutDown', async () => {
    const q = new WorkQueue('t');
    const p = q.get();
    q.add('x');
    expect(await p).toBe('x');
    const p2 = q.get();
    q.shutDown();
    expect(await p2).toBeUndefined();
    q.add('y');
    expect(q.length).toBe(0);
  });

  it('delays addAfter and keeps the earliest due time', async () => {
    const q = new WorkQueue('t');
    q.addAfter('a', 10_000);
    q.addAfter('a', 20);
    expect(q.length).toBe(0);
    await new Promise((r) => setTimeout(r, 60));
    expect(q.length).toBe(1);
    q.shutDown();
  });

  it('backs off per item exponentially and forget resets it', () => {
    const b = new ItemExponentialBackoff(5, 1_000_000);
    expect([b.when('a'), b.when('a'), b.when('a'), b.when('b')]).toEqual([5, 10, 20, 5]);
    expect(b.numRequeues('a')).toBe(3);
    b.forget('a');
    expect(b.when('a')).toBe(5);
    for (let i = 0; i < 40; i++) b.when('c');
    expect(b.when('c')).toBe(1_000_000);
  });

  it('combines per-item backoff with an overall token bucket', () => {
    let t = 0;
    const bucket = new TokenBucket(10, 2, () => t);
    expect([bucket.reserve(), bucket.reserve(), bucket.reserve(), bucket.reserve()]).toEqual([0, 0, 100, 200]);
    t = 1000;
    expect(bucket.reserve()).toBe(0);
    const rl = new DefaultControllerRateLimiter({ qps: 1, burst: 1 });
    expect(rl.when('a')).toBe(5);
    expect(rl.when('b')).toBeGreaterThanOrEqual(900);
  });
});
