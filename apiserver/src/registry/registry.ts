// The generic registry: create, get, update and patch for every kind, on top
// of the revisioned store. Writes are compare-and-swap on the stored revision;
// a conflicting write is retried from a fresh read unless the client asked for
// a specific resourceVersion, in which case it gets 409 — optimistic
// concurrency exactly as Kubernetes has it.
import {
  AlreadyExistsError,
  BadRequestError,
  ConflictError,
  InvalidError,
  NotFoundError,
  deepCopy,
  findResource,
  invalid,
  required,
  storageKey,
  type KubeObject,
  type ResourceInfo,
} from '@wharf/api';
import { KeyExistsError, KeyNotFoundError, RevisionConflictError } from '../storage/errors.js';
import { decodeKeyValue, encodeForStorage, rememberWrittenJson } from '../cache/cached-object.js';
import type { RegistryContext, WriteOptions } from './context.js';
import { fromStorageVersion, needsConversion, toStorageVersion } from './conversion.js';
import { hasStatusSubresource, hooksFor } from './kind-hooks.js';
import { recordUpdate } from './managed-fields.js';
import { carrySystemMeta, generateNameSuffix, initCreateMeta, nowRfc3339, sameObject, specChanged } from './object-meta.js';
import { applyDefaults, checkNamespaceAdmits, checkPlacement, checkTypeMeta, validateOrThrow } from './write-checks.js';

/** A mutation of the current object (in the served version) into the next one. */
export type Mutation = (current: KubeObject) => KubeObject | Promise<KubeObject>;

export interface UpdateRequest {
  info: ResourceInfo;
  namespace: string | undefined;
  name: string;
  subresource: string | undefined;
  /** A resourceVersion the client required (PUT body or patch): mismatch → 409, no retry. */
  expectedRv?: string | undefined;
  options: WriteOptions;
}

const MAX_RETRIES = 32;

export class Registry {
  constructor(readonly ctx: RegistryContext) {}

  resourceInfo(group: string, version: string, plural: string): ResourceInfo {
    const info = findResource(group, version, plural);
    if (!info) throw new Error(`unknown resource ${plural}`);
    return info;
  }

  key(info: ResourceInfo, namespace: string | undefined, name: string): string {
    return storageKey(info, namespace, name);
  }

  /** Reads the latest stored object (a consistent read), in the served version. */
  async get(info: ResourceInfo, namespace: string | undefined, name: string): Promise<KubeObject> {
    const { kv } = await this.ctx.storage.get(this.key(info, namespace, name));
    if (!kv) throw new NotFoundError(info.plural, name, info.group);
    return fromStorageVersion(info, decodeKeyValue(kv));
  }

  async create(info: ResourceInfo, namespace: string | undefined, body: KubeObject, options: WriteOptions): Promise<KubeObject> {
    const obj = body;
    obj.metadata ??= {};
    checkTypeMeta(info, obj);
    checkPlacement(info, obj, namespace, undefined);
    const meta = obj.metadata;
    if (meta.resourceVersion) throw new BadRequestError('resourceVersion should not be set on objects to be created');
    if (!meta.name) {
      if (!meta.generateName) throw new InvalidError(info.kind, '', [required('metadata.name', 'name or generateName is required')], info.group);
      meta.name = `${meta.generateName}${generateNameSuffix()}`;
    }
    const hooks = hooksFor(info);
    hooks.prepareForCreate(obj);
    initCreateMeta(meta, nowRfc3339());
    applyDefaults(info, obj);
    validateOrThrow(info, obj);
    await checkNamespaceAdmits(this.ctx, info, meta.namespace, meta.name);
    recordUpdate(info, undefined, obj, options);
    // Only a converted version needs its own copy; otherwise the object is
    // serialized as is and handed back with its new resourceVersion.
    const stored = needsConversion(info) ? toStorageVersion(info, deepCopy(obj)) : toStorageVersion(info, obj);
    delete stored.metadata.resourceVersion;
    if (options.dryRun) return needsConversion(info) ? fromStorageVersion(info, stored) : obj;
    if (info.kind === 'Service') await this.ctx.services.allocate(stored);
    const key = this.key(info, meta.namespace, meta.name);
    const text = encodeForStorage(stored);
    this.ctx.cache.expectWrite(key, text, stored);
    try {
      const kv = await this.ctx.storage.create(key, text);
      if (needsConversion(info)) return fromStorageVersion(info, decodeKeyValue(kv));
      stored.metadata.resourceVersion = String(kv.modRevision);
      rememberWrittenJson(stored, text, kv.modRevision);
      return stored;
    } catch (err) {
      this.ctx.cache.forgetWrite(key, text);
      if (info.kind === 'Service') await this.ctx.services.releaseFor(stored);
      if (err instanceof KeyExistsError) throw new AlreadyExistsError(info.plural, meta.name, info.group);
      throw err;
    }
  }

