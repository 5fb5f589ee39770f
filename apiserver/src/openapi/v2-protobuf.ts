// The protobuf form of the v2 document (gnostic's openapi.v2.Document), which
// is the only form kubectl asks for: `Accept: application/com.github.proto-openapi.spec.v2@v1.0+protobuf`.
// Field numbers as in gnostic's OpenAPIv2.proto; only the messages a
// Kubernetes document uses are declared. Extensions and enum values travel as
// YAML text, as gnostic stores them.
import { createHash } from 'node:crypto';
import protobuf from 'protobufjs';
import { stringify as toYaml } from 'yaml';
import type { SwaggerDocument } from './v2-document.js';
import { buildOpenApiV2Document } from './v2-document.js';

/** What kubectl puts in Accept for the protobuf document. */
export const OPENAPI_V2_PROTOBUF_CONTENT_TYPE = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';
/**
 * The Content-Type to answer with: Go's mime parser rejects the '@' of the
 * Accept value, so Kubernetes replies with a plain binary type.
 */
export const OPENAPI_V2_PROTOBUF_RESPONSE_CONTENT_TYPE = 'application/octet-stream';

/** True when an Accept header asks for the protobuf form of /openapi/v2. */
export function acceptsOpenApiV2Protobuf(accept: string | undefined): boolean {
  return (accept ?? '').split(',').some((part) => part.split(';')[0]!.trim() === OPENAPI_V2_PROTOBUF_CONTENT_TYPE);
}

const GNOSTIC_V2_PROTO = `
syntax = "proto3";
package openapi.v2;

message Any { string yaml = 2; }
message NamedAny { string name = 1; Any value = 2; }
message Info { string title = 1; string version = 2; string description = 3; }
message JsonReference { string _ref = 1; string description = 2; }
message TypeItem { repeated string value = 1; }
message ItemsItem { repeated Schema schema = 1; }
message NamedSchema { string name = 1; Schema value = 2; }
message Properties { repeated NamedSchema additional_properties = 1; }
message AdditionalPropertiesItem { oneof oneof { Schema schema = 1; bool boolean = 2; } }
message Schema {
  string _ref = 1;
  string format = 2;
  string title = 3;
  string description = 4;
  Any default = 5;
  bool unique_items = 16;
  repeated string required = 19;
  repeated Any enum = 20;
  AdditionalPropertiesItem additional_properties = 21;
  TypeItem type = 22;
  ItemsItem items = 23;
  repeated Schema all_of = 24;
  Properties properties = 25;
  bool read_only = 27;
  repeated NamedAny vendor_extension = 31;
}
message Definitions { repeated NamedSchema additional_properties = 1; }
message BodyParameter { string description = 1; string name = 2; string in = 3; bool required = 4; Schema schema = 5; repeated NamedAny vendor_extension = 6; }
message QueryParameterSubSchema { bool required = 1; string in = 2; string description = 3; string name = 4; string type = 6; string format = 7; bool unique_items = 20; repeated NamedAny vendor_extension = 23; }
message PathParameterSubSchema { bool required = 1; string in = 2; string description = 3; string name = 4; string type = 5; string format = 6; bool unique_items = 19; repeated NamedAny vendor_extension = 22; }
message NonBodyParameter { oneof oneof { QueryParameterSubSchema query_parameter_sub_schema = 3; PathParameterSubSchema path_parameter_sub_schema = 4; } }
message Parameter { oneof oneof { BodyParameter body_parameter = 1; NonBodyParameter non_body_parameter = 2; } }
message ParametersItem { oneof oneof { Parameter parameter = 1; JsonReference json_reference = 2; } }
message SchemaItem { oneof oneof { Schema schema = 1; } }
message Response { string description = 1; SchemaItem schema = 2; repeated NamedAny vendor_extension = 5; }
message ResponseValue { oneof oneof { Response response = 1; JsonReference json_reference = 2; } }
message NamedResponseValue { string name = 1; ResponseValue value = 2; }
message Responses { repeated NamedResponseValue response_code = 1; repeated NamedAny vendor_extension = 2; }
message Operation {
  repeated string tags = 1;
  string summary = 2;
  string description = 3;
  string operation_id = 5;
  repeated string produces = 6;
  repeated string consumes = 7;
  repeated ParametersItem parameters = 8;
  Responses responses = 9;
  repeated string schemes = 10;
  bool deprecated = 11;
  repeated NamedAny vendor_extension = 13;
}
message PathItem {
  string _ref = 1;
  Operation get = 2;
  Operation put = 3;
  Operation post = 4;
  Operation delete = 5;
  Operation options = 6;
  Operation head = 7;
  Operation patch = 8;
  repeated ParametersItem parameters = 9;
  repeated NamedAny vendor_extension = 10;
}
message NamedPathItem { string name = 1; PathItem value = 2; }
message Paths { repeated NamedAny vendor_extension = 1; repeated NamedPathItem path = 2; }
message ApiKeySecurity { string type = 1; string name = 2; string in = 3; string description = 4; }
message SecurityDefinitionsItem { oneof oneof { ApiKeySecurity api_key_security = 2; } }
message NamedSecurityDefinitionsItem { string name = 1; SecurityDefinitionsItem value = 2; }
message SecurityDefinitions { repeated NamedSecurityDefinitionsItem additional_properties = 1; }
message StringArray { repeated string value = 1; }
message NamedStringArray { string name = 1; StringArray value = 2; }
message SecurityRequirement { repeated NamedStringArray additional_properties = 1; }
message Document {
  string swagger = 1;
  Info info = 2;
  repeated string schemes = 5;
  repeated string consumes = 6;
  repeated string produces = 7;
  Paths paths = 8;
  Definitions definitions = 9;
  repeated SecurityRequirement security = 12;
  SecurityDefinitions security_definitions = 13;
  repeated NamedAny vendor_extension = 16;
}
`;

