// One schema per kind is the single source of truth for what fields exist.
// It drives unknown-field detection (fieldValidation=Strict), the OpenAPI v3
// documents (and so `kubectl explain`), strategic merge patch (list merge keys
// and patch strategies) and server-side apply (list types and map keys).

interface Base {
  description?: string;
}

export interface StringSchema extends Base {
  type: 'string';
  enum?: string[];
  /** 'date-time' for timestamps, 'byte' for base64 data. */
  format?: 'date-time' | 'byte';
}

export interface NumberSchema extends Base {
  type: 'integer' | 'number';
  format?: 'int32' | 'int64' | 'double';
}

export interface BooleanSchema extends Base {
  type: 'boolean';
}

/** A resource quantity ("100m", "64Mi", or a number). */
export interface QuantitySchema extends Base {
  type: 'quantity';
}

/** An IntOrString (ports by number or name, "25%"). */
export interface IntOrStringSchema extends Base {
  type: 'int-or-string';
}

export interface ObjectSchema extends Base {
  type: 'object';
  properties: Record<string, Schema>;
  required?: string[];
  /** `retainKeys`: a patch replaces the object's set of keys (Deployment strategy, volume sources). */
  patchStrategy?: 'retainKeys';
  /** Server-side apply: 'atomic' when the struct is owned and replaced as a whole (`+structType=atomic`). */
  mapType?: 'atomic' | 'granular';
  /** OpenAPI component name for shared sub-schemas (io.k8s.api.core.v1.Container), so documents can $ref them. */
  definitionName?: string;
}

/** An object with arbitrary keys (labels, annotations, ConfigMap data, resource lists). */
export interface MapSchema extends Base {
  type: 'map';
  values: Schema;
  /** Server-side apply: 'atomic' when the whole map has one owner (`+mapType=atomic`, e.g. nodeSelector). */
  mapType?: 'atomic' | 'granular';
}

export interface ArraySchema extends Base {
  type: 'array';
  items: Schema;
  /** Server-side apply: atomic (replaced whole), set (of scalars), map (items keyed by listMapKeys). */
  listType?: 'atomic' | 'set' | 'map';
  listMapKeys?: string[];
  /** Strategic merge patch: how the list merges, and by which key. */
  patchStrategy?: 'merge' | 'replace' | 'merge,retainKeys';
  patchMergeKey?: string;
}

/** Anything goes (free-form JSON). */
export interface AnySchema extends Base {
  type: 'any';
}

export type Schema =
  | StringSchema
  | NumberSchema
  | BooleanSchema
  | QuantitySchema
  | IntOrStringSchema
  | ObjectSchema
  | MapSchema
  | ArraySchema
  | AnySchema;

/** The schema of a whole kind, keyed by its group (\"\" for core) and kind. */
export interface KindSchema {
  group: string;
  kind: string;
  /** Name used in OpenAPI components, e.g. io.k8s.api.core.v1.Pod. */
  definitionName: string;
  schema: ObjectSchema;
  /** The served version this schema describes; set where versions of a kind differ (autoscaling v1 and v2). */
  version?: string;
}
