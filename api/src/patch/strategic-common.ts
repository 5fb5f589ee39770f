// Pieces of strategic merge patch shared by applying and computing patches:
// the directive names, the error texts apimachinery uses, and how merged
// lists are put in order ($setElementOrder > patch order > live order).
import { BadRequestError } from '../errors.js';
import { isObject, jsonKind, show, type JsonObject } from './json-value.js';

export const DIRECTIVE = '$patch';
export const DELETE_DIRECTIVE = 'delete';
export const REPLACE_DIRECTIVE = 'replace';
export const MERGE_DIRECTIVE = 'merge';
export const RETAIN_KEYS_DIRECTIVE = '$retainKeys';
export const DELETE_FROM_PRIMITIVE_LIST_PREFIX = '$deleteFromPrimitiveList';
export const SET_ELEMENT_ORDER_PREFIX = '$setElementOrder';

/** A strategic merge patch that is malformed or does not fit the object (400, as the apiserver answers). */
export class StrategicMergePatchError extends BadRequestError {
  override name = 'StrategicMergePatchError';
}

export const errBadPatchFormatForPrimitiveList = (): StrategicMergePatchError =>
  new StrategicMergePatchError('invalid patch format of primitive list');
export const errBadPatchFormatForRetainKeys = (): StrategicMergePatchError =>
  new StrategicMergePatchError('invalid patch format of retainKeys');
export const errBadPatchFormatForSetElementOrderList = (): StrategicMergePatchError =>
  new StrategicMergePatchError('invalid patch format of setElementOrder list');
export const errNoMergeKey = (m: unknown, key: string): StrategicMergePatchError =>
  new StrategicMergePatchError(`map: ${show(m)} does not contain declared merge key: ${key}`);
export const errBadPatchType = (t: unknown, m: unknown): StrategicMergePatchError =>
  new StrategicMergePatchError(`unknown patch type: ${show(t)} in map: ${show(m)}`);
export const errBadArgType = (expected: string, actual: unknown): StrategicMergePatchError =>
  new StrategicMergePatchError(`expected a ${expected}, but received a ${jsonKind(actual)}`);

/** "$setElementOrder/containers" → "containers". */
export function extractKey(s: string, prefix: string): string {
  const slash = s.indexOf('/');
  if (slash < 0 || s.slice(0, slash) !== prefix) {
    if (prefix === DELETE_FROM_PRIMITIVE_LIST_PREFIX) throw errBadPatchFormatForPrimitiveList();
    if (prefix === SET_ELEMENT_ORDER_PREFIX) throw errBadPatchFormatForSetElementOrderList();
    throw new StrategicMergePatchError(`fail to find unknown prefix ${JSON.stringify(prefix)} in ${s}`);
  }
  return s.slice(slash + 1);
}

export type ElementKind = 'object' | 'string' | 'number' | 'boolean' | 'null';

/** The one element kind of the given lists; mixed kinds and nested lists are errors. */
export function sliceElementKind(...lists: unknown[][]): ElementKind | undefined {
  let kind: ElementKind | undefined;
  for (const list of lists) {
    for (const v of list) {
      const k = jsonKind(v);
      if (k === 'array') throw new StrategicMergePatchError('lists of lists are not supported');
      if (kind === undefined) kind = k as ElementKind;
      else if (kind !== k) throw new StrategicMergePatchError(`list element types are not identical: ${show(lists)}`);
    }
  }
  return kind;
}

export function asObject(v: unknown): JsonObject {
  if (!isObject(v)) throw errBadArgType('map', v);
  return v;
}

export function validateMergeKeyInLists(mergeKey: string, ...lists: unknown[][]): void {
  for (const list of lists) {
    for (const item of list) {
      if (!Object.hasOwn(asObject(item), mergeKey)) throw errNoMergeKey(item, mergeKey);
    }
  }
}

/** Splits list items into the ones kept and the `$patch: delete` ones. */
export function extractToDeleteItems(list: unknown[]): [unknown[], unknown[]] {
  const keep: unknown[] = [];
  const del: unknown[] = [];
  for (const v of list) {
    const m = asObject(v);
    if (m[DIRECTIVE] === DELETE_DIRECTIVE) del.push(v);
    else keep.push(v);
  }
  return [keep, del];
}

/** What identifies a list item: its merge key value for maps, itself for scalars. */
function identity(item: unknown, mergeKey: string, kind: ElementKind | undefined): unknown {
  if (kind === 'object') return isObject(item) ? item[mergeKey] : undefined;
  return item;
}

/** Position of each identity in `order` (first occurrence wins, like a linear search). */
function positions(order: unknown[], mergeKey: string, kind: ElementKind | undefined): Map<unknown, number> {
  const m = new Map<unknown, number>();
  order.forEach((v, i) => {
    const id = identity(v, mergeKey, kind);
    if (!m.has(id)) m.set(id, i);
  });
  return m;
}

