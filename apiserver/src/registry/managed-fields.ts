// Field ownership for non-apply writes: every create, update and patch records
// the fields it changed under its field manager (operation Update), so a later
// server-side apply by another manager sees the conflict.
import { updateManagedFields, type KubeObject, type ResourceInfo } from '@wharf/api';
import { apiVersionOf } from '@wharf/api';
import type { WriteOptions } from './context.js';
import { nowRfc3339 } from './object-meta.js';

export function recordUpdate(info: ResourceInfo, old: KubeObject | undefined, next: KubeObject, options: WriteOptions, subresource?: string): void {
  if (!options.fieldManager || options.managedFieldsSet) return;
  next.metadata.managedFields = updateManagedFields(old, next, options.fieldManager, 'Update', apiVersionOf(info), nowRfc3339(), subresource);
}
