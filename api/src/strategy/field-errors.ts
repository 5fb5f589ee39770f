// Helpers shared by the validators: FieldError constructors whose messages read
// like Go's field.Error bodies, and narrow accessors for untrusted JSON. Objects
// reach validation straight from a request body, so nothing here trusts a type.
import type { FieldError } from '../errors.js';

export type Json = Record<string, unknown>;

export function isObj(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
export function obj(v: unknown): Json | undefined {
  return isObj(v) ? v : undefined;
}
export function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
export function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}
export function strMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isObj(v)) for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
  return out;
}

/**
 * The child object at `key`, created when absent: defaulting fills nested
 * structs. A value of the wrong type is left for validation to report, and the
 * caller gets a detached object whose changes go nowhere.
 */
export function child(parent: Json, key: string): Json {
  const existing = parent[key];
  if (isObj(existing)) return existing;
  const created: Json = {};
  if (existing === undefined || existing === null) parent[key] = created;
  return created;
}

/** Sets `parent[key]` only when it is unset (undefined, null or ""), as Go defaulters do for zero values. */
export function setDefault(parent: Json, key: string, value: unknown): void {
  const v = parent[key];
  if (v === undefined || v === null || v === '') parent[key] = value;
}

/** Go's rendering of a value inside `Invalid value: …` (%q for strings, Go literals for maps and slices). */
export function goValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === undefined || v === null) return 'null';
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return `[]string{${v.map((x) => JSON.stringify(x)).join(', ')}}`;
  if (isObj(v) && Object.values(v).every((x) => typeof x === 'string')) {
    const keys = Object.keys(v).sort();
    return `map[string]string{${keys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(v[k])}`).join(', ')}}`;
  }
  return JSON.stringify(v);
}

export function fieldInvalid(field: string, value: unknown, detail: string): FieldError {
  return { type: 'FieldValueInvalid', field, message: `Invalid value: ${goValue(value)}: ${detail}` };
}
export function fieldRequired(field: string, detail = ''): FieldError {
  return { type: 'FieldValueRequired', field, message: detail ? `Required value: ${detail}` : 'Required value' };
}
export function fieldForbidden(field: string, detail: string): FieldError {
  return { type: 'FieldValueForbidden', field, message: `Forbidden: ${detail}` };
}
export function fieldDuplicate(field: string, value: unknown): FieldError {
  return { type: 'FieldValueDuplicate', field, message: `Duplicate value: ${goValue(value)}` };
}
export function fieldNotSupported(field: string, value: unknown, allowed: readonly string[]): FieldError {
  return {
    type: 'FieldValueNotSupported',
    field,
    message: `Unsupported value: ${goValue(value)}: supported values: ${allowed.map((a) => JSON.stringify(a)).join(', ')}`,
  };
}
export function fieldTooLong(field: string, max: number): FieldError {
  return { type: 'FieldValueTooLong', field, message: `Too long: must have at most ${max} bytes` };
}
/**
 * Kubernetes reports a reference to something missing as FieldValueNotFound;
 * the shared FieldError type has no such member, so the closest one carries
 * Kubernetes' message text.
 */
export function fieldNotFound(field: string, value: unknown): FieldError {
  return { type: 'FieldValueInvalid', field, message: `Not found: ${goValue(value)}` };
}
export function fieldTypeInvalid(field: string, value: unknown, detail: string): FieldError {
  return { type: 'FieldValueTypeInvalid', field, message: `Invalid value: ${goValue(value)}: ${detail}` };
}

/** One error per message, as validators that return []string do. */
export function each(field: string, value: unknown, messages: string[]): FieldError[] {
  return messages.map((m) => fieldInvalid(field, value, m));
}

export function nonNegative(field: string, v: unknown): FieldError[] {
  if (v === undefined || v === null) return [];
  if (typeof v !== 'number' || !Number.isInteger(v)) return [fieldTypeInvalid(field, v, 'must be an integer')];
  return v < 0 ? [fieldInvalid(field, v, 'must be greater than or equal to 0')] : [];
}

export function positive(field: string, v: unknown): FieldError[] {
  if (v === undefined || v === null) return [];
  if (typeof v !== 'number' || !Number.isInteger(v)) return [fieldTypeInvalid(field, v, 'must be an integer')];
  return v <= 0 ? [fieldInvalid(field, v, 'must be greater than 0')] : [];
}

export function inRangeMessage(lo: number, hi: number): string {
  return `must be between ${lo} and ${hi}, inclusive`;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObj(a) && isObj(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}

/** `field is immutable` when the value changed. */
export function immutable(field: string, next: unknown, prev: unknown): FieldError[] {
  return deepEqual(next, prev) ? [] : [fieldInvalid(field, next, 'field is immutable')];
}