/** Sorts `toSort` by `order`; `$patch: delete` items go last. */
export function normalizeSliceOrder(toSort: unknown[], order: unknown[], mergeKey: string, kind: ElementKind | undefined): unknown[] {
  let items = [...toSort];
  let toDelete: unknown[] = [];
  if (kind === 'object') {
    validateMergeKeyInLists(mergeKey, items, order);
    [items, toDelete] = extractToDeleteItems(items);
  }
  const pos = positions(order, mergeKey, kind);
  const at = (v: unknown): number => pos.get(identity(v, mergeKey, kind)) ?? -1;
  // apimachinery sorts with "less unless both are found in order"; an
  // insertion sort reproduces where it puts items missing from `order`.
  for (let i = 1; i < items.length; i++) {
    for (let j = i; j > 0; j--) {
      const a = at(items[j]);
      const b = at(items[j - 1]);
      const less = a >= 0 && b >= 0 ? a < b : true;
      if (!less) break;
      const t = items[j];
      items[j] = items[j - 1];
      items[j - 1] = t;
    }
  }
  return [...items, ...toDelete];
}

/**
 * Interleaves two sorted, disjoint lists, keeping each one's relative order;
 * where both items exist in the live list, the live order decides.
 */
export function mergeSortedSlice(left: unknown[], right: unknown[], serverOrder: unknown[], mergeKey: string, kind: ElementKind | undefined): unknown[] {
  const pos = positions(serverOrder, mergeKey, kind);
  const at = (v: unknown): number => pos.get(identity(v, mergeKey, kind)) ?? -1;
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++]);
    else if (j >= right.length) out.push(left[i++]);
    else {
      const li = at(left[i]);
      const ri = at(right[j]);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
      else out.push(right[j++]);
    }
  }
  return out;
}

/** Patch items in patch order, server-only items in live order, merged. */
export function normalizeElementOrder(
  patch: unknown[],
  serverOnly: unknown[],
  patchOrder: unknown[],
  serverOrder: unknown[],
  mergeKey: string,
  kind: ElementKind | undefined,
): unknown[] {
  const p = normalizeSliceOrder(patch, patchOrder, mergeKey, kind);
  const s = normalizeSliceOrder(serverOnly, serverOrder, mergeKey, kind);
  return mergeSortedSlice(s, p, serverOrder, mergeKey, kind);
}

export function findIndexByKey(list: unknown[], key: string, value: unknown): number {
  for (let i = 0; i < list.length; i++) {
    const m = list[i];
    if (!isObject(m)) throw new StrategicMergePatchError(`value for key ${i} is not a map.`);
    if (Object.hasOwn(m, key) && m[key] === value) return i;
  }
  return -1;
}

/** Items of `list` whose identity appears in `by`, and the rest. */
export function partitionByPresence(list: unknown[], by: unknown[], mergeKey: string): [unknown[], unknown[]] {
  const inBy: unknown[] = [];
  const rest: unknown[] = [];
  if (!mergeKey) {
    const set = new Set(by);
    for (const v of list) (set.has(v) ? inBy : rest).push(v);
    return [inBy, rest];
  }
  for (const v of list) {
    const m = asObject(v);
    if (!Object.hasOwn(m, mergeKey)) throw errNoMergeKey(m, mergeKey);
    (findIndexByKey(by, mergeKey, m[mergeKey]) >= 0 ? inBy : rest).push(v);
  }
  return [inBy, rest];
}

/** Removes duplicates the way apimachinery does (swapping in the last element). */
export function deduplicateScalars(input: unknown[]): unknown[] {
  const s = [...input];
  let length = s.length - 1;
  for (let i = 0; i < length; i++) {
    for (let j = i + 1; j <= length; j++) {
      if (s[i] === s[j]) {
        s[j] = s[length];
        s.length = length;
        length--;
        j--;
      }
    }
  }
  return s;
}

/** Go's fmt %v of a scalar, which is how apimachinery orders scalars and merge keys. */
export function scalarString(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'number') return goFloat(v);
  return String(v);
}

function goFloat(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return n.toString();
  const s = n.toString();
  return s.includes('e') ? s.replace(/e([+-])(\d)$/, 'e$10$2') : s;
}

export function sortScalars(list: unknown[]): unknown[] {
  return [...list].sort((a, b) => {
    const x = scalarString(a);
    const y = scalarString(b);
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

export function mergeKeyValueEqual(left: unknown, right: unknown, mergeKey: string): boolean {
  if (!mergeKey) return left === right;
  const l = asObject(left);
  const r = asObject(right);
  if (!Object.hasOwn(l, mergeKey)) throw errNoMergeKey(l, mergeKey);
  if (!Object.hasOwn(r, mergeKey)) throw errNoMergeKey(r, mergeKey);
  return l[mergeKey] === r[mergeKey];
}

export function containsDirectiveMarker(item: unknown): boolean {
  return isObject(item) && Object.hasOwn(item, DIRECTIVE);
}
