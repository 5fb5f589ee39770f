// OpenAPI v3: the root index and one document per served group-version.
export {
  openApiRoot,
  openApiDocument,
  openApiDocumentJson,
  buildOpenApiDocument,
  documentHash,
  openApiPathKey,
  parseOpenApiPath,
  defaultDefinitionName,
  type OpenApiDocument,
  type OpenApiRoot,
} from './document.js';
export { PATCH_CONTENT_TYPES } from './operations.js';
export { lookupIn, defaultKindSchemas, type KindSchemaLookup } from './schema-source.js';
export { DefinitionSet, type OpenApiSchema } from './convert.js';
export { buildOpenApiV2Document, toV2Schema, type SwaggerDocument } from './v2-document.js';
export {
  openApiV2,
  encodeOpenApiV2,
  gnosticRoot,
  acceptsOpenApiV2Protobuf,
  OPENAPI_V2_PROTOBUF_CONTENT_TYPE,
  OPENAPI_V2_PROTOBUF_RESPONSE_CONTENT_TYPE,
} from './v2-protobuf.js';
