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

export function toCachedObject(kv: KeyValue, fieldsOf: FieldsOf): CachedObject {
  const obj = decodeKeyValue(kv);
  return {
    key: kv.key,
    namespace: obj.metadata.namespace,
    name: obj.metadata.name ?? '',
    rv: kv.modRevision,
    json: JSON.stringify(obj),
    labels: obj.metadata.labels ?? {},
    fields: fieldsOf(obj),
  };
}

export function parseCached(c: CachedObject): KubeObject {
  return JSON.parse(c.json) as KubeObject;
}
