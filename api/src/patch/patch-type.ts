// Which engine a PATCH request body goes to, by its Content-Type, with the
// apiserver's 415 for anything else.
import { UnsupportedMediaTypeError } from '../errors.js';
import type { ObjectSchema } from '../schema/schema.js';
import { applyJsonPatch } from './json-patch.js';
import { applyMergePatch } from './merge-patch.js';
import { applyStrategicMergePatch } from './strategic-merge.js';

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

export const PATCH_CONTENT_TYPES: Readonly<Record<string, PatchType>> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
};

function unsupported(accepted: string[]): UnsupportedMediaTypeError {
  return new UnsupportedMediaTypeError(`the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`);
}

/**
 * The patch type of a request's Content-Type (parameters ignored). Kinds
 * without a schema (`strategic: false`) accept no strategic merge patch.
 */
export function patchTypeOf(contentType: string | undefined, opts: { strategic?: boolean } = {}): PatchType {
  const accepted = Object.keys(PATCH_CONTENT_TYPES).filter((t) => opts.strategic !== false || PATCH_CONTENT_TYPES[t] !== 'strategic');
  const mediaType = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (!accepted.includes(mediaType)) throw unsupported(accepted);
  return PATCH_CONTENT_TYPES[mediaType] as PatchType;
}

/**
 * Applies a decoded json, merge or strategic patch body to `original`.
 * (Apply patches need the field manager: use serverSideApply.)
 */
export function applyPatch(type: Exclude<PatchType, 'apply'>, original: unknown, patch: unknown, schema: ObjectSchema | undefined): unknown {
  switch (type) {
    case 'json':
      return applyJsonPatch(original, patch);
    case 'merge':
      return applyMergePatch(original, patch);
    case 'strategic':
      if (!schema) throw unsupported(Object.keys(PATCH_CONTENT_TYPES).filter((t) => PATCH_CONTENT_TYPES[t] !== 'strategic'));
      return applyStrategicMergePatch(original, patch, schema);
  }
}
