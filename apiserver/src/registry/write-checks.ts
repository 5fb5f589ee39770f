// Checks every write makes before the object reaches storage: the body names
// the kind and place the URL names, unknown fields per fieldValidation, the
// strategy's defaults and validation, and namespace lifecycle.
import {
  BadRequestError,
  ForbiddenError,
  InvalidError,
  NotFoundError,
  apiVersionOf,
  findDecodingProblems,
  strictDecodingMessage,
  schemaFor,
  storageKey,
  strategyFor,
  type FieldError,
  type KubeObject,
  type ResourceInfo,
} from '@wharf/api';
import type { CachedObject } from '../cache/cached-object.js';
import type { RegistryContext, WriteOptions } from './context.js';
import { pruneUnknown } from './prune.js';

export function checkTypeMeta(info: ResourceInfo, obj: KubeObject): void {
  const want = apiVersionOf(info);
  if (obj.apiVersion !== undefined && obj.apiVersion !== want) {
    throw new BadRequestError(`the API version in the data (${obj.apiVersion}) does not match the expected API version (${want})`);
  }
  if (obj.kind !== undefined && obj.kind !== info.kind) {
    throw new BadRequestError(`the kind in the data (${obj.kind}) does not match the expected kind (${info.kind})`);
  }
  obj.apiVersion = want;
  obj.kind = info.kind;
}

export function checkPlacement(info: ResourceInfo, obj: KubeObject, namespace: string | undefined, name: string | undefined): void {
  const meta = obj.metadata;
  if (info.namespaced) {
    if (meta.namespace !== undefined && meta.namespace !== '' && meta.namespace !== namespace) {
      throw new BadRequestError('the namespace of the provided object does not match the namespace sent on the request');
    }
    if (namespace !== undefined) meta.namespace = namespace;
  } else {
    delete meta.namespace;
  }
  if (name !== undefined && meta.name !== undefined && meta.name !== '' && meta.name !== name) {
    throw new BadRequestError(`the name of the object (${meta.name}) does not match the name on the URL (${name})`);
  }
  if (name !== undefined) meta.name = name;
}

/**
 * Decoding as Kubernetes' typed decoder does it: a value of the wrong JSON type
 * is a 400 whatever the fieldValidation; unknown fields are a 400 under
 * Strict, a Warning header under Warn, silence under Ignore — and outside
 * Strict they are dropped before the object is stored.
 */
export function checkUnknownFields(info: ResourceInfo, obj: unknown, options: WriteOptions): void {
  const schema = schemaFor(info.group, info.kind, info.version);
  if (!schema) return;
  const { typeErrors, unknownFields: unknown } = findDecodingProblems(obj, schema.schema);
  if (typeErrors.length > 0) {
    const gv = info.group ? `${info.group}/${info.version}` : info.version;
    throw new BadRequestError(`${info.kind} in version "${gv}" cannot be handled as a ${info.kind}: ${typeErrors[0]!.message}`, typeErrors.map((e) => ({ reason: 'FieldValueInvalid', message: e.message, field: e.path })));
  }
  if (options.fieldValidation === 'Ignore') {
    // The walk above found every field pruning would drop.
    if (unknown.length > 0) pruneUnknown(obj, schema.schema);
    return;
  }
  if (unknown.length === 0) return;
  if (options.fieldValidation === 'Strict') throw new BadRequestError(strictDecodingMessage(unknown));
  for (const f of unknown) options.warnings.push(`unknown field "${f}"`);
  pruneUnknown(obj, schema.schema);
}

export function validateOrThrow(info: ResourceInfo, obj: KubeObject, old?: KubeObject): void {
  const strategy = strategyFor(info.group, info.kind);
  const errors: FieldError[] = old ? strategy.validateUpdate(obj, old) : strategy.validateCreate(obj);
  if (errors.length > 0) throw new InvalidError(info.kind, obj.metadata.name ?? '', errors, info.group);
}

export function applyDefaults(info: ResourceInfo, obj: KubeObject): void {
  strategyFor(info.group, info.kind).applyDefaults(obj);
}

const NAMESPACES = { group: '', plural: 'namespaces', namespaced: false };

// A cached entry is replaced, never changed, on every write of its namespace,
// so its parse can be kept for the next create in that namespace.
const namespaceParses = new WeakMap<CachedObject, KubeObject>();

function parsedNamespace(cached: CachedObject): KubeObject {
  let ns = namespaceParses.get(cached);
  if (!ns) {
    ns = JSON.parse(cached.json) as KubeObject;
    namespaceParses.set(cached, ns);
  }
  return ns;
}

/** Objects may only be created in a namespace that exists and is not terminating. */
export async function checkNamespaceAdmits(ctx: RegistryContext, info: ResourceInfo, namespace: string | undefined, name: string): Promise<void> {
  if (!info.namespaced || namespace === undefined) return;
  const cached = ctx.cache.resource('/registry/core/namespaces/').items.get(storageKey(NAMESPACES, undefined, namespace));
  let ns: KubeObject | undefined = cached ? parsedNamespace(cached) : undefined;
  if (!ns) {
    // The cache may lag a namespace created a moment ago: ask the store.
    const { kv } = await ctx.storage.get(storageKey(NAMESPACES, undefined, namespace));
    ns = kv ? (JSON.parse(kv.value) as KubeObject) : undefined;
  }
  if (!ns) throw new NotFoundError('namespaces', namespace);
  if (ns.metadata.deletionTimestamp || (ns['status'] as { phase?: string } | undefined)?.phase === 'Terminating') {
    throw new ForbiddenError(`${info.plural} "${name}" is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`);
  }
}