let root: protobuf.Root | undefined;

export function gnosticRoot(): protobuf.Root {
  if (!root) {
    root = protobuf.parse(GNOSTIC_V2_PROTO, { keepCase: true }).root;
    root.resolveAll();
  }
  return root;
}

type Json = Record<string, unknown>;

function isObj(v: unknown): v is Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function anyOf(value: unknown): Json {
  return { yaml: toYaml(value) };
}

function extensions(obj: Json): Json[] {
  return Object.entries(obj)
    .filter(([k]) => k.startsWith('x-'))
    .map(([name, value]) => ({ name, value: anyOf(value) }));
}

function schemaMessage(s: Json): Json {
  const out: Json = {};
  if (typeof s.$ref === 'string') out._ref = s.$ref;
  if (typeof s.format === 'string') out.format = s.format;
  if (typeof s.description === 'string') out.description = s.description;
  if (typeof s.type === 'string') out.type = { value: [s.type] };
  if (Array.isArray(s.required)) out.required = s.required;
  if (Array.isArray(s.enum)) out.enum = s.enum.map(anyOf);
  if (s.uniqueItems === true) out.unique_items = true;
  if (isObj(s.items)) out.items = { schema: [schemaMessage(s.items)] };
  if (isObj(s.properties)) {
    out.properties = { additional_properties: Object.entries(s.properties).map(([name, v]) => ({ name, value: schemaMessage(isObj(v) ? v : {}) })) };
  }
  if (isObj(s.additionalProperties)) out.additional_properties = { schema: schemaMessage(s.additionalProperties) };
  else if (typeof s.additionalProperties === 'boolean') out.additional_properties = { boolean: s.additionalProperties };
  if (Array.isArray(s.allOf)) out.all_of = s.allOf.filter(isObj).map(schemaMessage);
  const ext = extensions(s);
  if (ext.length > 0) out.vendor_extension = ext;
  return out;
}

function parameterMessage(p: Json): Json {
  if (p.in === 'body') {
    return { parameter: { body_parameter: { name: p.name, in: 'body', required: p.required === true, schema: schemaMessage(isObj(p.schema) ? p.schema : {}), ...(p.description ? { description: p.description } : {}) } } };
  }
  const sub: Json = { name: p.name, in: p.in, required: p.required === true, type: p.type ?? 'string' };
  if (p.description) sub.description = p.description;
  if (p.uniqueItems === true) sub.unique_items = true;
  const key = p.in === 'path' ? 'path_parameter_sub_schema' : 'query_parameter_sub_schema';
  return { parameter: { non_body_parameter: { [key]: sub } } };
}

function operationMessage(op: Json): Json {
  const out: Json = {};
  for (const k of ['tags', 'description', 'produces', 'consumes'] as const) if (op[k] !== undefined) out[k] = op[k];
  if (typeof op.operationId === 'string') out.operation_id = op.operationId;
  if (Array.isArray(op.parameters)) out.parameters = op.parameters.filter(isObj).map(parameterMessage);
  if (isObj(op.responses)) {
    out.responses = {
      response_code: Object.entries(op.responses).map(([name, r]) => {
        const resp = isObj(r) ? r : {};
        const response: Json = { description: resp.description ?? '' };
        if (isObj(resp.schema)) response.schema = { schema: schemaMessage(resp.schema) };
        return { name, value: { response } };
      }),
    };
  }
  const ext = extensions(op);
  if (ext.length > 0) out.vendor_extension = ext;
  return out;
}

/** The Swagger document as a gnostic openapi.v2.Document message object. */
export function documentMessage(doc: SwaggerDocument): Json {
  return {
    swagger: doc.swagger,
    info: doc.info,
    paths: {
      path: Object.entries(doc.paths).map(([name, item]) => {
        const value: Json = {};
        for (const m of ['get', 'put', 'post', 'delete', 'options', 'head', 'patch']) if (isObj(item[m])) value[m] = operationMessage(item[m] as Json);
        if (Array.isArray(item.parameters)) value.parameters = item.parameters.filter(isObj).map(parameterMessage);
        return { name, value };
      }),
    },
    definitions: { additional_properties: Object.entries(doc.definitions).map(([name, s]) => ({ name, value: schemaMessage(s) })) },
    security_definitions: {
      additional_properties: Object.entries(doc.securityDefinitions).map(([name, s]) => ({ name, value: { api_key_security: { type: s.type, name: s.name, in: s.in, description: s.description } } })),
    },
    security: doc.security.map((req) => ({ additional_properties: Object.entries(req).map(([name, value]) => ({ name, value: { value } })) })),
  };
}

export function encodeOpenApiV2(doc: SwaggerDocument): Uint8Array {
  const type = gnosticRoot().lookupType('openapi.v2.Document');
  return type.encode(type.fromObject(documentMessage(doc))).finish();
}

interface Built {
  json: string;
  protobuf: Buffer;
  etag: string;
}

let built: Built | undefined;

/**
 * `GET /openapi/v2`: the document as JSON and as gnostic protobuf (what
 * kubectl requests), built once, with an ETag for conditional requests.
 */
export function openApiV2(): Built {
  if (!built) {
    const doc = buildOpenApiV2Document();
    const json = JSON.stringify(doc);
    built = { json, protobuf: Buffer.from(encodeOpenApiV2(doc)), etag: `"${createHash('sha512').update(json).digest('hex').toUpperCase()}"` };
  }
  return built;
}
