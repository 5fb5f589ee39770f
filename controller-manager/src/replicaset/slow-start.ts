// Slow-start batches (1, 2, 4, …): a doomed creation (quota, bad template)
// fails once instead of hundreds of times, and creation stops at the first error.

export interface BatchResult {
  successes: number;
  /** Calls attempted and failed. */
  failures: number;
  firstError: unknown;
}

export async function slowStartBatch(count: number, initialBatchSize: number, fn: () => Promise<void>): Promise<BatchResult> {
  let remaining = count;
  let successes = 0;
  let batch = Math.min(remaining, initialBatchSize);
  while (batch > 0) {
    const results = await Promise.allSettled(Array.from({ length: batch }, () => fn()));
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    successes += batch - failed.length;
    if (failed.length) return { successes, failures: failed.length, firstError: failed[0]!.reason };
    remaining -= batch;
    batch = Math.min(2 * batch, remaining);
  }
  return { successes, failures: 0, firstError: undefined };
}
