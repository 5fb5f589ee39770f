// Terse constructors for schema trees: the kind files read like the Go types
// they mirror, with the patch and list metadata next to each field.
import type {
  AnySchema,
  ArraySchema,
  BooleanSchema,
  IntOrStringSchema,
  MapSchema,
  NumberSchema,
  ObjectSchema,
  QuantitySchema,
  Schema,
  StringSchema,
} from './schema.js';

export function str(description?: string, opts: Omit<StringSchema, 'type' | 'description'> = {}): StringSchema {
  return withDescription({ type: 'string', ...opts }, description);
}

export function enumOf(values: string[], description?: string): StringSchema {
  return str(description, { enum: values });
}

export function time(description?: string): StringSchema {
  return str(description, { format: 'date-time' });
}

export function bytes(description?: string): StringSchema {
  return str(description, { format: 'byte' });
}

export function int32(description?: string): NumberSchema {
  return withDescription({ type: 'integer', format: 'int32' }, description);
}

export function int64(description?: string): NumberSchema {
  return withDescription({ type: 'integer', format: 'int64' }, description);
}

export function bool(description?: string): BooleanSchema {
  return withDescription({ type: 'boolean' }, description);
}

export function quantity(description?: string): QuantitySchema {
  return withDescription({ type: 'quantity' }, description);
}

export function intOrString(description?: string): IntOrStringSchema {
  return withDescription({ type: 'int-or-string' }, description);
}

export function any(description?: string): AnySchema {
  return withDescription({ type: 'any' }, description);
}

export function map(values: Schema, description?: string, opts: Pick<MapSchema, 'mapType'> = {}): MapSchema {
  return withDescription({ type: 'map', values, ...opts }, description);
}

/** map[string]string: labels, annotations, selectors, ConfigMap data. */
export function stringMap(description?: string, opts: Pick<MapSchema, 'mapType'> = {}): MapSchema {
  return map(str(), description, opts);
}

/** corev1.ResourceList: resource name → quantity. */
export function resourceList(description?: string): MapSchema {
  return map(quantity(), description);
}

export interface ObjectOptions {
  description?: string;
  required?: string[];
  patchStrategy?: 'retainKeys';
  mapType?: 'atomic' | 'granular';
  definitionName?: string;
}

export function obj(properties: Record<string, Schema>, opts: ObjectOptions = {}): ObjectSchema {
  const schema: ObjectSchema = { type: 'object', properties };
  if (opts.description !== undefined) schema.description = opts.description;
  if (opts.required !== undefined) schema.required = opts.required;
  if (opts.patchStrategy !== undefined) schema.patchStrategy = opts.patchStrategy;
  if (opts.mapType !== undefined) schema.mapType = opts.mapType;
  if (opts.definitionName !== undefined) schema.definitionName = opts.definitionName;
  return schema;
}

/** The same object schema with a field-specific description (descriptions differ per use, structure does not). */
export function describe<T extends Schema>(schema: T, description: string): T {
  return { ...schema, description };
}

/** `+listType=atomic`: replaced as a whole by patches and owned by one manager. */
export function atomicList(items: Schema, description?: string): ArraySchema {
  return withDescription({ type: 'array', items, listType: 'atomic' }, description);
}

/** A list with no list markers in the Go types (replaced whole by strategic merge patch). */
export function list(items: Schema, description?: string): ArraySchema {
  return withDescription({ type: 'array', items }, description);
}

/** `+listType=set` of scalars, optionally with `patchStrategy=merge` (finalizers, podCIDRs). */
export function setList(items: Schema, description?: string, opts: { merge?: boolean } = {}): ArraySchema {
  const schema: ArraySchema = { type: 'array', items, listType: 'set' };
  if (opts.merge) schema.patchStrategy = 'merge';
  return withDescription(schema, description);
}

/**
 * `+listType=map` keyed by `keys`, merged by strategic merge patch on `keys[0]`
 * unless `mergeKey` says otherwise; `strategy` defaults to `merge`, and 'none'
 * leaves strategic merge patch replacing the list (Go types with only list markers).
 */
export function mapList(
  items: Schema,
  keys: string[],
  description?: string,
  opts: { mergeKey?: string; strategy?: 'merge' | 'merge,retainKeys' | 'none' } = {},
): ArraySchema {
  const schema: ArraySchema = { type: 'array', items, listType: 'map', listMapKeys: keys };
  if (opts.strategy !== 'none') {
    schema.patchStrategy = opts.strategy ?? 'merge';
    schema.patchMergeKey = opts.mergeKey ?? keys[0] ?? 'name';
  }
  return withDescription(schema, description);
}

function withDescription<T extends Schema>(schema: T, description: string | undefined): T {
  if (description !== undefined) schema.description = description;
  return schema;
}
