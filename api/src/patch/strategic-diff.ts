// Computing strategic merge patches, as kubectl does for `kubectl apply`
// (client-side): a two-way patch from an old to a new document, and the
// three-way patch from the last-applied configuration, the new manifest and
// the live object — changes and additions relative to the live object, plus
// deletions of what the last-applied configuration had and the manifest
// dropped. Ported from apimachinery's strategicpatch diff functions.
import type { ObjectSchema, Schema } from '../schema/schema.js';
import { clone, deepEqual, isObject, jsonKind, type JsonObject } from './json-value.js';
import { childSchema, itemSchema, listPatchMeta, mapRetainsKeys, rootSchema } from './schema-lookup.js';
import {
  DELETE_DIRECTIVE,
  DELETE_FROM_PRIMITIVE_LIST_PREFIX,
  DIRECTIVE,
  RETAIN_KEYS_DIRECTIVE,
  SET_ELEMENT_ORDER_PREFIX,
  StrategicMergePatchError,
  asObject,
  deduplicateScalars,
  errNoMergeKey,
  mergeKeyValueEqual,
  normalizeSliceOrder,
  scalarString,
  sliceElementKind,
  sortScalars,
} from './strategic-common.js';
import { mergeMap } from './strategic-merge.js';

interface DiffOptions {
  /** Emit `$setElementOrder` lists. */
  setElementOrder: boolean;
  ignoreChangesAndAdditions: boolean;
  ignoreDeletions: boolean;
  /** Emit `$retainKeys` for this map (its schema has the retainKeys strategy). */
  buildRetainKeysDirective: boolean;
}

const defaults: DiffOptions = { setElementOrder: false, ignoreChangesAndAdditions: false, ignoreDeletions: false, buildRetainKeysDirective: false };

/** The patch that yields `modified` when applied to `original`. */
export function createTwoWayMergePatch(original: unknown, modified: unknown, schema: ObjectSchema): JsonObject {
  return diffMaps(asDoc(original), asDoc(modified), rootSchema(schema), { ...defaults, setElementOrder: true });
}

/**
 * kubectl apply's patch: `original` is the last-applied configuration,
 * `modified` the new manifest, `current` the live object. Changes others
 * made to fields the manifest does not mention survive.
 */
export function createThreeWayMergePatch(original: unknown, modified: unknown, current: unknown, schema: ObjectSchema): JsonObject {
  const root = rootSchema(schema);
  const delta = diffMaps(asDoc(current), asDoc(modified), root, { ...defaults, ignoreDeletions: true, setElementOrder: true });
  const deletions = diffMaps(asDoc(original), asDoc(modified), root, { ...defaults, setElementOrder: true, ignoreChangesAndAdditions: true });
  return mergeMap(deletions, delta, root, { mergeParallelList: false, ignoreUnmatchedNulls: false });
}

function asDoc(v: unknown): JsonObject {
  if (v === undefined || v === null) return {};
  if (!isObject(v)) throw new StrategicMergePatchError('invalid JSON document');
  // Diffing sorts lists in place, as apimachinery does; keep the callers' objects intact.
  return clone(v);
}

function diffMaps(original: JsonObject, modified: JsonObject, schema: Schema | undefined, opts: DiffOptions): JsonObject {
  const patch: JsonObject = {};
  const retainKeys: unknown[] = [];
  for (const [key, modifiedValue] of Object.entries(modified)) {
    if (opts.buildRetainKeysDirective && modifiedValue !== null) retainKeys.push(key);
    if (!Object.hasOwn(original, key)) {
      if (!opts.ignoreChangesAndAdditions) patch[key] = modifiedValue;
      continue;
    }
    const originalValue = original[key];
    if (key === DIRECTIVE) {
      if (typeof originalValue !== 'string' || typeof modifiedValue !== 'string') throw new StrategicMergePatchError(`invalid value for special key: ${DIRECTIVE}`);
      if (originalValue !== modifiedValue) patch[key] = modifiedValue;
      continue;
    }
    if (jsonKind(originalValue) !== jsonKind(modifiedValue)) {
      if (!opts.ignoreChangesAndAdditions) patch[key] = modifiedValue;
      continue;
    }
    const fieldSchema = childSchema(schema, key);
    if (isObject(originalValue) && isObject(modifiedValue)) {
      const sub = diffMaps(originalValue, modifiedValue, fieldSchema, { ...opts, buildRetainKeysDirective: mapRetainsKeys(fieldSchema) });
      if (Object.keys(sub).length > 0) patch[key] = sub;
    } else if (Array.isArray(originalValue) && Array.isArray(modifiedValue)) {
      diffSlice(key, originalValue, modifiedValue, patch, fieldSchema, opts);
    } else {
      replaceIfNotEqual(key, originalValue, modifiedValue, patch, opts);
    }
  }
  if (!opts.ignoreDeletions) {
    for (const key of Object.keys(original)) if (!Object.hasOwn(modified, key)) patch[key] = null;
  }
  if (retainKeys.length > 0 && (Object.keys(patch).length > 0 || hasAdditionalNewField(original, modified))) {
    patch[RETAIN_KEYS_DIRECTIVE] = sortScalars(retainKeys);
  }
  return patch;
}

function replaceIfNotEqual(key: string, original: unknown, modified: unknown, patch: JsonObject, opts: DiffOptions): void {
  if (opts.ignoreChangesAndAdditions || deepEqual(original, modified)) return;
  patch[key] = modified;
}

