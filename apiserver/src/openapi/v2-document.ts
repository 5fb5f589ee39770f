// OpenAPI v2 (Swagger 2.0): the single document older clients read from
// `/openapi/v2`. kubectl 1.27 downloads it before every `apply` to learn that
// the server validates (a PATCH operation per kind listing `fieldValidation`)
// and, like later versions, to compute strategic merge patches from the
// x-kubernetes-patch-* extensions. It is derived from the v3 documents so both
// always describe the same API.
import { GROUP_VERSIONS } from '@wharf/api';
import type { OpenApiSchema } from './convert.js';
import { INT_OR_STRING_DEF, QUANTITY_DEF } from './convert.js';
import { openApiDocument } from './document.js';

export interface SwaggerDocument {
  swagger: '2.0';
  info: { title: string; version: string };
  paths: Record<string, OpenApiSchema>;
  definitions: Record<string, OpenApiSchema>;
  securityDefinitions: Record<string, OpenApiSchema>;
  security: Array<Record<string, string[]>>;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'] as const;

type Json = Record<string, unknown>;

function isObj(v: unknown): v is Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** A v3 schema as Swagger 2.0 spells it. */
export function toV2Schema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(toV2Schema);
  if (!isObj(schema)) return schema;
  const out: Json = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === '$ref' && typeof value === 'string') out.$ref = value.replace('#/components/schemas/', '#/definitions/');
    else if (key === 'oneOf') continue;
    else out[key] = toV2Schema(value);
  }
  // `allOf: [$ref]` exists in v3 only to carry a description next to the reference.
  const allOf = out.allOf;
  if (Array.isArray(allOf) && allOf.length === 1 && isObj(allOf[0]) && typeof allOf[0].$ref === 'string') {
    delete out.allOf;
    out.$ref = allOf[0].$ref;
  }
  return out;
}

/** v2 has no oneOf: Kubernetes publishes Quantity and IntOrString as formatted strings. */
function fixWellKnown(definitions: Record<string, OpenApiSchema>): void {
  const quantity = definitions[QUANTITY_DEF];
  if (quantity) definitions[QUANTITY_DEF] = { description: quantity.description, type: 'string' };
  const intOrString = definitions[INT_OR_STRING_DEF];
  if (intOrString) definitions[INT_OR_STRING_DEF] = { description: intOrString.description, type: 'string', format: 'int-or-string' };
}

function toV2Parameter(p: Json): Json {
  const schema = isObj(p.schema) ? p.schema : {};
  const out: Json = { name: p.name, in: p.in };
  if (p.description) out.description = p.description;
  if (p.in === 'path' || p.required === true) out.required = true;
  if (schema.type) out.type = schema.type;
  if (schema.uniqueItems) out.uniqueItems = true;
  return out;
}

function toV2Operation(op: Json): Json {
  const out: Json = {};
  for (const [k, v] of Object.entries(op)) {
    if (k === 'parameters' || k === 'requestBody' || k === 'responses') continue;
    out[k] = v;
  }
  const parameters: Json[] = [];
  const body = isObj(op.requestBody) ? op.requestBody : undefined;
  if (body && isObj(body.content)) {
    const types = Object.keys(body.content);
    const first = body.content[types[0] ?? ''];
    const schema = isObj(first) ? first.schema : undefined;
    out.consumes = types;
    parameters.push({ name: 'body', in: 'body', required: body.required === true, schema: toV2Schema(schema) });
  }
  for (const p of Array.isArray(op.parameters) ? op.parameters : []) if (isObj(p)) parameters.push(toV2Parameter(p));
  if (parameters.length > 0) out.parameters = parameters;
  const produces = new Set<string>();
  const responses: Json = {};
  for (const [code, r] of Object.entries(isObj(op.responses) ? op.responses : {})) {
    if (!isObj(r)) continue;
    const resp: Json = { description: r.description ?? '' };
    if (isObj(r.content)) {
      for (const t of Object.keys(r.content)) produces.add(t);
      const json = r.content['application/json'] ?? Object.values(r.content)[0];
      if (isObj(json) && json.schema) resp.schema = toV2Schema(json.schema);
    }
    responses[code] = resp;
  }
  if (produces.size > 0) out.produces = [...produces];
  out.responses = responses;
  return out;
}

function toV2PathItem(item: Json): Json {
  const out: Json = {};
  for (const m of METHODS) if (isObj(item[m])) out[m] = toV2Operation(item[m] as Json);
  if (Array.isArray(item.parameters)) out.parameters = item.parameters.filter(isObj).map(toV2Parameter);
  return out;
}

/** Every served group-version in one Swagger 2.0 document. */
export function buildOpenApiV2Document(): SwaggerDocument {
  const paths: Record<string, OpenApiSchema> = {};
  const definitions: Record<string, OpenApiSchema> = {};
  for (const g of GROUP_VERSIONS) {
    for (const v of g.versions) {
      const doc = openApiDocument(g.group, v);
      if (!doc) continue;
      for (const [path, item] of Object.entries(doc.paths)) paths[path] = toV2PathItem(item);
      for (const [name, schema] of Object.entries(doc.components.schemas)) {
        if (!definitions[name]) definitions[name] = toV2Schema(schema) as OpenApiSchema;
      }
    }
  }
  fixWellKnown(definitions);
  const sorted = Object.fromEntries(Object.entries(definitions).sort(([a], [b]) => a.localeCompare(b)));
  return {
    swagger: '2.0',
    info: { title: 'Kubernetes', version: 'v1.32.5' },
    paths,
    definitions: sorted,
    securityDefinitions: { BearerToken: { description: 'Bearer Token authentication', type: 'apiKey', name: 'authorization', in: 'header' } },
    security: [{ BearerToken: [] }],
  };
}
