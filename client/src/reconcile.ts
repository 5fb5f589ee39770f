// The reconcile contract (controller-runtime's): a reconciler gets only a key
// and returns when to look again. What happens with the result lives here.
import type { Logger } from '@wharf/api';
import { isConflict } from '@wharf/api';
import type { WorkQueue } from './work-queue.js';

export interface ReconcileResult {
  /** Look at this key again after this many milliseconds. */
  requeueAfter?: number;
  /** Look again soon, with backoff, without it being an error. */
  requeue?: boolean;
}

export interface Reconciler {
  reconcile(key: string): Promise<ReconcileResult | void>;
}

/** A failure a retry cannot fix: logged and dropped instead of requeued. */
export class TerminalError extends Error {
  override name = 'TerminalError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export interface RunWorkersOptions {
  queue: WorkQueue;
  reconciler: Reconciler;
  workers: number;
  log: Logger;
  signal: AbortSignal;
}

/** Runs N workers until the signal aborts; resolves when all have exited. */
export async function runWorkers(opts: RunWorkersOptions): Promise<void> {
  const { queue, reconciler, log, signal } = opts;
  const onAbort = () => queue.shutDown();
  if (signal.aborted) return;
  signal.addEventListener('abort', onAbort, { once: true });
  const worker = async () => {
    for (;;) {
      const key = await queue.get();
      if (key === undefined) return;
      try {
        const result = await reconciler.reconcile(key);
        queue.forget(key);
        if (result?.requeueAfter !== undefined && result.requeueAfter >= 0) queue.addAfter(key, result.requeueAfter);
        else if (result?.requeue) queue.addRateLimited(key);
      } catch (err) {
        if (err instanceof TerminalError) {
          log.error('reconcile failed permanently, dropping key', { key, err });
          queue.forget(key);
        } else {
          // Conflicts are the ordinary outcome of racing writers: retry quietly.
          if (isConflict(err)) log.debug('reconcile conflict, requeueing', { key });
          else log.warn('reconcile failed, requeueing', { key, err, requeues: queue.numRequeues(key) });
          queue.addRateLimited(key);
        }
      } finally {
        queue.done(key);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, opts.workers) }, worker));
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
