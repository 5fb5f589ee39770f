// Public exports of api/src/schema (re-exported by api/src/index.ts).
export * from './schema.js';
export { ALL_KIND_SCHEMAS, schemaFor } from './kinds.js';
export { findUnknownFields, findTypeErrors, strictDecodingMessage, type FieldTypeError } from './unknown-fields.js';
export {
  objectMetaSchema,
  labelSelectorSchema,
  ownerReferenceSchema,
  managedFieldsEntrySchema,
  objectReferenceSchema,
  localObjectReferenceSchema,
} from './meta.js';
export { podSpecSchema, podTemplateSpecSchema, podStatusSchema } from './pod.js';
export { containerSchema } from './container.js';
export { volumeSchema } from './volume.js';