function hasAdditionalNewField(original: JsonObject, modified: JsonObject): boolean {
  return Object.entries(original).some(([k, v]) => v !== null && !Object.hasOwn(modified, k));
}

function diffSlice(key: string, original: unknown[], modified: unknown[], patch: JsonObject, schema: Schema | undefined, opts: DiffOptions): void {
  const meta = listPatchMeta(schema);
  if (meta.strategy !== 'merge') {
    replaceIfNotEqual(key, original, modified, patch, opts);
    return;
  }
  const [add, del, order] = diffLists(original, modified, itemSchema(schema), meta.mergeKey, { ...opts, buildRetainKeysDirective: meta.retainKeys });
  if (add.length > 0) patch[key] = add;
  if (del.length > 0) patch[`${DELETE_FROM_PRIMITIVE_LIST_PREFIX}/${key}`] = del;
  if (order.length > 0) patch[`${SET_ELEMENT_ORDER_PREFIX}/${key}`] = order;
}

/** Additions and changes, a deletion list (scalars only) and the `$setElementOrder` list. */
function diffLists(original: unknown[], modified: unknown[], elem: Schema | undefined, mergeKey: string, opts: DiffOptions): [unknown[], unknown[], unknown[]] {
  if (original.length === 0) {
    if (modified.length === 0 || opts.ignoreChangesAndAdditions) return [[], [], []];
    return [modified, [], []];
  }
  const kind = sliceElementKind(original, modified);
  if (kind === 'object') {
    const [changes, deletions] = diffListsOfMaps(original, modified, elem, mergeKey, opts);
    const patchList = [...normalizeSliceOrder(changes, modified, mergeKey, kind), ...deletions];
    const orderSame = isOrderSame(original, modified, mergeKey);
    let order: unknown[] = [];
    if (opts.setElementOrder && ((!opts.ignoreChangesAndAdditions && (patchList.length > 0 || !orderSame)) || (!opts.ignoreDeletions && patchList.length > 0))) {
      order = modified.map((v) => ({ [mergeKey]: asObject(v)[mergeKey] }));
    }
    return [patchList, [], order];
  }
  const [additions, deletions] = diffListsOfScalars(original, modified, opts);
  const patchList = normalizeSliceOrder(additions, modified, mergeKey, kind);
  let order: unknown[] = [];
  // apimachinery compares the order list against the original after sorting it in place.
  if (opts.setElementOrder && ((!opts.ignoreDeletions && deletions.length > 0) || (!opts.ignoreChangesAndAdditions && !deepEqual(sortScalars(original), modified)))) {
    order = modified;
  }
  return [patchList, deletions, order];
}

function isOrderSame(original: unknown[], modified: unknown[], mergeKey: string): boolean {
  if (original.length !== modified.length) return false;
  return modified.every((m, i) => mergeKeyValueEqual(original[i], m, mergeKey));
}

function diffListsOfScalars(original: unknown[], modified: unknown[], opts: DiffOptions): [unknown[], unknown[]] {
  const o = sortScalars(original);
  const m = sortScalars(modified);
  const add: unknown[] = [];
  const del: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < o.length || j < m.length) {
    const os = i < o.length ? scalarString(o[i]) : undefined;
    const ms = j < m.length ? scalarString(m[j]) : undefined;
    if (os !== undefined && ms !== undefined && os === ms) {
      i++;
      j++;
    } else if (os === undefined || (ms !== undefined && os > ms)) {
      if (!opts.ignoreChangesAndAdditions) add.push(m[j]);
      j++;
    } else {
      if (!opts.ignoreDeletions) del.push(o[i]);
      i++;
    }
  }
  return [add, deduplicateScalars(del)];
}

function keyOf(item: unknown, mergeKey: string): unknown {
  const m = asObject(item);
  if (!Object.hasOwn(m, mergeKey)) throw errNoMergeKey(m, mergeKey);
  return m[mergeKey];
}

function sortByMergeKey(list: unknown[], mergeKey: string): unknown[] {
  const keyed = list.map((v) => ({ v, k: scalarString(keyOf(v, mergeKey)) }));
  keyed.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
  return keyed.map((x) => x.v);
}

/** Changed and added items (as patches), and `$patch: delete` items for removed ones. */
function diffListsOfMaps(original: unknown[], modified: unknown[], elem: Schema | undefined, mergeKey: string, opts: DiffOptions): [unknown[], unknown[]] {
  const o = sortByMergeKey(original, mergeKey);
  const m = sortByMergeKey(modified, mergeKey);
  const patch: unknown[] = [];
  const deletions: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < o.length || j < m.length) {
    const ok = i < o.length ? keyOf(o[i], mergeKey) : undefined;
    const mk = j < m.length ? keyOf(m[j], mergeKey) : undefined;
    const os = i < o.length ? scalarString(ok) : undefined;
    const ms = j < m.length ? scalarString(mk) : undefined;
    if (os !== undefined && ms !== undefined && os === ms) {
      const sub = diffMaps(asObject(o[i]), asObject(m[j]), elem, opts);
      if (Object.keys(sub).length > 0) {
        sub[mergeKey] = mk;
        patch.push(sub);
      }
      i++;
      j++;
    } else if (os === undefined || (ms !== undefined && os > ms)) {
      if (!opts.ignoreChangesAndAdditions) patch.push(m[j]);
      j++;
    } else {
      if (!opts.ignoreDeletions) deletions.push({ [mergeKey]: ok, [DIRECTIVE]: DELETE_DIRECTIVE });
      i++;
    }
  }
  return [patch, deletions];
}
