// Schema-driven walks over objects for server-side apply, after the
// structured-merge-diff library Kubernetes uses: which field paths a value
// sets, how an applied configuration merges into the live object, which paths
// two objects differ in, and removing fields an applier no longer sets.
import type { ArraySchema, ObjectSchema, Schema } from '../schema/schema.js';
import { FieldSet, comparePathElements } from './field-set.js';
import { clone, deepEqual, isObject } from './json-value.js';
import { isAtomicMap, listTypeOf } from './schema-lookup.js';

type Shape =
  | { kind: 'leaf' }
  | { kind: 'struct'; schema: ObjectSchema }
  | { kind: 'map'; values: Schema | undefined }
  | { kind: 'list'; type: 'map' | 'set'; keys: string[]; sortedKeys: string[]; items: Schema | undefined };

const LEAF: Shape = { kind: 'leaf' };
const FREE_MAP: Shape = { kind: 'map', values: undefined };
const structShapes = new WeakMap<ObjectSchema, Shape>();

function structShapeOf(schema: ObjectSchema): Shape {
  let shape = structShapes.get(schema);
  if (!shape) {
    shape = { kind: 'struct', schema };
    structShapes.set(schema, shape);
  }
  return shape;
}

/** How apply treats a value: one owned leaf, or a container whose children are owned separately. */
function shapeOf(schema: Schema | undefined, value: unknown): Shape {
  if (schema === undefined || schema.type === 'any') {
    // No schema: objects are granular maps, lists are atomic.
    return isObject(value) ? FREE_MAP : LEAF;
  }
  if (schema.type === 'object') {
    return isObject(value) && !isAtomicMap(schema) ? structShapeOf(schema) : LEAF;
  }
  if (schema.type === 'map') {
    return isObject(value) && !isAtomicMap(schema) ? { kind: 'map', values: schema.values } : LEAF;
  }
  if (schema.type === 'array') {
    if (!Array.isArray(value)) return LEAF;
    const list = listShapeOf(schema);
    if (list.kind !== 'list') return LEAF;
    if (list.type === 'map' && !value.every(isObject)) return LEAF;
    return list;
  }
  return LEAF;
}

const listShapes = new WeakMap<ArraySchema, Shape>();

/** A list schema's shape (with its keys sorted for item elements), worked out once per schema. */
function listShapeOf(schema: ArraySchema): Shape {
  let shape = listShapes.get(schema);
  if (!shape) {
    const lt = listTypeOf(schema);
    shape = lt.type === 'atomic' ? LEAF : { kind: 'list', type: lt.type, keys: lt.keys, sortedKeys: [...lt.keys].sort(), items: schema.items };
    listShapes.set(schema, shape);
  }
  return shape;
}

/** Key fields the apiserver defaults, so an applied item without them still matches the live one. */
const keyDefaults: Record<string, unknown> = { protocol: 'TCP' };

/** The FieldsV1 path element of a list item. */
function itemElement(shape: Extract<Shape, { kind: 'list' }>, item: unknown, index: number): string {
  if (shape.type === 'set') return `v:${JSON.stringify(item)}`;
  if (!isObject(item)) return `i:${index}`;
  const key: Record<string, unknown> = {};
  for (const k of shape.sortedKeys) {
    const v = item[k] ?? keyDefaults[k];
    if (v !== undefined) key[k] = v;
  }
  return `k:${JSON.stringify(key)}`;
}

interface Entry {
  pe: string;
  value: unknown;
  schema: Schema | undefined;
  /** A declared struct field (as opposed to a map key or list item). */
  field: boolean;
}

function entries(shape: Shape, value: unknown): Entry[] {
  switch (shape.kind) {
    case 'leaf':
      return [];
    case 'struct':
      return Object.entries(value as Record<string, unknown>).map(([k, v]) => ({
        pe: `f:${k}`,
        value: v,
        schema: shape.schema.properties[k],
        field: Object.hasOwn(shape.schema.properties, k),
      }));
    case 'map':
      return Object.entries(value as Record<string, unknown>).map(([k, v]) => ({ pe: `f:${k}`, value: v, schema: shape.values, field: false }));
    case 'list':
      return (value as unknown[]).map((v, i) => ({ pe: itemElement(shape, v, i), value: v, schema: shape.items, field: false }));
  }
}

/**
 * The paths an applied configuration sets: leaves, list items, map keys,
 * empty objects and nulls. Struct fields holding objects are not paths of
 * their own (their leaves are).
 */
