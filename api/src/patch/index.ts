// Public exports of api/src/patch (re-exported by api/src/index.ts).
export { applyMergePatch, createMergePatch } from './merge-patch.js';
export { applyJsonPatch, parseJsonPointer, JsonPatchError, MAX_JSON_PATCH_OPERATIONS, type JsonPatchOperation } from './json-patch.js';
export { applyStrategicMergePatch } from './strategic-merge.js';
export { StrategicMergePatchError } from './strategic-common.js';
export {
  serverSideApply,
  updateManagedFields,
  ApplyConflictError,
  type FieldConflict,
  type ServerSideApplyOptions,
  type ServerSideApplyResult,
  type UpdateManagedFieldsOptions,
} from './server-side-apply.js';
export { FieldSet } from './field-set.js';
export { createTwoWayMergePatch, createThreeWayMergePatch } from './strategic-diff.js';
export { patchTypeOf, applyPatch, PATCH_CONTENT_TYPES, type PatchType } from './patch-type.js';
