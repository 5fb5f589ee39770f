// JSON merge patch (RFC 7386): objects merge recursively, null deletes, and
// everything else (arrays included) replaces. Used for
// application/merge-patch+json (kubectl scale, label, CRDs).
import { clone, deepEqual, isObject } from './json-value.js';

/** Returns a new document; neither argument is modified. */
export function applyMergePatch<T = unknown>(target: unknown, patch: unknown): T {
  return mergeValue(target, patch) as T;
}

function mergeValue(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return clone(patch);
  const result: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergeValue(result[key], value);
  }
  return result;
}

/**
 * The merge patch that turns `original` into `modified`. Arrays are replaced
 * whole, removed keys become null (RFC 7386 has no other way to say "delete").
 */
export function createMergePatch(original: unknown, modified: unknown): unknown {
  if (!isObject(original) || !isObject(modified)) return deepEqual(original, modified) ? {} : clone(modified);
  const patch: Record<string, unknown> = {};
  for (const key of Object.keys(original)) {
    if (!Object.hasOwn(modified, key)) patch[key] = null;
  }
  for (const [key, value] of Object.entries(modified)) {
    const before = original[key];
    if (!Object.hasOwn(original, key)) {
      patch[key] = clone(value);
    } else if (isObject(before) && isObject(value)) {
      const sub = createMergePatch(before, value) as Record<string, unknown>;
      if (Object.keys(sub).length > 0) patch[key] = sub;
    } else if (!deepEqual(before, value)) {
      patch[key] = clone(value);
    }
  }
  return patch;
}
