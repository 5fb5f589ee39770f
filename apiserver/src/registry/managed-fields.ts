// Field ownership for non-apply writes: every create, update and patch records
// the fields it changed under its field manager (operation Update), so a later
// server-side apply by another manager sees the conflict.
import { apiVersionOf, schemaFor, updateManagedFields, type KubeObject, type ResourceInfo } from '@wharf/api';
import type { WriteOptions } from './context.js';
import { nowRfc3339 } from './object-meta.js';

export function recordUpdate(info: ResourceInfo, old: KubeObject | undefined, next: KubeObject, options: WriteOptions, subresource?: string): void {
  if (!options.fieldManager || options.managedFieldsSet) return;
  const schema = schemaFor(info.group, info.kind, info.version)?.schema;
  if (!schema) return;
  const updated = updateManagedFields({
    old,
    updated: next,
    manager: options.fieldManager,
    schema,
    apiVersion: apiVersionOf(info),
    now: nowRfc3339(),
    ...(subresource ? { subresource } : {}),
  });
  if (updated.metadata.managedFields) next.metadata.managedFields = updated.metadata.managedFields;
  else delete next.metadata.managedFields;
}
