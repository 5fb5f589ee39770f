// Strict decoding: the fields a body carries that the kind's schema does not
// know, and the values whose JSON type cannot decode into the field. Paths and
// messages follow what the Kubernetes apiserver prints, so kubectl users see the
// same errors (`strict decoding error: unknown field "spec.replicass"`).
import type { ArraySchema, MapSchema, ObjectSchema, Schema } from './schema.js';

/** Every field of `obj` that `schema` does not declare, as `spec.template.spec.containers[0].imagee`. */
export function findUnknownFields(obj: unknown, schema: ObjectSchema): string[] {
  const found: string[] = [];
  walkUnknown(obj, schema, '', found);
  return found;
}

/** The `strict decoding error: unknown field "a", unknown field "b"` text Kubernetes reports. */
export function strictDecodingMessage(unknownFields: readonly string[]): string {
  return `strict decoding error: ${unknownFields.map((f) => `unknown field "${f}"`).join(', ')}`;
}

function walkUnknown(value: unknown, schema: Schema, path: string, found: string[]): void {
  if (value === null || typeof value !== 'object') return;
  switch (schema.type) {
    case 'object': {
      if (Array.isArray(value)) return;
      for (const [key, child] of Object.entries(value)) {
        const childPath = path ? `${path}.${key}` : key;
        const childSchema = schema.properties[key];
        if (childSchema === undefined) found.push(childPath);
        else walkUnknown(child, childSchema, childPath, found);
      }
      return;
    }
    case 'map': {
      if (Array.isArray(value)) return;
      for (const [key, child] of Object.entries(value)) walkUnknown(child, schema.values, `${path}[${key}]`, found);
      return;
    }
    case 'array': {
      if (!Array.isArray(value)) return;
      value.forEach((item, i) => walkUnknown(item, schema.items, `${path}[${i}]`, found));
      return;
    }
    default:
      return;
  }
}

export interface FieldTypeError {
  /** JSON path as in unknown-field errors: `spec.template.spec.containers[0].ports[0].containerPort`. */
  path: string;
  /** The schema type expected there: integer, string, boolean, object, array, quantity, int-or-string… */
  expected: string;
  /** What the body had, in Go's JSON vocabulary: string, number, bool, object, array. */
  actual: string;
  /** Go's decoding message, which Kubernetes wraps in its 400 response. */
  message: string;
}

/**
 * Values whose JSON type cannot decode into the field (a string where an integer
 * belongs). `null` is accepted anywhere, as Kubernetes treats it as unset.
 */
export function findTypeErrors(obj: unknown, schema: ObjectSchema): FieldTypeError[] {
  const found: FieldTypeError[] = [];
  walkTypes(obj, schema, { path: '', goPath: '', struct: structName(schema) }, found);
  return found;
}

interface Where {
  path: string;
  /** Go's json field path: field names only, no indices or map keys. */
  goPath: string;
  /** The innermost Go struct around the value. */
  struct: string;
}

function walkTypes(value: unknown, schema: Schema, where: Where, found: FieldTypeError[]): void {
  if (value === null || value === undefined) return;
  const actual = jsonKind(value);
  const fail = () => {
    const what = actual === 'number' ? `number ${String(value)}` : actual;
    const field = where.goPath ? ` into Go struct field ${where.struct}.${where.goPath}` : ' into Go value';
    found.push({ path: where.path, expected: schema.type, actual, message: `json: cannot unmarshal ${what}${field} of type ${goType(schema)}` });
  };
  switch (schema.type) {
    case 'any':
      return;
    case 'string':
      if (actual !== 'string') fail();
      return;
    case 'boolean':
      if (actual !== 'bool') fail();
      return;
    case 'integer':
      if (actual !== 'number' || !Number.isInteger(value)) fail();
      return;
    case 'number':
      if (actual !== 'number') fail();
      return;
    case 'quantity':
      if (actual !== 'string' && actual !== 'number') fail();
      return;
    case 'int-or-string':
      if (actual === 'string') return;
      if (actual !== 'number' || !Number.isInteger(value)) fail();
      return;
    case 'object': {
      if (actual !== 'object') return fail();
      const struct = structName(schema) ?? where.struct;
      for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
        const childSchema = schema.properties[key];
        if (childSchema === undefined) continue;
        walkTypes(child, childSchema, { path: join(where.path, key), goPath: join(where.goPath, key), struct }, found);
      }
      return;
    }
    case 'map': {
      if (actual !== 'object') return fail();
      for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
        walkTypes(child, schema.values, { ...where, path: `${where.path}[${key}]` }, found);
      }
      return;
    }
    case 'array': {
      if (actual !== 'array') return fail();
      (value as unknown[]).forEach((item, i) => walkTypes(item, schema.items, { ...where, path: `${where.path}[${i}]` }, found));
      return;
    }
  }
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function jsonKind(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  switch (typeof value) {
    case 'string':
      return 'string';
    case 'number':
      return 'number';
    case 'boolean':
      return 'bool';
    default:
      return 'object';
  }
}

function structName(schema: ObjectSchema): string {
  const name = schema.definitionName;
  return name ? (name.split('.').pop() ?? name) : 'Object';
}

/** How Go names the field's type in its decoding errors. */
function goType(schema: Schema): string {
  switch (schema.type) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'integer':
      return schema.format === 'int64' ? 'int64' : 'int32';
    case 'number':
      return 'float64';
    case 'quantity':
      return 'resource.Quantity';
    case 'int-or-string':
      return 'intstr.IntOrString';
    case 'any':
      return 'interface {}';
    case 'object':
      return goStructType(schema);
    case 'map':
      return `map[string]${goType((schema as MapSchema).values)}`;
    case 'array':
      return `[]${goType((schema as ArraySchema).items)}`;
  }
}

function goStructType(schema: ObjectSchema): string {
  const parts = schema.definitionName?.split('.') ?? [];
  const name = parts.at(-1);
  const version = parts.at(-2);
  return name && version ? `${version}.${name}` : 'map[string]interface {}';
}
