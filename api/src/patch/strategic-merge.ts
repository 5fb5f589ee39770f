// Applying a strategic merge patch (application/strategic-merge-patch+json),
// with the semantics of k8s.io/apimachinery/pkg/util/strategicpatch: maps merge
// recursively and null deletes; lists whose schema says `patchStrategy: merge`
// merge item by item (by `patchMergeKey`, or as sets of scalars); other lists
// are replaced. Directives: `$patch: replace|delete|merge`, `$retainKeys`,
// `$setElementOrder/<list>`, `$deleteFromPrimitiveList/<list>`.
//
// Deliberate differences: `$patch: merge` is accepted as "merge normally"
// (apimachinery rejects it), and values the live object lacks are normalized
// (nulls and directives inside them are processed) instead of stored verbatim.
import type { ObjectSchema, Schema } from '../schema/schema.js';
import { clone, deepEqual, isObject, jsonKind, show, type JsonObject } from './json-value.js';
import { childSchema, itemSchema, listPatchMeta, rootSchema } from './schema-lookup.js';
import {
  DELETE_DIRECTIVE,
  DELETE_FROM_PRIMITIVE_LIST_PREFIX,
  DIRECTIVE,
  MERGE_DIRECTIVE,
  REPLACE_DIRECTIVE,
  RETAIN_KEYS_DIRECTIVE,
  SET_ELEMENT_ORDER_PREFIX,
  StrategicMergePatchError,
  asObject,
  containsDirectiveMarker,
  deduplicateScalars,
  errBadArgType,
  errBadPatchFormatForRetainKeys,
  errBadPatchFormatForSetElementOrderList,
  errBadPatchType,
  errNoMergeKey,
  extractKey,
  extractToDeleteItems,
  findIndexByKey,
  mergeKeyValueEqual,
  normalizeElementOrder,
  partitionByPresence,
  sliceElementKind,
} from './strategic-common.js';

export interface MergeOptions {
  /**
   * Server side (true): `$deleteFromPrimitiveList` lists delete items. Client
   * side (false, when merging two patches into one): they are kept as data.
   */
  mergeParallelList: boolean;
  /** Server side: a null for a field the object lacks is dropped, not kept. */
  ignoreUnmatchedNulls: boolean;
}

const serverSide: MergeOptions = { mergeParallelList: true, ignoreUnmatchedNulls: true };

/**
 * Applies `patch` to `original` as the Kubernetes apiserver does, driven by
 * the kind schema. Returns a new object; the arguments are not modified.
 * Malformed patches throw `StrategicMergePatchError` (400 BadRequest).
 */
export function applyStrategicMergePatch<T = JsonObject>(original: unknown, patch: unknown, schema: ObjectSchema): T {
  if (!isObject(patch)) throw new StrategicMergePatchError('invalid JSON document');
  const base = isObject(original) ? clone(original) : {};
  return mergeMap(base, clone(patch), rootSchema(schema), serverSide) as T;
}

/** Free-form values (labels, data, `any`) may have keys that look like directives. */
function isFreeForm(schema: Schema | undefined): boolean {
  return schema === undefined || schema.type === 'map' || schema.type === 'any';
}

/** Merges `patch` into `original` (both are mutated; pass copies). */
export function mergeMap(original: JsonObject | undefined, patch: JsonObject, schema: Schema | undefined, opts: MergeOptions): JsonObject {
  if (Object.hasOwn(patch, DIRECTIVE)) return handleDirectiveInMergeMap(original, patch, schema, opts);
  const orig = original ?? {};
  applyRetainKeysDirective(orig, patch, opts);
  mergePatchIntoOriginal(orig, patch, schema, opts);

  for (const patchKey of Object.keys(patch)) {
    const patchV = patch[patchKey];
    let k = patchKey;
    let isDeleteList = false;
    if (patchKey.startsWith(DELETE_FROM_PRIMITIVE_LIST_PREFIX)) {
      if (!opts.mergeParallelList) {
        orig[patchKey] = patchV;
        continue;
      }
      k = extractKey(patchKey, DELETE_FROM_PRIMITIVE_LIST_PREFIX);
      isDeleteList = true;
    } else if (patchKey.startsWith('$') && !isFreeForm(schema)) {
      throw new StrategicMergePatchError(`unknown patch directive ${JSON.stringify(patchKey)} in map: ${show(patch)}`);
    }

    if (patchV === null) {
      delete orig[k];
      if (opts.ignoreUnmatchedNulls) continue;
    }
    const fieldSchema = childSchema(schema, k);
    if (!Object.hasOwn(orig, k)) {
      // Deleting from a list that is not there leaves it not there.
      if (isDeleteList) continue;
      orig[k] = opts.mergeParallelList ? normalizeNew(patchV, fieldSchema, opts) : patchV;
      continue;
    }
    const origV = orig[k];
    if (isDeleteList && !Array.isArray(origV)) continue;
    if (jsonKind(origV) !== jsonKind(patchV)) {
      orig[k] = opts.mergeParallelList ? normalizeNew(patchV, fieldSchema, opts) : patchV;
    } else if (isObject(origV) && isObject(patchV)) {
      orig[k] = mergeMap(origV, patchV, fieldSchema, opts);
    } else if (Array.isArray(origV) && Array.isArray(patchV)) {
      orig[k] = mergeSliceHandler(origV, patchV, fieldSchema, isDeleteList, opts);
    } else {
      orig[k] = patchV;
    }
  }
  return orig;
}

