import { describe, expect, it } from 'vitest';
import { createLogger } from '@wharf/api';
import { PodWorkers } from './pod-workers.js';

describe('PodWorkers', () => {
  it('runs one update at a time per pod and keeps only the newest pending one', async () => {
    const seen: string[] = [];
    let concurrent = 0;
    let maxConcurrent = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const w = new PodWorkers<string>(async (_uid, item) => {
      concurrent++;
      maxConcurrent = Math.max(maxConcurrent, concurrent);
      if (item === 'a') await gate;
      seen.push(item);
      concurrent--;
    }, createLogger('test'));
    w.update('p', 'a');
    w.update('p', 'b');
    w.update('p', 'c');
    w.update('q', 'x');
    release();
    await new Promise((r) => setTimeout(r, 20));
    expect(seen.filter((s) => s !== 'x')).toEqual(['a', 'c']);
    expect(seen).toContain('x');
    expect(maxConcurrent).toBe(2);
    await w.stop();
  });
});
