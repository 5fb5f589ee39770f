// Metadata rules shared by every kind: what a client may set on create, what
// the server owns on update, and when generation moves.
import { randomBytes, randomUUID } from 'node:crypto';
import type { KubeObject, ObjectMeta } from '@wharf/api';

const NAME_SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** Kubernetes' generateName suffix: 5 characters from a vowel-free alphabet. */
export function generateNameSuffix(): string {
  const bytes = randomBytes(5);
  let s = '';
  for (const b of bytes) s += NAME_SUFFIX_ALPHABET[b % NAME_SUFFIX_ALPHABET.length];
  return s;
}

let lastSecond = -1;
let lastText = '';

/** A time as Kubernetes writes it in metadata: RFC 3339 at second precision. */
export function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The current time at second precision, formatted once per second (every write stamps it, some twice). */
export function nowRfc3339(): string {
  const second = Math.floor(Date.now() / 1000);
  if (second !== lastSecond) {
    lastSecond = second;
    lastText = rfc3339(second * 1000);
  }
  return lastText;
}

/** Fields the server assigns on create, whatever the client sent. */
export function initCreateMeta(meta: ObjectMeta, creationTimestamp: string): void {
  meta.uid = randomUUID();
  meta.creationTimestamp = creationTimestamp;
  meta.generation = 1;
  delete meta.resourceVersion;
  delete meta.deletionTimestamp;
  delete meta.deletionGracePeriodSeconds;
}

/** On update, metadata the client cannot change is carried over from the stored object. */
export function carrySystemMeta(next: ObjectMeta, old: ObjectMeta): void {
  next.uid = old.uid!;
  next.creationTimestamp = old.creationTimestamp!;
  next.name = old.name!;
  if (old.namespace !== undefined) next.namespace = old.namespace;
  else delete next.namespace;
  if (old.deletionTimestamp !== undefined) next.deletionTimestamp = old.deletionTimestamp;
  else delete next.deletionTimestamp;
  if (old.deletionGracePeriodSeconds !== undefined) next.deletionGracePeriodSeconds = old.deletionGracePeriodSeconds;
  else delete next.deletionGracePeriodSeconds;
  if (old.generateName !== undefined && next.generateName === undefined) next.generateName = old.generateName;
  next.generation = old.generation ?? 1;
}

/** Everything but metadata and status: a change here is a change of desired state. */
function specPart(obj: KubeObject): Record<string, unknown> {
  const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = obj;
  return rest;
}

export function specChanged(next: KubeObject, old: KubeObject): boolean {
  return !sameJson(specPart(next), specPart(old));
}

/** Equal apart from resourceVersion and managedFields timestamps: such a write is a no-op. */
export function sameObject(a: KubeObject, b: KubeObject): boolean {
  const strip = (o: KubeObject) => {
    const { resourceVersion: _rv, managedFields: _mf, ...meta } = o.metadata;
    return { ...o, metadata: meta };
  };
  return sameJson(strip(a), strip(b));
}

/**
 * JSON.stringify(a) === JSON.stringify(b) without building the strings (this
 * runs on every update): the same keys in the same order, undefined members
 * skipped in objects and null in arrays, as the serializer has them.
 */
export function sameJson(x: unknown, y: unknown): boolean {
  // NaN and ±Infinity serialize as null.
  const a = typeof x === 'number' && !Number.isFinite(x) ? null : x;
  const b = typeof y === 'number' && !Number.isFinite(y) ? null : y;
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(inArray(a[i]), inArray(b[i]))) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ak = presentKeys(a as Record<string, unknown>);
  const bk = presentKeys(b as Record<string, unknown>);
  if (ak.length !== bk.length) return false;
  for (let i = 0; i < ak.length; i++) {
    const k = ak[i]!;
    if (k !== bk[i] || !sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}

function inArray(v: unknown): unknown {
  return v === undefined || typeof v === 'function' || typeof v === 'symbol' ? null : v;
}

function presentKeys(o: Record<string, unknown>): string[] {
  const keys = Object.keys(o);
  for (const k of keys) {
    const v = o[k];
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') return keys.filter((key) => { const x = o[key]; return x !== undefined && typeof x !== 'function' && typeof x !== 'symbol'; });
  }
  return keys;
}
