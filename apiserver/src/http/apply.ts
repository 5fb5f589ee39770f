// Server-side apply (application/apply-patch+yaml): the body is the applier's
// full intent. Missing objects are created; existing ones are merged with field
// ownership tracked in managedFields, and a change to a field another manager
// owns is a 409 unless force=true.
import { BadRequestError, NotFoundError, apiVersionOf, schemaFor, serverSideApply, type KubeObject } from '@wharf/api';
import type { WriteOptions } from '../registry/context.js';
import { nowRfc3339 } from '../registry/object-meta.js';
import type { Registry } from '../registry/registry.js';
import { checkUnknownFields } from '../registry/write-checks.js';
import type { ResourceRequest } from '../request-info.js';

export async function applyServerSide(registry: Registry, ri: ResourceRequest, patch: unknown, options: WriteOptions): Promise<{ object: KubeObject; created: boolean }> {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) throw new BadRequestError('the apply patch must be an object');
  const applied = patch as KubeObject;
  if (!applied.apiVersion || !applied.kind) throw new BadRequestError('apiVersion and kind must be set in an apply patch');
  applied.metadata ??= {};
  if (applied.metadata.name !== undefined && applied.metadata.name !== ri.name) {
    throw new BadRequestError(`the name of the object (${applied.metadata.name}) does not match the name on the URL (${ri.name})`);
  }
  checkUnknownFields(ri.info, applied, options);
  const schema = schemaFor(ri.info.group, ri.info.kind, ri.info.version)?.schema;
  if (!schema) throw new BadRequestError(`server-side apply is not supported for ${ri.info.plural}`);
  const apiVersion = apiVersionOf(ri.info);
  const opts: WriteOptions = { ...options, managedFieldsSet: true };
  const run = (live: KubeObject | undefined) =>
    serverSideApply({ live, applied: structuredClone(applied), manager: options.fieldManager, force: options.force, schema, apiVersion, now: nowRfc3339(), ...(ri.subresource ? { subresource: ri.subresource } : {}) }).object;

  try {
    await registry.get(ri.info, ri.namespace, ri.name!);
  } catch (err) {
    if (!(err instanceof NotFoundError) || ri.subresource !== undefined) throw err;
    const obj = run(undefined);
    obj.metadata.name = ri.name!;
    try {
      return { object: await registry.create(ri.info, ri.namespace, obj, opts), created: true };
    } catch (createErr) {
      // Lost a race with another creator: apply onto what they created.
      if ((createErr as { reason?: string }).reason !== 'AlreadyExists') throw createErr;
    }
  }
  const object = await registry.guaranteedUpdate(
    { info: ri.info, namespace: ri.namespace, name: ri.name!, subresource: ri.subresource, expectedRv: applied.metadata.resourceVersion, options: opts },
    (current) => run(current),
  );
  return { object, created: false };
}