/** A patch value for a field the object lacks, with its directives and nulls processed. */
function normalizeNew(value: unknown, schema: Schema | undefined, opts: MergeOptions): unknown {
  if (isObject(value)) return mergeMap({}, value, schema, opts);
  if (Array.isArray(value)) return mergeSliceHandler([], value, schema, false, opts);
  return value;
}

function handleDirectiveInMergeMap(original: JsonObject | undefined, patch: JsonObject, schema: Schema | undefined, opts: MergeOptions): JsonObject {
  const directive = patch[DIRECTIVE];
  if (directive === REPLACE_DIRECTIVE) {
    delete patch[DIRECTIVE];
    return opts.mergeParallelList ? mergeMap({}, patch, schema, opts) : patch;
  }
  if (directive === DELETE_DIRECTIVE) return {};
  if (directive === MERGE_DIRECTIVE) {
    delete patch[DIRECTIVE];
    return mergeMap(original, patch, schema, opts);
  }
  throw errBadPatchType(directive, patch);
}

/**
 * `$retainKeys: [a, b]` clears every other key of the live map (the patch
 * may only set keys in the list). Between two patches it is just carried over.
 */
function applyRetainKeysDirective(original: JsonObject, patch: JsonObject, opts: MergeOptions): void {
  if (!Object.hasOwn(patch, RETAIN_KEYS_DIRECTIVE)) return;
  const retain = patch[RETAIN_KEYS_DIRECTIVE];
  delete patch[RETAIN_KEYS_DIRECTIVE];
  if (!opts.mergeParallelList) {
    if (Object.hasOwn(original, RETAIN_KEYS_DIRECTIVE)) {
      if (!deepEqual(original[RETAIN_KEYS_DIRECTIVE], retain)) {
        throw new StrategicMergePatchError(`${show(original[RETAIN_KEYS_DIRECTIVE])} and ${show(retain)} are not deep equal: this may happen when calculating the 3-way diff patch`);
      }
    } else {
      original[RETAIN_KEYS_DIRECTIVE] = retain;
    }
    return;
  }
  if (!Array.isArray(retain)) throw errBadPatchFormatForRetainKeys();
  const keep = new Set(retain);
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k.startsWith(DELETE_FROM_PRIMITIVE_LIST_PREFIX) || k.startsWith(SET_ELEMENT_ORDER_PREFIX)) continue;
    if (!keep.has(k)) throw errBadPatchFormatForRetainKeys();
  }
  for (const k of Object.keys(original)) {
    if (!keep.has(k)) delete original[k];
  }
}

/**
 * Processes each `$setElementOrder/<list>` with its list: merges the list,
 * then orders it — the directive's order first, then the patch's, then the
 * live object's. Both are removed from the patch afterwards.
 */
function mergePatchIntoOriginal(original: JsonObject, patch: JsonObject, schema: Schema | undefined, opts: MergeOptions): void {
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(SET_ELEMENT_ORDER_PREFIX)) continue;
    const order = patch[key];
    if (!opts.mergeParallelList) {
      if (Object.hasOwn(original, key)) {
        if (!deepEqual(original[key], order)) throw errBadPatchFormatForSetElementOrderList();
      } else {
        original[key] = order;
      }
    }
    delete patch[key];
    if (!Array.isArray(order)) throw errBadArgType('[]interface {}', order);
    const listKey = extractKey(key, SET_ELEMENT_ORDER_PREFIX);
    const foundOriginal = Object.hasOwn(original, listKey);
    const foundPatch = Object.hasOwn(patch, listKey);
    const originalList = foundOriginal ? original[listKey] : [];
    const patchList = foundPatch ? patch[listKey] : [];
    if (!Array.isArray(originalList)) throw errBadArgType('[]interface {}', originalList);
    if (!Array.isArray(patchList)) throw errBadArgType('[]interface {}', patchList);

    const fieldSchema = childSchema(schema, listKey);
    const { mergeKey } = listPatchMeta(fieldSchema);
    validatePatchWithSetOrderList(patchList, order, mergeKey);

    let merged: unknown[];
    const alias: AliasedOrder = { view: originalList };
    if (foundOriginal && !foundPatch) merged = originalList;
    else if (!foundOriginal && foundPatch) merged = opts.mergeParallelList ? mergeSliceHandler([], patchList, fieldSchema, false, opts) : patchList;
    else if (foundOriginal && foundPatch) merged = mergeSliceHandler(originalList, patchList, fieldSchema, false, opts, alias);
    else continue;

    const kind = sliceElementKind(originalList, patchList);
    if (kind === undefined) {
      original[listKey] = merged;
    } else {
      const [patchItems, serverOnly] = partitionByPresence(merged, order, mergeKey);
      original[listKey] = normalizeElementOrder(patchItems, serverOnly, order, alias.view, mergeKey, kind);
    }
    delete patch[listKey];
  }
}