  /**
   * The read-mutate-write loop every update goes through. The mutation sees
   * the current object in the served version and returns the desired one.
   */
  async guaranteedUpdate(req: UpdateRequest, mutate: Mutation): Promise<KubeObject> {
    const { info, namespace, name, options } = req;
    const key = this.key(info, namespace, name);
    const converted = needsConversion(info);
    for (let attempt = 0; ; attempt++) {
      const { kv } = await this.ctx.storage.get(key);
      if (!kv) throw new NotFoundError(info.plural, name, info.group);
      // Private copies come from parsing the stored text again, which is
      // several times cheaper than structuredClone of the parsed object.
      const fresh = (): KubeObject => fromStorageVersion(info, decodeKeyValue(kv));
      const current = fresh();
      if (req.expectedRv !== undefined && req.expectedRv !== '' && req.expectedRv !== String(kv.modRevision)) {
        throw new ConflictError(info.plural, name, info.group);
      }
      const proposed = await mutate(fresh());
      const next = this.prepareUpdate(req, current, proposed, fresh);
      if (sameObject(next, current)) return current;
      if (options.dryRun) return next;
      // Most kinds are stored as they are: encodeForStorage leaves the
      // resourceVersion out, so `next` needs no copy of its own. A Service's
      // copy takes the allocations, which a retry must not inherit.
      const copied = converted || info.kind === 'Service';
      const stored = toStorageVersion(info, copied ? deepCopy(next) : next);
      if (copied) delete stored.metadata.resourceVersion;
      const deleting = stored.metadata.deletionTimestamp !== undefined && (stored.metadata.finalizers ?? []).length === 0 && stored.metadata.deletionGracePeriodSeconds === 0;
      const namespaceFinalized = info.kind === 'Namespace' && stored.metadata.deletionTimestamp !== undefined && ((stored['spec'] as { finalizers?: string[] } | undefined)?.finalizers ?? []).length === 0 && (stored.metadata.finalizers ?? []).length === 0;
      let text: string | undefined;
      try {
        if (deleting || namespaceFinalized) {
          const gone = await this.ctx.storage.delete(key, kv.modRevision);
          if (info.kind === 'Service') await this.ctx.services.releaseFor(stored);
          return fromStorageVersion(info, decodeKeyValue(gone));
        }
        if (info.kind === 'Service') await this.ctx.services.allocate(stored, decodeKeyValue(kv));
        text = encodeForStorage(stored);
        this.ctx.cache.expectWrite(key, text, stored);
        const written = await this.ctx.storage.update(key, text, kv.modRevision);
        if (info.kind === 'Service') await this.ctx.services.releaseFor(decodeKeyValue(kv), stored);
        if (converted) return fromStorageVersion(info, decodeKeyValue(written));
        stored.metadata.resourceVersion = String(written.modRevision);
        rememberWrittenJson(stored, text, written.modRevision);
        return stored;
      } catch (err) {
        if (text !== undefined) this.ctx.cache.forgetWrite(key, text);
        if (err instanceof RevisionConflictError) {
          if (req.expectedRv !== undefined && req.expectedRv !== '') throw new ConflictError(info.plural, name, info.group);
          if (attempt < MAX_RETRIES) continue;
          throw new ConflictError(info.plural, name, info.group);
        }
        if (err instanceof KeyNotFoundError) throw new NotFoundError(info.plural, name, info.group);
        throw err;
      }
    }
  }

  /** Applies the rules of a main-resource or subresource update to a proposed object. */
  private prepareUpdate(req: UpdateRequest, current: KubeObject, proposed: KubeObject, fresh: () => KubeObject): KubeObject {
    const { info, namespace, name, subresource, options } = req;
    proposed.metadata ??= {};
    checkTypeMeta(info, proposed);
    checkPlacement(info, proposed, namespace, name);
    let next: KubeObject;
    if (subresource === 'binding') {
      // The binding subresource sets spec.nodeName, which pod validation
      // otherwise forbids changing; the mutation itself enforces the rules.
      // Like Kubernetes' assignPod, it writes through storage without
      // recording field ownership on the pod.
      return proposed;
    }
    if (subresource === 'status') {
      // Status writes change only status (and nothing a client could sneak into metadata).
      next = fresh();
      if (proposed['status'] === undefined) delete next['status'];
      else next['status'] = proposed['status'];
    } else if (subresource === 'finalize') {
      next = fresh();
      const spec = (proposed['spec'] ?? {}) as { finalizers?: string[] };
      next['spec'] = { ...((next['spec'] as object | undefined) ?? {}), finalizers: spec.finalizers ?? [] };
    } else {
      next = proposed;
      if (hasStatusSubresource(info)) {
        if (current['status'] === undefined) delete next['status'];
        else next['status'] = current['status'];
      }
      carrySystemMeta(next.metadata, current.metadata);
      if (next.metadata.deletionTimestamp && !current.metadata.deletionTimestamp) delete next.metadata.deletionTimestamp;
      // New finalizers cannot be added to an object that is being deleted.
      if (current.metadata.deletionTimestamp) {
        const before = new Set(current.metadata.finalizers ?? []);
        const added = (next.metadata.finalizers ?? []).filter((f) => !before.has(f));
        if (added.length > 0) {
          throw new InvalidError(info.kind, name, [invalid('metadata.finalizers', added, 'no new finalizers can be added if the object is being deleted')], info.group);
        }
      }
    }
    if (subresource !== 'status' && subresource !== 'finalize') {
      applyDefaults(info, next);
      if (specChanged(next, current)) next.metadata.generation = (current.metadata.generation ?? 1) + 1;
    }
    validateOrThrow(info, next, current);
    recordUpdate(info, current, next, options, subresource);
    return next;
  }
}
