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
