// Wharf schema trees → OpenAPI 3.0 schema objects in the shape Kubernetes
// publishes: shared structs become components referenced by `$ref` (wrapped in
// `allOf` when the field carries its own description, as kube-openapi does), and
// list/map/patch metadata travels as the x-kubernetes-* extensions that kubectl
// and server-side apply read.
import type { KindSchema, Schema } from '@wharf/api';

export type OpenApiSchema = Record<string, unknown>;

export const QUANTITY_DEF = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
export const INT_OR_STRING_DEF = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';

export function ref(definitionName: string): { $ref: string } {
  return { $ref: `#/components/schemas/${definitionName}` };
}

/** Definitions every document can reference without a Wharf schema behind them. */
export const BUILTIN_DEFINITIONS: Record<string, OpenApiSchema> = {
  [QUANTITY_DEF]: {
    description:
      'Quantity is a fixed-point representation of a number. It provides convenient marshaling/unmarshaling in JSON and YAML, in addition to String() and AsInt64() accessors. Examples: "100m", "64Mi", "2".',
    oneOf: [{ type: 'string' }, { type: 'number' }],
  },
  [INT_OR_STRING_DEF]: {
    description:
      'IntOrString is a type that can hold an int32 or a string. When used in JSON or YAML marshalling and unmarshalling, it produces or consumes the inner type.',
    format: 'int-or-string',
    oneOf: [{ type: 'integer' }, { type: 'string' }],
  },
};

/** Collects component definitions while schemas are converted. */
export class DefinitionSet {
  readonly definitions = new Map<string, OpenApiSchema>();
  private readonly inProgress = new Set<string>();

  /** Converts `schema`, registering every named struct it contains. */
  convert(schema: Schema, opts: { bareRef?: boolean } = {}): OpenApiSchema {
    switch (schema.type) {
      case 'string': {
        const out: OpenApiSchema = { type: 'string' };
        if (schema.format) out.format = schema.format;
        if (schema.enum) out.enum = [...schema.enum];
        return withDescription(out, schema.description);
      }
      case 'integer':
      case 'number': {
        const out: OpenApiSchema = { type: schema.type };
        if (schema.format) out.format = schema.format;
        return withDescription(out, schema.description);
      }
      case 'boolean':
        return withDescription({ type: 'boolean' }, schema.description);
      case 'quantity':
        this.builtin(QUANTITY_DEF);
        return refWithDescription(QUANTITY_DEF, schema.description);
      case 'int-or-string':
        this.builtin(INT_OR_STRING_DEF);
        return refWithDescription(INT_OR_STRING_DEF, schema.description);
      case 'any':
        return withDescription({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true }, schema.description);
      case 'map': {
        const out: OpenApiSchema = { type: 'object', additionalProperties: this.convert(schema.values) };
        if (schema.mapType) out['x-kubernetes-map-type'] = schema.mapType;
        return withDescription(out, schema.description);
      }
      case 'array': {
        const out: OpenApiSchema = { type: 'array', items: this.convert(schema.items, { bareRef: true }) };
        if (schema.listType) out['x-kubernetes-list-type'] = schema.listType;
        if (schema.listMapKeys) out['x-kubernetes-list-map-keys'] = [...schema.listMapKeys];
        if (schema.patchMergeKey) out['x-kubernetes-patch-merge-key'] = schema.patchMergeKey;
        if (schema.patchStrategy) out['x-kubernetes-patch-strategy'] = schema.patchStrategy;
        return withDescription(out, schema.description);
      }
      case 'object': {
        if (schema.definitionName) {
          const name = schema.definitionName;
          if (!this.definitions.has(name) && !this.inProgress.has(name)) {
            this.inProgress.add(name);
            this.definitions.set(name, this.objectBody(schema));
            this.inProgress.delete(name);
          }
          // A definition first met through a field carries that field's text; repeating
          // it beside the $ref would make kubectl explain print it twice.
          const sameText = this.definitions.get(name)?.description === schema.description;
          return opts.bareRef || sameText ? ref(name) : refWithDescription(name, schema.description);
        }
        return this.objectBody(schema);
      }
    }
  }

  /** Registers a whole kind under its definition name, tagged with its group-version-kind. */
  addKind(kind: KindSchema, version: string): void {
    const body = this.objectBody(kind.schema);
    body['x-kubernetes-group-version-kind'] = [{ group: kind.group, kind: kind.kind, version }];
    this.definitions.set(kind.definitionName, body);
  }

  add(name: string, body: OpenApiSchema): void {
    if (!this.definitions.has(name)) this.definitions.set(name, body);
  }

  private builtin(name: string): void {
    const body = BUILTIN_DEFINITIONS[name];
    if (body) this.add(name, structuredClone(body));
  }

  private objectBody(schema: Extract<Schema, { type: 'object' }>): OpenApiSchema {
    const out: OpenApiSchema = { type: 'object' };
    if (schema.description) out.description = schema.description;
    const properties: Record<string, OpenApiSchema> = {};
    for (const [key, value] of Object.entries(schema.properties)) properties[key] = this.convert(value);
    out.properties = properties;
    if (schema.required && schema.required.length > 0) out.required = [...schema.required];
    if (schema.patchStrategy) out['x-kubernetes-patch-strategy'] = schema.patchStrategy;
    if (schema.mapType) out['x-kubernetes-map-type'] = schema.mapType;
    return out;
  }
}

function withDescription(out: OpenApiSchema, description: string | undefined): OpenApiSchema {
  if (description) out.description = description;
  return out;
}

/** kube-openapi wraps a `$ref` in `allOf` so the field's own description can sit beside it. */
function refWithDescription(name: string, description: string | undefined): OpenApiSchema {
  return description ? { allOf: [ref(name)], description } : ref(name);
}
