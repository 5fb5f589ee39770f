// Deletion as Kubernetes does it. An object with finalizers, or a pod running
// on a node, is only marked (deletionTimestamp + grace); it disappears when the
// last finalizer is removed or the node agent confirms with grace 0. The
// propagation policy becomes a finalizer (orphan, foregroundDeletion) that the
// garbage collector acts on; Background needs none.
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  deepCopy,
  type KubeObject,
  type ResourceInfo,
} from '@wharf/api';
import { KeyNotFoundError, RevisionConflictError } from '../storage/errors.js';
import { decodeKeyValue, encodeForStorage } from '../cache/cached-object.js';
import type { RegistryContext } from './context.js';
import { fromStorageVersion } from './conversion.js';
import { hooksFor, type DeleteOptionsBody } from './kind-hooks.js';
import { rfc3339 } from './object-meta.js';
import type { Registry } from './registry.js';

const PROTECTED_NAMESPACES = new Set(['default', 'kube-system', 'kube-public']);

function policyFinalizer(options: DeleteOptionsBody): string | undefined {
  if (options.propagationPolicy === 'Orphan' || options.orphanDependents === true) return 'orphan';
  if (options.propagationPolicy === 'Foreground') return 'foregroundDeletion';
  return undefined;
}

export interface DeleteResult {
  object: KubeObject;
  /** True when the object is gone; false when it was only marked for deletion. */
  deleted: boolean;
}

export async function deleteObject(
  registry: Registry,
  ctx: RegistryContext,
  info: ResourceInfo,
  namespace: string | undefined,
  name: string,
  options: DeleteOptionsBody,
  dryRun: boolean,
): Promise<DeleteResult> {
  if (info.kind === 'Namespace' && PROTECTED_NAMESPACES.has(name)) {
    throw new ForbiddenError(`namespaces "${name}" is forbidden: this namespace may not be deleted`);
  }
  const key = registry.key(info, namespace, name);
  const hooks = hooksFor(info);
  for (let attempt = 0; attempt < 32; attempt++) {
    const { kv } = await ctx.storage.get(key);
    if (!kv) throw new NotFoundError(info.plural, name, info.group);
    const current = decodeKeyValue(kv);
    const pre = options.preconditions;
    if (pre?.uid && pre.uid !== current.metadata.uid) {
      throw new ConflictError(info.plural, name, info.group, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${current.metadata.uid ?? ''}`);
    }
    if (pre?.resourceVersion && pre.resourceVersion !== String(kv.modRevision)) {
      throw new ConflictError(info.plural, name, info.group, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${kv.modRevision}`);
    }

    const next = deepCopy(current);
    const meta = next.metadata;
    const finalizers = new Set(meta.finalizers ?? []);
    const extra = policyFinalizer(options);
    // Only an object that is not yet being deleted takes on a propagation finalizer.
    if (extra && !meta.deletionTimestamp) finalizers.add(extra);
    if (options.propagationPolicy === 'Background' || options.propagationPolicy === 'Foreground') finalizers.delete('orphan');
    const nsFinalizers = info.kind === 'Namespace' ? ((next['spec'] as { finalizers?: string[] } | undefined)?.finalizers ?? []) : [];
    const grace = hooks.gracePeriod(current, options);

    const removeNow = finalizers.size === 0 && nsFinalizers.length === 0 && grace === 0;
    if (removeNow) {
      if (dryRun) return { object: fromStorageVersion(info, current), deleted: true };
      try {
        const gone = await ctx.storage.delete(key, kv.modRevision);
        if (info.kind === 'Service') await ctx.services.releaseFor(current);
        return { object: fromStorageVersion(info, decodeKeyValue(gone)), deleted: true };
      } catch (err) {
        if (err instanceof RevisionConflictError) continue;
        if (err instanceof KeyNotFoundError) throw new NotFoundError(info.plural, name, info.group);
        throw err;
      }
    }

    // Mark for deletion. A later delete may only shorten the grace period.
    const now = Date.now();
    const existingDeadline = meta.deletionTimestamp ? Date.parse(meta.deletionTimestamp) : Infinity;
    const deadline = now + grace * 1000;
    if (!meta.deletionTimestamp || deadline < existingDeadline) {
      meta.deletionTimestamp = rfc3339(Math.min(deadline, existingDeadline));
      meta.deletionGracePeriodSeconds = grace;
      meta.generation = (meta.generation ?? 1) + (current.metadata.deletionTimestamp ? 0 : 1);
    }
    if (finalizers.size > 0) meta.finalizers = [...finalizers];
    else delete meta.finalizers;
    if (info.kind === 'Namespace') next['status'] = { ...((next['status'] as object | undefined) ?? {}), phase: 'Terminating' };
    if (JSON.stringify(next) === JSON.stringify(current)) return { object: fromStorageVersion(info, current), deleted: false };
    if (dryRun) return { object: fromStorageVersion(info, next), deleted: false };
    try {
      delete next.metadata.resourceVersion;
      const written = await ctx.storage.update(key, encodeForStorage(next), kv.modRevision);
      return { object: fromStorageVersion(info, decodeKeyValue(written)), deleted: false };
    } catch (err) {
      if (err instanceof RevisionConflictError) continue;
      if (err instanceof KeyNotFoundError) throw new NotFoundError(info.plural, name, info.group);
      throw err;
    }
  }
  throw new ConflictError(info.plural, name, info.group);
}