export function toFieldSet(value: unknown, schema: Schema | undefined): FieldSet {
  const set = new FieldSet();
  const shape = shapeOf(schema, value);
  if (shape.kind === 'leaf') {
    set.member = true;
    return set;
  }
  for (const e of entries(shape, value)) {
    const child = toFieldSet(e.value, e.schema);
    if (shape.kind === 'list' || !e.field || e.value === null || (isObject(e.value) && Object.keys(e.value).length === 0)) child.member = true;
    if (!child.isEmpty()) set.children.set(e.pe, child);
  }
  return set;
}

/** Merges an applied configuration into the live object (new values; inputs untouched). */
export function mergeApplied(live: unknown, applied: unknown, schema: Schema | undefined): unknown {
  if (applied === undefined) return clone(live);
  if (live === undefined || live === null) return stripNulls(clone(applied));
  const shape = shapeOf(schema, applied);
  if (shape.kind === 'leaf' || Array.isArray(live) !== Array.isArray(applied) || isObject(live) !== isObject(applied)) {
    return stripNulls(clone(applied));
  }
  if (shape.kind === 'list') return mergeList(live as unknown[], applied as unknown[], shape);
  const out: Record<string, unknown> = { ...(live as Record<string, unknown>) };
  for (const e of entries(shape, applied)) {
    const key = e.pe.slice(2);
    if (e.value === null) delete out[key];
    else out[key] = mergeApplied(out[key], e.value, e.schema);
  }
  return out;
}

function stripNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stripNulls);
  if (!isObject(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) if (x !== null) out[k] = stripNulls(x);
  return out;
}

/**
 * Keyed lists merge item by item. Live-only items keep their place; applied
 * items come in applied order, each merged with its live counterpart.
 */
function mergeList(live: unknown[], applied: unknown[], shape: Extract<Shape, { kind: 'list' }>): unknown[] {
  const liveKeys = live.map((v, i) => itemElement(shape, v, i));
  const appliedKeys = applied.map((v, i) => itemElement(shape, v, i));
  const liveIndex = new Map<string, number>();
  liveKeys.forEach((k, i) => liveIndex.has(k) || liveIndex.set(k, i));
  const inApplied = new Set(appliedKeys);
  const emitted = new Set<string>();
  const out: unknown[] = [];
  let li = 0;
  let ai = 0;
  while (li < live.length || ai < applied.length) {
    if (li < live.length) {
      const k = liveKeys[li] as string;
      if (!inApplied.has(k)) {
        out.push(live[li]);
        li++;
        continue;
      }
      if (emitted.has(k)) {
        li++;
        continue;
      }
    }
    if (ai < applied.length) {
      const k = appliedKeys[ai] as string;
      if (!emitted.has(k)) {
        const l = liveIndex.get(k);
        out.push(shape.type === 'set' ? applied[ai] : mergeApplied(l === undefined ? undefined : live[l], applied[ai], shape.items));
        emitted.add(k);
      }
      ai++;
      continue;
    }
    li++;
  }
  return out;
}

/**
 * The paths that differ between two objects: `changed` (added or modified
 * in `after`) and `removed`. Containers that appear or disappear are paths of
 * their own, except struct fields (which Go always carries as values).
 */
export function compareValues(before: unknown, after: unknown, schema: Schema | undefined): { changed: FieldSet; removed: FieldSet } {
  const changed = new FieldSet();
  const removed = new FieldSet();
  compareInto(before, after, schema, changed, removed, false);
  return { changed: changed.compact(), removed: removed.compact() };
}

function compareInto(before: unknown, after: unknown, schema: Schema | undefined, changed: FieldSet, removed: FieldSet, markSelf: boolean): void {
  if (before === undefined && after === undefined) return;
  const shape = shapeOf(schema, after !== undefined ? after : before);
  const sameKind = before === undefined || after === undefined || (Array.isArray(before) === Array.isArray(after) && isObject(before) === isObject(after));
  if (shape.kind === 'leaf' || !sameKind) {
    if (before === undefined) changed.member = true;
    else if (after === undefined) removed.member = true;
    else if (!deepEqual(before, after)) changed.member = true;
    return;
  }
  // An equal subtree has no changed or removed paths: skip its walk (most
  // updates change a few fields of a large object).
  if (before !== undefined && after !== undefined && deepEqual(before, after)) return;
  const beforeEntries = before === undefined ? [] : entries(shapeOf(schema, before), before);
  const afterEntries = after === undefined ? [] : entries(shape, after);
  const b = new Map(beforeEntries.map((e) => [e.pe, e]));
  const a = new Map(afterEntries.map((e) => [e.pe, e]));
  for (const pe of new Set([...b.keys(), ...a.keys()])) {
    const be = b.get(pe);
    const ae = a.get(pe);
    const childSchema = (ae ?? be)?.schema;
    const isStruct = shapeOf(childSchema, ae?.value ?? be?.value).kind === 'struct';
    compareInto(be?.value, ae?.value, childSchema, changed.child(pe), removed.child(pe), shape.kind === 'list' || !isStruct);
  }
  if (markSelf && before === undefined) changed.member = true;
  if (markSelf && after === undefined) removed.member = true;
}

