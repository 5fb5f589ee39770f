// What the watch cache keeps per object: the serialized JSON (with its
// resourceVersion filled in) so lists and watch events are written without
// re-serializing, plus the few parsed fields that selectors filter on. The full
// object is parsed again only when someone needs it (tables, conversions).
import type { KubeObject } from '@wharf/api';
import type { KeyValue } from '../storage/interface.js';

export interface CachedObject {
  key: string;
  namespace: string | undefined;
  name: string;
  rv: number;
  json: string;
  labels: Record<string, string>;
  /** Selectable fields for fieldSelector (kind-specific). */
  fields: Record<string, string>;
}

export type FieldsOf = (obj: KubeObject) => Record<string, string>;

/** Parses a stored value and stamps the revision as the resourceVersion. */
export function decodeKeyValue(kv: KeyValue): KubeObject {
  const obj = JSON.parse(kv.value) as KubeObject;
  obj.metadata ??= {};
  obj.metadata.resourceVersion = String(kv.modRevision);
  return obj;
}

/**
 * Serializes an object for the store with apiVersion, kind and metadata first
 * and no resourceVersion (the store's revision is the resourceVersion). With
 * that layout the first `"metadata":{` in the text is the top-level one — a
 * JSON string cannot contain an unescaped quote — so the cache can stamp the
 * revision into the text without serializing the object again.
 */
export function encodeForStorage(obj: KubeObject): string {
  const { apiVersion, kind, metadata, ...rest } = obj;
  const { resourceVersion: _rv, ...meta } = metadata ?? {};
  return JSON.stringify({ apiVersion, kind, metadata: meta, ...rest });
}

const METADATA_KEY = '"metadata":{';

/** The stored text with resourceVersion stamped in, or undefined if it is not in storage layout. */
export function stampResourceVersion(json: string, rv: number): string | undefined {
  const at = json.indexOf(METADATA_KEY);
  // Only the top-level metadata qualifies: nothing but the opening brace may precede it.
  if (at < 0 || json.lastIndexOf('{', at - 1) !== 0) return undefined;
  const insertAt = at + METADATA_KEY.length;
  const sep = json[insertAt] === '}' ? '' : ',';
  return `${json.slice(0, insertAt)}"resourceVersion":"${rv}"${sep}${json.slice(insertAt)}`;
}

// The JSON text of objects the registry has just written, as a GET would
// return it, so the write's response is not serialized a second time. Only
// objects nobody changes after the write are recorded.
const writtenJson = new WeakMap<KubeObject, string>();

/** Records `obj` as stored under revision `rv` with text `stored` (encodeForStorage's output). */
export function rememberWrittenJson(obj: KubeObject, stored: string, rv: number): void {
  const json = stampResourceVersion(stored, rv);
  if (json !== undefined) writtenJson.set(obj, json);
}

export function writtenJsonOf(obj: KubeObject): string | undefined {
  return writtenJson.get(obj);
}

export function toCachedObject(kv: KeyValue, fieldsOf: FieldsOf): CachedObject {
  const obj = decodeKeyValue(kv);
  return {
    key: kv.key,
    namespace: obj.metadata.namespace,
    name: obj.metadata.name ?? '',
    rv: kv.modRevision,
    json: stampResourceVersion(kv.value, kv.modRevision) ?? JSON.stringify(obj),
    labels: obj.metadata.labels ?? {},
    fields: fieldsOf(obj),
  };
}

export function parseCached(c: CachedObject): KubeObject {
  return JSON.parse(c.json) as KubeObject;
}
