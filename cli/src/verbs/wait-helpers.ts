// Waiting on objects: until one is gone (delete --wait, wait --for=delete) or a
// predicate holds. A watch from the object's resourceVersion wakes us on each
// change, so nothing polls faster than the server reports.
import { ApiError, type KubeObject } from '@wharf/api';
import { resourcePath } from '@wharf/client';
import type { CliContext } from './context.js';
import { jsonLines, openStream, query } from './stream.js';
import type { Target } from './targets.js';

/** Resolves true when the object no longer exists, false at the deadline. */
export async function waitGone(ctx: CliContext, t: Target, deadline: number): Promise<boolean> {
  return waitFor(ctx, t, deadline, (obj) => obj === undefined);
}

/**
 * Waits until `done(obj)` holds for the object (undefined once it is gone).
 * Resolves false at the deadline.
 */
export async function waitFor(ctx: CliContext, t: Target, deadline: number, done: (obj: KubeObject | undefined) => boolean): Promise<boolean> {
  for (;;) {
    let obj: KubeObject | undefined;
    try {
      obj = await ctx.api.get(t.info, t.namespace, t.name);
    } catch (err) {
      if (!(err instanceof ApiError && err.code === 404)) throw err;
    }
    if (done(obj)) return true;
    const left = deadline - Date.now();
    if (left <= 0) return false;
    const path = resourcePath(t.info, t.namespace) + query({ watch: 'true', fieldSelector: `metadata.name=${t.name}`, resourceVersion: obj?.metadata.resourceVersion, timeoutSeconds: Math.max(1, Math.min(60, Math.ceil(left / 1000))) });
    let stream;
    try {
      stream = await openStream(ctx, path);
    } catch (err) {
      if (err instanceof ApiError && err.code === 410) continue;
      throw err;
    }
    const timer = setTimeout(() => stream.stop(), left);
    try {
      for await (const ev of jsonLines<{ type: string; object: KubeObject }>(stream.chunks)) {
        if (ev.type === 'ERROR') break;
        if (ev.type === 'BOOKMARK') continue;
        if (done(ev.type === 'DELETED' ? undefined : ev.object)) return true;
      }
    } finally {
      clearTimeout(timer);
      stream.stop();
    }
  }
}
