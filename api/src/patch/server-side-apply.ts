// Server-side apply (application/apply-patch+yaml) and the ownership
// bookkeeping of ordinary writes, following the apiserver's field manager:
// an applier owns exactly the fields of its last applied configuration;
// fields it stops applying are removed unless another manager owns them;
// changing a field another manager owns is a conflict unless forced, and
// forcing (or any Update) moves the ownership.
import { ApiError, BadRequestError } from '../errors.js';
import type { KubeObject, ManagedFieldsEntry, ObjectMeta } from '../meta.js';
import type { ObjectSchema } from '../schema/schema.js';
import { FieldSet, difference, equalSets, intersection, pathString, union } from './field-set.js';
import { clone, deepEqual, isObject, type JsonObject } from './json-value.js';
import { decodeManagedFields, describeManager, encodeManagedFields, sameManager, type ManagerEntry } from './managed-fields.js';
import { rootSchema } from './schema-lookup.js';
import { compareValues, createdFieldsV1, mergeApplied, pruneUnowned, toFieldSet } from './typed-value.js';

export interface FieldConflict {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  subresource?: string;
  /** The conflicting path as Kubernetes prints it: `.spec.replicas`. */
  field: string;
}

/** 409 Conflict with one FieldManagerConflict cause per field, as kubectl expects. */
export class ApplyConflictError extends ApiError {
  override name = 'ApplyConflictError';
  constructor(readonly conflicts: FieldConflict[]) {
    super(409, 'Conflict', conflictMessage(conflicts), {
      causes: conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with ${describeManager(c)}`, field: c.field })),
    });
  }
}

function conflictMessage(conflicts: FieldConflict[]): string {
  const [only] = conflicts;
  if (conflicts.length === 1 && only) return `Apply failed with 1 conflict: conflict with ${describeManager(only)}: ${only.field}`;
  const byManager = new Map<string, FieldConflict[]>();
  for (const c of conflicts) {
    const id = JSON.stringify([c.manager, c.operation, c.apiVersion, c.subresource ?? '']);
    byManager.set(id, [...(byManager.get(id) ?? []), c]);
  }
  const lines: string[] = [];
  for (const id of [...byManager.keys()].sort()) {
    const list = byManager.get(id) ?? [];
    const [first] = list;
    if (!first) continue;
    lines.push(`conflicts with ${describeManager(first)}:`);
    for (const c of list) lines.push(`- ${c.field}`);
  }
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
}

export interface ServerSideApplyOptions {
  /** The stored object, or undefined when the apply creates it. */
  live: KubeObject | undefined;
  /** The applied configuration (request body). */
  applied: KubeObject;
  /** `fieldManager` query parameter (required for apply). */
  manager: string;
  /** `force=true`: take over conflicting fields instead of failing. */
  force: boolean;
  schema: ObjectSchema;
  /** The group/version the request was made in ("apps/v1"). */
  apiVersion: string;
  /** RFC 3339 timestamp for the managedFields entry. */
  now: string;
  /** "status" for applies to the status subresource. */
  subresource?: string;
}

export interface ServerSideApplyResult {
  object: KubeObject;
  /** Conflicts that `force` overrode (ownership moved to the applier). */
  conflicts: FieldConflict[];
}

// Metadata the apiserver sets: never owned by a field manager.
const serverMetadata = ['name', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'managedFields', 'selfLink'];

/**
 * The part of an object field managers own: no apiVersion/kind, no
 * server-set metadata, and either no status (main resource) or only status.
 */
function trackedView(obj: JsonObject | undefined, subresource: string | undefined): JsonObject {
  if (!obj) return {};
  if (subresource === 'status') return obj.status === undefined ? {} : { status: obj.status };
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(obj)) {
    if (k === 'apiVersion' || k === 'kind' || k === 'status') continue;
    if (k === 'metadata' && isObject(v)) {
      const meta: JsonObject = {};
      for (const [mk, mv] of Object.entries(v)) if (!serverMetadata.includes(mk)) meta[mk] = mv;
      if (Object.keys(meta).length > 0) out.metadata = meta;
      continue;
    }
    out[k] = v;
  }
  return out;
}

/** `base` with its tracked part replaced by `view`. */
function withTrackedView(base: KubeObject, view: JsonObject, subresource: string | undefined): KubeObject {
  if (subresource === 'status') {
    const out = { ...base };
    if (view.status === undefined) delete out.status;
    else out.status = view.status;
    return out;
  }
  const meta: JsonObject = {};
  for (const k of serverMetadata) if (base.metadata[k as keyof ObjectMeta] !== undefined) meta[k] = base.metadata[k as keyof ObjectMeta];
  Object.assign(meta, isObject(view.metadata) ? view.metadata : {});
  const out: KubeObject = { metadata: meta as ObjectMeta };
  if (base.apiVersion !== undefined) out.apiVersion = base.apiVersion;
  if (base.kind !== undefined) out.kind = base.kind;
  const ordered: KubeObject = { ...(out.apiVersion !== undefined ? { apiVersion: out.apiVersion } : {}), ...(out.kind !== undefined ? { kind: out.kind } : {}), metadata: out.metadata };
  for (const [k, v] of Object.entries(view)) if (k !== 'metadata') ordered[k] = v;
  if (base.status !== undefined) ordered.status = base.status;
  return ordered;
}

/**
 * Applies `applied` for `manager`. Creates the object when `live` is
 * undefined. Throws ApplyConflictError (409) when the apply would change
 * fields another manager owns and `force` is false.
 */
export function serverSideApply(opts: ServerSideApplyOptions): ServerSideApplyResult {
  const { applied, manager, force, apiVersion, now, subresource } = opts;
  if (!manager) throw new BadRequestError('PATCH, application/apply-patch+yaml requests must set the fieldManager parameter');
  if ((applied.metadata?.managedFields ?? []).length > 0) throw new BadRequestError('metadata.managedFields must be nil');
  const schema = rootSchema(opts.schema);
  const live: KubeObject = opts.live ?? {
    ...(applied.apiVersion !== undefined ? { apiVersion: applied.apiVersion } : {}),
    ...(applied.kind !== undefined ? { kind: applied.kind } : {}),
    metadata: pick(applied.metadata ?? {}, ['name', 'namespace']),
  };

  const managers = decodeManagedFields(live.metadata.managedFields);
  if (opts.live && managers.length === 0) {
    // Objects written before anyone tracked ownership: everything they hold
    // belongs to one placeholder manager, so the first apply can conflict.
    managers.push({ manager: 'before-first-apply', operation: 'Update', apiVersion, set: toFieldSet(trackedView(live, subresource), schema) });
  }
  const self: Omit<ManagerEntry, 'set'> = { manager, operation: 'Apply', apiVersion, ...(subresource ? { subresource } : {}) };
  const previous = managers.find((m) => sameManager(m, self));
  const others = managers.filter((m) => m !== previous);

  const liveView = trackedView(live, subresource);
  const appliedView = trackedView(applied, subresource);
  const appliedSet = toFieldSet(appliedView, schema).compact();
  let merged = mergeApplied(liveView, appliedView, schema) as JsonObject;
  const owned = others.reduce((acc, m) => union(acc, m.set), appliedSet);
  merged = (pruneUnowned(merged, schema, previous?.set, owned) as JsonObject | undefined) ?? {};

  const { changed, removed } = compareValues(liveView, merged, schema);
  const conflicts: FieldConflict[] = [];
  const taken = new Map<ManagerEntry, FieldSet>();
  for (const m of others) {
    const lost = intersection(m.set, changed);
    if (lost.isEmpty()) continue;
    taken.set(m, lost);
    for (const path of lost.paths()) {
      conflicts.push({ manager: m.manager, operation: m.operation, apiVersion: m.apiVersion, ...(m.subresource ? { subresource: m.subresource } : {}), field: pathString(path) });
    }
  }
  if (conflicts.length > 0 && !force) throw new ApplyConflictError(conflicts);

  const entries: ManagerEntry[] = others.map((m) => ({ ...m, set: difference(difference(m.set, taken.get(m)), removed) }));
  entries.push({ ...self, time: now, set: appliedSet });

  const object = withTrackedView(live, merged, subresource);
  const unchanged = opts.live !== undefined && deepEqual(withoutManagedFields(object), withoutManagedFields(opts.live));
  const sameOwnership = unchanged && previous !== undefined && equalSets(previous.set, appliedSet) && others.every((m) => !taken.has(m));
  object.metadata.managedFields = sameOwnership ? clone(opts.live?.metadata.managedFields) : encodeManagedFields(entries);
  if (object.metadata.managedFields === undefined) delete object.metadata.managedFields;
  return { object, conflicts };
}

export interface UpdateManagedFieldsOptions {
  /** The stored object before the write; undefined for a create. */
  old: KubeObject | undefined;
  /** The object about to be stored. */
  updated: KubeObject;
  /** `fieldManager` query parameter, or the default derived from the User-Agent. */
  manager: string;
  schema: ObjectSchema;
  apiVersion: string;
  now: string;
  /** "status", "scale", … when the write went through a subresource. */
  subresource?: string;
}

/**
 * Records the ownership of a non-apply write (create, update, patch) under
 * `operation: Update`: the writer takes every field it added or changed
 * (from whoever owned it), and removed fields leave every manager's set.
 * Returns `updated` with metadata.managedFields set.
 */
export function updateManagedFields(opts: UpdateManagedFieldsOptions): KubeObject {
  const { old, updated, manager, apiVersion, now, subresource } = opts;
  const schema = rootSchema(opts.schema);
  // A client may replace the managed fields: [] resets them, omitting them keeps the stored ones.
  const sent = updated.metadata.managedFields;
  if (old === undefined && sent === undefined) {
    // A create: the writer owns everything it sent. Encoded in one walk.
    const fieldsV1 = createdFieldsV1(trackedView(updated, subresource), schema);
    const object: KubeObject = { ...updated, metadata: { ...updated.metadata } };
    if (Object.keys(fieldsV1).length === 0) delete object.metadata.managedFields;
    else object.metadata.managedFields = [{ manager, operation: 'Update', apiVersion, time: now, fieldsType: 'FieldsV1', fieldsV1, ...(subresource ? { subresource } : {}) }];
    return object;
  }
  const base: ManagedFieldsEntry[] | undefined = sent === undefined ? old?.metadata.managedFields : sent;
  const managers = decodeManagedFields(base);
  const self: Omit<ManagerEntry, 'set'> = { manager, operation: 'Update', apiVersion, ...(subresource ? { subresource } : {}) };
  const previous = managers.find((m) => sameManager(m, self));
  const { changed, removed } = compareValues(trackedView(old, subresource), trackedView(updated, subresource), schema);

  const entries: ManagerEntry[] = managers
    .filter((m) => m !== previous)
    .map((m) => ({ ...m, set: difference(difference(m.set, changed), removed) }));
  const mine = union(difference(previous?.set ?? new FieldSet(), removed), changed);
  const object: KubeObject = { ...updated, metadata: { ...updated.metadata } };
  if (!mine.isEmpty()) {
    const time = previous && equalSets(previous.set, mine) && changed.isEmpty() ? previous.time : now;
    entries.push({ ...self, ...(time !== undefined ? { time } : {}), set: mine });
  }
  const encoded = encodeManagedFields(entries);
  if (encoded.length > 0) object.metadata.managedFields = encoded;
  else delete object.metadata.managedFields;
  return object;
}

function withoutManagedFields(obj: KubeObject): KubeObject {
  const meta = { ...obj.metadata };
  delete meta.managedFields;
  return { ...obj, metadata: meta };
}

function pick(meta: ObjectMeta, keys: (keyof ObjectMeta)[]): ObjectMeta {
  const out: ObjectMeta = {};
  for (const k of keys) if (meta[k] !== undefined) (out as Record<string, unknown>)[k] = meta[k];
  return out;
}