/**
 * compareValues({}, after).changed written straight into FieldsV1 form: what a
 * create records for its manager. One walk, no intermediate FieldSet — creates
 * are the hot path of the apiserver.
 */
export function createdFieldsV1(after: unknown, schema: Schema | undefined): Record<string, unknown> {
  return createdNode(after, shapeOf(schema, after), false) ?? {};
}

function createdNode(value: unknown, shape: Shape, markSelf: boolean): Record<string, unknown> | undefined {
  if (shape.kind === 'leaf') return {};
  // All path elements of one node share their prefix (f:, k: or v:), so
  // FieldsV1 order is plain string order here: struct and map keys are sorted
  // natively before the walk instead of with a comparator after it.
  const pes: string[] = [];
  const kids: Array<Record<string, unknown>> = [];
  if (shape.kind === 'list') {
    const items = value as unknown[];
    const pairs: Array<[string, Record<string, unknown>]> = [];
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      const child = createdNode(item, shapeOf(shape.items, item), true);
      if (child) pairs.push([itemElement(shape, item, i), child]);
    }
    if (pairs.length > 1) pairs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const [pe, child] of pairs) {
      pes.push(pe);
      kids.push(child);
    }
  } else {
    const o = value as Record<string, unknown>;
    const props = shape.kind === 'struct' ? shape.schema.properties : undefined;
    const values = shape.kind === 'map' ? shape.values : undefined;
    for (const k of Object.keys(o).sort()) {
      const v = o[k];
      const childShape = shapeOf(props ? props[k] : values, v);
      const child = createdNode(v, childShape, childShape.kind !== 'struct');
      if (child) {
        pes.push(`f:${k}`);
        kids.push(child);
      }
    }
  }
  if (!markSelf && kids.length === 0) return undefined;
  const out: Record<string, unknown> = {};
  if (markSelf && kids.length > 0) out['.'] = {};
  for (let i = 0; i < kids.length; i++) out[pes[i]!] = kids[i];
  return out;
}

const REMOVE = Symbol('remove');

/**
 * Removes what the applier owned last time (`last`) and nobody owns now
 * (`owned`, every manager's set after this apply). Fields the applier never
 * owned stay, and so do list items someone still owns a part of.
 */
export function pruneUnowned(value: unknown, schema: Schema | undefined, last: FieldSet | undefined, owned: FieldSet): unknown {
  if (!last) return value;
  const r = pruneNode(value, schema, last, owned);
  return r === REMOVE ? undefined : r;
}

function pruneNode(value: unknown, schema: Schema | undefined, last: FieldSet, owned: FieldSet | undefined, itemKeys: string[] = []): unknown {
  const shape = shapeOf(schema, value);
  const orphaned = last.member && !owned?.member;
  // An item nobody owns any part of goes whole, with the fields the server defaulted in it.
  if (orphaned && (!owned || owned.isEmpty())) return REMOVE;
  if (shape.kind === 'leaf') return value;
  const list = shape.kind === 'list';
  const kept: [string, unknown][] = [];
  const all = entries(shape, value);
  for (const e of all) {
    const lastChild = last.children.get(e.pe);
    if (!lastChild) {
      kept.push([e.pe, e.value]);
      continue;
    }
    const keys = shape.kind === 'list' && shape.type === 'map' ? shape.keys : [];
    const r = pruneNode(e.value, e.schema, lastChild, owned?.children.get(e.pe), keys);
    if (r !== REMOVE) kept.push([e.pe, r]);
  }
  if (all.length > 0 && kept.length === 0) return REMOVE;
  if (all.length === 0 && orphaned) return REMOVE;
  if (list) return kept.map(([, v]) => v);
  const out: Record<string, unknown> = {};
  for (const [pe, v] of kept) out[pe.slice(2)] = v;
  // A list item that survives keeps its key fields, even if their owner let go of them.
  const original = value as Record<string, unknown>;
  for (const k of itemKeys) if (original[k] !== undefined && out[k] === undefined) out[k] = original[k];
  return out;
}
