// Strict decoding: the fields a body carries that the kind's schema does not
// know, and the values whose JSON type cannot decode into the field. Paths and
// messages follow what the Kubernetes apiserver prints, so kubectl users see the
// same errors (`strict decoding error: unknown field "spec.replicass"`).
import type { ArraySchema, MapSchema, ObjectSchema, Schema } from './schema.js';

/** Every field of `obj` that `schema` does not declare, as `spec.template.spec.containers[0].imagee`. */
export function findUnknownFields(obj: unknown, schema: ObjectSchema): string[] {
  return findDecodingProblems(obj, schema).unknownFields;
}

/** The `strict decoding error: unknown field "a", unknown field "b"` text Kubernetes reports. */
export function strictDecodingMessage(unknownFields: readonly string[]): string {
  return `strict decoding error: ${unknownFields.map((f) => `unknown field "${f}"`).join(', ')}`;
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
  return findDecodingProblems(obj, schema).typeErrors;
}

export interface DecodingProblems {
  typeErrors: FieldTypeError[];
  /** As findUnknownFields reports them. */
  unknownFields: string[];
}

/**
 * findTypeErrors and findUnknownFields in one walk of the body — every write
 * needs both. Paths are kept as segment stacks and joined only for a finding.
 */
export function findDecodingProblems(obj: unknown, schema: ObjectSchema): DecodingProblems {
  const walk = new DecodingWalk();
  walk.visit(obj, schema, structName(schema));
  return { typeErrors: walk.typeErrors, unknownFields: walk.unknownFields };
}

class DecodingWalk {
  readonly typeErrors: FieldTypeError[] = [];
  readonly unknownFields: string[] = [];
  /** Path segments (`a`, `.b`, `[0]`) and Go field-path segments, with the joined lengths. */
  private readonly path: string[] = [];
  private pathLen = 0;
  private readonly goPath: string[] = [];
  private goLen = 0;

  visit(value: unknown, schema: Schema, struct: string): void {
    if (value === null || value === undefined) return;
    switch (schema.type) {
      case 'any':
        return;
      case 'string':
        if (typeof value !== 'string') this.fail(value, schema, struct);
        return;
      case 'boolean':
        if (typeof value !== 'boolean') this.fail(value, schema, struct);
        return;
      case 'integer':
        if (typeof value !== 'number' || !Number.isInteger(value)) this.fail(value, schema, struct);
        return;
      case 'number':
        if (typeof value !== 'number') this.fail(value, schema, struct);
        return;
      case 'quantity':
        if (typeof value !== 'string' && typeof value !== 'number') this.fail(value, schema, struct);
        return;
      case 'int-or-string':
        if (typeof value === 'string') return;
        if (typeof value !== 'number' || !Number.isInteger(value)) this.fail(value, schema, struct);
        return;
      case 'object': {
        if (typeof value !== 'object' || Array.isArray(value)) return this.fail(value, schema, struct);
        const inner = structName(schema);
        const props = schema.properties;
        const o = value as Record<string, unknown>;
        for (const key of Object.keys(o)) {
          const seg = this.pathLen > 0 ? `.${key}` : key;
          const goSeg = this.goLen > 0 ? `.${key}` : key;
          this.path.push(seg);
          this.pathLen += seg.length;
          const childSchema = props[key];
          if (childSchema === undefined) {
            this.unknownFields.push(this.path.join(''));
          } else {
            this.goPath.push(goSeg);
            this.goLen += goSeg.length;
            this.visit(o[key], childSchema, inner);
            this.goPath.pop();
            this.goLen -= goSeg.length;
          }
          this.path.pop();
          this.pathLen -= seg.length;
        }
        return;
      }
      case 'map': {
        if (typeof value !== 'object' || Array.isArray(value)) return this.fail(value, schema, struct);
        const o = value as Record<string, unknown>;
        for (const key of Object.keys(o)) this.nested(`[${key}]`, o[key], schema.values, struct);
        return;
      }
      case 'array': {
        if (!Array.isArray(value)) return this.fail(value, schema, struct);
        for (let i = 0; i < value.length; i++) this.nested(`[${i}]`, value[i], schema.items, struct);
        return;
      }
    }
  }

  private nested(seg: string, value: unknown, schema: Schema, struct: string): void {
    this.path.push(seg);
    this.pathLen += seg.length;
    this.visit(value, schema, struct);
    this.path.pop();
    this.pathLen -= seg.length;
  }

  private fail(value: unknown, schema: Schema, struct: string): void {
    const actual = jsonKind(value);
    const what = actual === 'number' ? `number ${String(value)}` : actual;
    const goPath = this.goPath.join('');
    const field = goPath ? ` into Go struct field ${struct}.${goPath}` : ' into Go value';
    this.typeErrors.push({ path: this.path.join(''), expected: schema.type, actual, message: `json: cannot unmarshal ${what}${field} of type ${goType(schema)}` });
  }
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

const structNames = new WeakMap<ObjectSchema, string>();

function structName(schema: ObjectSchema): string {
  let s = structNames.get(schema);
  if (s === undefined) {
    const name = schema.definitionName;
    s = name ? (name.split('.').pop() ?? name) : 'Object';
    structNames.set(schema, s);
  }
  return s;
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
