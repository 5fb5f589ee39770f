// Decoded protobuf messages → the JSON Kubernetes would have received.
// Go writes every non-pointer field, so a zero scalar there means "unset" and is
// left out (as `omitempty` would); pointer fields (`(ptr)`) and structs are kept
// whenever present. Well-known types get their JSON forms: Time as RFC 3339,
// IntOrString as number or string, Quantity as its string, bytes as base64.
import type protobuf from 'protobufjs';

type Json = Record<string, unknown>;

const TIME = new Set(['.k8s.io.apimachinery.pkg.apis.meta.v1.Time', '.k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime']);
const MICRO_TIME = '.k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime';
const INT_OR_STRING = '.k8s.io.apimachinery.pkg.util.intstr.IntOrString';
const QUANTITY = '.k8s.io.apimachinery.pkg.api.resource.Quantity';
const FIELDS_V1 = '.k8s.io.apimachinery.pkg.apis.meta.v1.FieldsV1';
const RAW_EXTENSION = '.k8s.io.apimachinery.pkg.runtime.RawExtension';

function present(msg: Record<string, unknown>, name: string): boolean {
  return Object.prototype.hasOwnProperty.call(msg, name) && msg[name] !== null && msg[name] !== undefined;
}

/** int64 fields arrive as Long objects when the long package is installed. */
function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (value && typeof value === 'object' && 'toNumber' in value && typeof (value as { toNumber: unknown }).toNumber === 'function') {
    return (value as { toNumber(): number }).toNumber();
  }
  return Number(value);
}

function isZero(value: unknown): boolean {
  if (value === '' || value === false) return true;
  if (typeof value === 'number') return value === 0;
  if (value instanceof Uint8Array) return value.length === 0;
  return toNumber(value) === 0 && typeof value === 'object' && 'low' in (value as object);
}

function scalar(field: protobuf.Field, value: unknown): unknown {
  switch (field.type) {
    case 'bytes':
      return Buffer.from(value as Uint8Array).toString('base64');
    case 'int64':
    case 'uint64':
    case 'sint64':
    case 'fixed64':
    case 'sfixed64':
      return toNumber(value);
    default:
      return value;
  }
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** metav1.Time → "2006-01-02T15:04:05Z"; MicroTime keeps six fractional digits; zero → undefined. */
function timeJson(msg: Record<string, unknown>, micro: boolean): string | undefined {
  const seconds = present(msg, 'seconds') ? toNumber(msg.seconds) : 0;
  const nanos = present(msg, 'nanos') ? toNumber(msg.nanos) : 0;
  if (seconds === 0 && nanos === 0) return undefined;
  const d = new Date(seconds * 1000);
  const base = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}T${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}`;
  return micro ? `${base}.${pad(Math.trunc(nanos / 1000), 6)}Z` : `${base}Z`;
}

function parseRawJson(raw: unknown): unknown {
  if (!(raw instanceof Uint8Array) || raw.length === 0) return undefined;
  try {
    return JSON.parse(Buffer.from(raw).toString('utf8'));
  } catch {
    return undefined;
  }
}

/** Converts a message-typed value; undefined means "leave the field out". */
function messageValue(type: protobuf.Type, value: Record<string, unknown>): unknown {
  const full = type.fullName;
  if (TIME.has(full)) return timeJson(value, full === MICRO_TIME);
  if (full === INT_OR_STRING) {
    const kind = present(value, 'type') ? toNumber(value.type) : 0;
    return kind === 1 ? (value.strVal ?? '') : toNumber(value.intVal ?? 0);
  }
  if (full === QUANTITY) return present(value, 'string') ? value.string : undefined;
  if (full === FIELDS_V1) return parseRawJson(value.Raw);
  if (full === RAW_EXTENSION) return parseRawJson(value.raw);
  return messageToJson(type, value);
}

/** A decoded message of `type` as Kubernetes JSON. */
export function messageToJson(type: protobuf.Type, msg: Record<string, unknown>): Json {
  const out: Json = {};
  for (const field of type.fieldsArray) {
    if (!present(msg, field.name)) continue;
    const value = msg[field.name];
    const options = field.options ?? {};
    const nested = field.resolvedType && 'fieldsArray' in field.resolvedType ? (field.resolvedType as protobuf.Type) : undefined;

    if (field.map) {
      const entries = Object.entries(value as Record<string, unknown>);
      if (entries.length === 0) continue;
      const mapOut: Json = {};
      for (const [k, v] of entries) mapOut[k] = nested ? messageValue(nested, v as Record<string, unknown>) : scalar(field, v);
      out[field.name] = mapOut;
      continue;
    }
    if (field.repeated) {
      const list = value as unknown[];
      if (list.length === 0) continue;
      out[field.name] = list.map((v) => (nested ? messageValue(nested, v as Record<string, unknown>) : scalar(field, v)));
      continue;
    }
    if (nested) {
      const converted = messageValue(nested, value as Record<string, unknown>);
      if (converted === undefined) continue;
      if (options['(inline)'] === true && converted && typeof converted === 'object') Object.assign(out, converted);
      else out[field.name] = converted;
      continue;
    }
    if (options['(ptr)'] !== true && options['(keep)'] !== true && isZero(value)) continue;
    out[field.name] = scalar(field, value);
  }
  return out;
}