/** The patch list's items (deletions aside) must appear in `$setElementOrder` in the same relative order. */
function validatePatchWithSetOrderList(patchList: unknown[], setOrder: unknown[], mergeKey: string): void {
  if (setOrder.length === 0 || patchList.length === 0) return;
  const nonDelete = mergeKey ? extractToDeleteItems(patchList)[0] : patchList;
  let p = 0;
  let s = 0;
  while (p < nonDelete.length && s < setOrder.length) {
    if (containsDirectiveMarker(nonDelete[p])) {
      p++;
      continue;
    }
    if (mergeKeyValueEqual(nonDelete[p], setOrder[s], mergeKey)) p++;
    s++;
  }
  if (p < nonDelete.length && s >= setOrder.length) {
    throw new StrategicMergePatchError(`The order in patch list:\n${show(patchList)}\n doesn't match ${SET_ELEMENT_ORDER_PREFIX} list:\n${show(setOrder)}\n`);
  }
}

/**
 * What the caller's live list looks like after apimachinery merged into it.
 * Go deletes and appends in the live slice's backing array, and the
 * `$setElementOrder` pass then orders by that mutated array; replaying it
 * keeps our list order identical to the apiserver's.
 */
interface AliasedOrder {
  view: unknown[];
}

function mergeSliceHandler(
  original: unknown[],
  patch: unknown[],
  schema: Schema | undefined,
  isDeleteList: boolean,
  opts: MergeOptions,
  alias?: AliasedOrder,
): unknown[] {
  const meta = listPatchMeta(schema);
  // Delete lists mean the same whatever the field's strategy is.
  if (meta.strategy === 'merge' || isDeleteList) return mergeSlice(original, patch, itemSchema(schema), meta.mergeKey, opts, isDeleteList, alias);
  return patch;
}

function mergeSlice(
  original: unknown[],
  patch: unknown[],
  elemSchema: Schema | undefined,
  mergeKey: string,
  opts: MergeOptions,
  isDeleteList: boolean,
  alias?: AliasedOrder,
): unknown[] {
  if (original.length === 0 && patch.length === 0) return original;
  const kind = sliceElementKind(original, patch);
  if (kind !== 'object') {
    if (opts.mergeParallelList && isDeleteList) {
      const drop = new Set(patch);
      return original.filter((v) => !drop.has(v));
    }
    const merged = deduplicateScalars([...original, ...patch]);
    const [patchItems, serverOnly] = partitionByPresence(merged, patch, mergeKey);
    return normalizeElementOrder(patchItems, serverOnly, patch, original, mergeKey, kind);
  }
  if (!mergeKey) throw new StrategicMergePatchError('cannot merge lists without merge key for type struct');

  const backing = [...original];
  let length = original.length;
  const plain: unknown[] = [];
  let replace = false;
  for (const v of patch) {
    const item = asObject(v);
    if (!Object.hasOwn(item, DIRECTIVE)) {
      plain.push(v);
      continue;
    }
    switch (item[DIRECTIVE]) {
      case DELETE_DIRECTIVE: {
        if (!Object.hasOwn(item, mergeKey)) throw errNoMergeKey(item, mergeKey);
        for (;;) {
          const i = findIndexByKey(backing.slice(0, length), mergeKey, item[mergeKey]);
          if (i < 0) break;
          backing.copyWithin(i, i + 1, length);
          length--;
        }
        break;
      }
      case REPLACE_DIRECTIVE:
        // Keep going: the other directive items must be dropped too.
        replace = true;
        break;
      case MERGE_DIRECTIVE:
        break;
      default:
        throw errBadPatchType(item[DIRECTIVE], item);
    }
  }
  if (alias) alias.view = backing;
  if (replace) {
    return opts.mergeParallelList ? plain.map((v) => mergeMap({}, asObject(v), elemSchema, opts)) : plain;
  }

  const orig = backing.slice(0, length);
  const merged = [...orig];
  for (const v of plain) {
    const item = asObject(v);
    if (!Object.hasOwn(item, mergeKey)) throw errNoMergeKey(item, mergeKey);
    const i = findIndexByKey(merged, mergeKey, item[mergeKey]);
    if (i >= 0) {
      merged[i] = mergeMap(asObject(merged[i]), item, elemSchema, opts);
    } else {
      const added = opts.mergeParallelList ? mergeMap({}, item, elemSchema, opts) : item;
      if (merged.length < backing.length) backing[merged.length] = added;
      merged.push(added);
    }
  }
  const [patchItems, serverOnly] = partitionByPresence(merged, plain, mergeKey);
  return normalizeElementOrder(patchItems, serverOnly, plain, orig, mergeKey, kind);
}
