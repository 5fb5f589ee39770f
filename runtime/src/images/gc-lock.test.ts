import { describe, it, expect } from 'vitest';
import { GcLock } from './gc-lock.js';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('GcLock', () => {
  it('runs collection only when no add is in flight, and holds new adds until it is done', async () => {
    const lock = new GcLock();
    const log: string[] = [];
    const pull = deferred();
    const gcBody = deferred();
    const p1 = lock.shared(async () => {
      log.push('pull start');
      await pull.promise;
      log.push('pull end');
    });
    const g = lock.exclusive(async () => {
      log.push('gc start');
      await gcBody.promise;
      log.push('gc end');
    });
    await new Promise((r) => setTimeout(r, 10));
    const p2 = lock.shared(async () => void log.push('build'));
    await new Promise((r) => setTimeout(r, 10));
    expect(log).toEqual(['pull start']);
    pull.resolve();
    await p1;
    await new Promise((r) => setTimeout(r, 10));
    expect(log).toEqual(['pull start', 'pull end', 'gc start']);
    gcBody.resolve();
    await Promise.all([g, p2]);
    expect(log).toEqual(['pull start', 'pull end', 'gc start', 'gc end', 'build']);
  });

  it('releases the lock when the holder fails', async () => {
    const lock = new GcLock();
    await expect(lock.exclusive(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(lock.shared(async () => Promise.reject(new Error('bang')))).rejects.toThrow('bang');
    expect(await lock.exclusive(async () => 'ok')).toBe('ok');
    expect(await lock.shared(async () => 'ok')).toBe('ok');
  });
});
