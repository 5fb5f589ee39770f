// Reading patch metadata out of the kind schemas. A field without a schema
// (free-form maps, `any`, fields the schema does not know) merges as a map,
// and its lists are replaced whole — what Kubernetes does for unstructured data.
import type { ArraySchema, MapSchema, ObjectSchema, Schema } from '../schema/schema.js';

/**
 * ObjectMeta's patch-relevant parts, used when a kind schema leaves metadata
 * out, so finalizers and ownerReferences still merge as Kubernetes merges them.
 */
const fallbackMetadata: ObjectSchema = {
  type: 'object',
  properties: {
    labels: { type: 'map', values: { type: 'string' } },
    annotations: { type: 'map', values: { type: 'string' } },
    finalizers: { type: 'array', items: { type: 'string' }, listType: 'set', patchStrategy: 'merge' },
    ownerReferences: {
      type: 'array',
      items: {
        type: 'object',
        mapType: 'atomic',
        properties: {
          apiVersion: { type: 'string' },
          kind: { type: 'string' },
          name: { type: 'string' },
          uid: { type: 'string' },
          controller: { type: 'boolean' },
          blockOwnerDeletion: { type: 'boolean' },
        },
      },
      listType: 'map',
      listMapKeys: ['uid'],
      patchStrategy: 'merge',
      patchMergeKey: 'uid',
    },
  },
};

/** The schema of `key` inside a value described by `parent`. */
export function childSchema(parent: Schema | undefined, key: string): Schema | undefined {
  if (!parent) return undefined;
  if (parent.type === 'object') {
    return parent.properties[key];
  }
  if (parent.type === 'map') return parent.values;
  return undefined;
}

/** The kind schema, with a metadata schema filled in if the kind left it out. */
export function rootSchema(schema: ObjectSchema | undefined): ObjectSchema {
  if (!schema) return { type: 'object', properties: { metadata: fallbackMetadata } };
  if (schema.properties.metadata) return schema;
  return { ...schema, properties: { ...schema.properties, metadata: fallbackMetadata } };
}

export function itemSchema(list: Schema | undefined): Schema | undefined {
  return list?.type === 'array' ? list.items : undefined;
}

export interface ListPatchMeta {
  /** `merge` lists merge item by item; everything else is replaced. */
  strategy: 'merge' | 'replace';
  retainKeys: boolean;
  mergeKey: string;
}

export function listPatchMeta(s: Schema | undefined): ListPatchMeta {
  if (s?.type !== 'array' || !s.patchStrategy) return { strategy: 'replace', retainKeys: false, mergeKey: '' };
  const parts = s.patchStrategy.split(',');
  return {
    strategy: parts.includes('merge') ? 'merge' : 'replace',
    retainKeys: parts.includes('retainKeys'),
    mergeKey: s.patchMergeKey ?? '',
  };
}

/** Whether a patch to this object field should carry a `$retainKeys` list. */
export function mapRetainsKeys(s: Schema | undefined): boolean {
  if (s?.type === 'object') return s.patchStrategy === 'retainKeys';
  if (s?.type === 'array') return listPatchMeta(s).retainKeys;
  return false;
}

/** How server-side apply treats a list: keyed items, a set of scalars, or one atomic value. */
export function listTypeOf(s: ArraySchema): { type: 'atomic' | 'set' | 'map'; keys: string[] } {
  if (s.listType === 'map') return { type: 'map', keys: s.listMapKeys ?? (s.patchMergeKey ? [s.patchMergeKey] : []) };
  if (s.listType) return { type: s.listType, keys: [] };
  // Built-in kinds without list-type markers: apply follows the strategic merge metadata.
  const meta = listPatchMeta(s);
  if (meta.strategy === 'merge') return meta.mergeKey ? { type: 'map', keys: [meta.mergeKey] } : { type: 'set', keys: [] };
  return { type: 'atomic', keys: [] };
}

export function isAtomicMap(s: ObjectSchema | MapSchema): boolean {
  return s.mapType === 'atomic';
}
