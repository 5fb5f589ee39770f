// create, update, patch, delete and deletecollection, plus the subresources
// that are writes of their parent (status, scale, binding, eviction, finalize).
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  ApiError,
  BadRequestError,
  MethodNotAllowedError,
  NotFoundError,
  UnsupportedMediaTypeError,
  apiVersionOf,
  applyJsonPatch,
  applyMergePatch,
  applyStrategicMergePatch,
  scaleFromObject,
  schemaFor,
  type KubeObject,
  type ResourceInfo,
} from '@wharf/api';
import type { ResourceRequest } from '../request-info.js';
import type { PatchType, RegistryContext, WriteOptions } from '../registry/context.js';
import { deleteObject } from '../registry/deleter.js';
import type { DeleteOptionsBody } from '../registry/kind-hooks.js';
import { listObjects } from '../registry/lister.js';
import type { Registry } from '../registry/registry.js';
import { parseCached, type FieldsOf } from '../cache/cached-object.js';
import { applyServerSide } from './apply.js';
import { decodeObject, decodePatch, mediaType, readBody } from './body.js';
import { listQuery, gracePeriodParam, writeOptions } from './query.js';
import { writeJson, writeObject } from './respond.js';
import { bindPod, setScale } from './subresources.js';
import { checkUnknownFields } from '../registry/write-checks.js';

export interface WriteDeps {
  ctx: RegistryContext;
  registry: Registry;
  fieldsOf: (info: ResourceInfo) => FieldsOf;
}

const PATCH_TYPES: Record<string, PatchType> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
};

function sendWarnings(res: ServerResponse, options: WriteOptions): void {
  if (options.warnings.length === 0) return;
  res.setHeader('Warning', options.warnings.map((w) => `299 - ${JSON.stringify(w)}`));
}

export async function handleCreate(d: WriteDeps, req: IncomingMessage, res: ServerResponse, ri: ResourceRequest, query: URLSearchParams): Promise<void> {
  const body = decodeObject(await readBody(req), mediaType(req));
  const options = writeOptions(query, req.headers['user-agent']);
  if (ri.subresource === 'binding' || (ri.info.kind === 'Binding' && ri.name === undefined)) {
    const podName = ri.subresource === 'binding' ? ri.name! : String((body['metadata'] as { name?: string } | undefined)?.name ?? '');
    await bindPod(d.registry, ri.namespace, podName, body, options);
    writeJson(req, res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
    return;
  }
  if (ri.subresource === 'eviction') {
    const opts = ((body['deleteOptions'] ?? {}) as DeleteOptionsBody);
    await deleteObject(d.registry, d.ctx, ri.info, ri.namespace, ri.name!, opts, options.dryRun);
    writeJson(req, res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
    return;
  }
  if (ri.subresource !== undefined || ri.name !== undefined) throw new MethodNotAllowedError(`the server does not allow this method on the requested resource`);
  checkUnknownFields(ri.info, body, options);
  const created = await d.registry.create(ri.info, ri.namespace, body as KubeObject, options);
  sendWarnings(res, options);
  writeObject(req, res, 201, created);
}

export async function handleUpdate(d: WriteDeps, req: IncomingMessage, res: ServerResponse, ri: ResourceRequest, query: URLSearchParams): Promise<void> {
  const body = decodeObject(await readBody(req), mediaType(req)) as KubeObject;
  const options = writeOptions(query, req.headers['user-agent']);
  const name = ri.name!;
  if (ri.subresource === 'scale') {
    const scale = body as KubeObject & { spec?: { replicas?: number } };
    const updated = await setScale(d.registry, ri, scale, scale.metadata?.resourceVersion, options);
    writeJson(req, res, 200, updated);
    return;
  }
  if (ri.subresource !== undefined && ri.subresource !== 'status' && ri.subresource !== 'finalize') {
    throw new MethodNotAllowedError(`the server does not allow this method on the requested resource`);
  }
  if (ri.subresource === undefined) checkUnknownFields(ri.info, body, options);
  body.metadata ??= {};
  const updated = await d.registry.guaranteedUpdate(
    { info: ri.info, namespace: ri.namespace, name, subresource: ri.subresource, expectedRv: body.metadata.resourceVersion, options },
    () => body,
  );
  sendWarnings(res, options);
  writeObject(req, res, 200, updated);
}

function applyPatch(type: PatchType, info: ResourceInfo, current: KubeObject, patch: unknown): KubeObject {
  if (type === 'merge') return applyMergePatch<KubeObject>(current, patch);
  if (type === 'json') return applyJsonPatch<KubeObject>(current, patch);
  const schema = schemaFor(info.group, info.kind, info.version)?.schema;
  if (!schema) throw new UnsupportedMediaTypeError(`the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml`);
  return applyStrategicMergePatch(current, patch, schema) as KubeObject;
}

export async function handlePatch(d: WriteDeps, req: IncomingMessage, res: ServerResponse, ri: ResourceRequest, query: URLSearchParams): Promise<void> {
  const type = PATCH_TYPES[mediaType(req)];
  if (!type) {
    throw new UnsupportedMediaTypeError(`the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`);
  }
  const patch = decodePatch(await readBody(req), mediaType(req));
  const options = writeOptions(query, req.headers['user-agent'], type);
  if (type === 'apply') {
    const { object, created } = await applyServerSide(d.registry, ri, patch, options);
    sendWarnings(res, options);
    writeObject(req, res, created ? 201 : 200, object);
    return;
  }
  if (type !== 'json' && (patch === null || typeof patch !== 'object' || Array.isArray(patch))) {
    throw new BadRequestError('the patch must be a JSON object');
  }
  // A resourceVersion inside a merge or strategic patch is a precondition.
  const expectedRv = type !== 'json' ? ((patch as { metadata?: { resourceVersion?: string } }).metadata?.resourceVersion) : undefined;
  if (ri.subresource === 'scale') {
    const current = scaleFromObject(await d.registry.get(ri.info, ri.namespace, ri.name!));
    const next = applyPatch(type === 'strategic' ? 'merge' : type, ri.info, current, patch) as KubeObject & { spec?: { replicas?: number } };
    writeJson(req, res, 200, await setScale(d.registry, ri, next, expectedRv, options));
    return;
  }
  if (ri.subresource !== undefined && ri.subresource !== 'status') {
    throw new MethodNotAllowedError(`the server does not allow this method on the requested resource`);
  }
  const updated = await d.registry.guaranteedUpdate(
    { info: ri.info, namespace: ri.namespace, name: ri.name!, subresource: ri.subresource, expectedRv, options },
    (current) => {
      const next = applyPatch(type, ri.info, current, patch);
      if (next === null || typeof next !== 'object' || Array.isArray(next)) throw new BadRequestError('the patch produced something other than an object');
      if (ri.subresource === undefined) checkUnknownFields(ri.info, next, options);
      return next;
    },
  );
  sendWarnings(res, options);
  writeObject(req, res, 200, updated);
}

async function deleteOptions(req: IncomingMessage, query: URLSearchParams): Promise<DeleteOptionsBody> {
  const buf = await readBody(req);
  let opts: DeleteOptionsBody = {};
  if (buf.length > 0) opts = decodeObject(buf, mediaType(req)) as DeleteOptionsBody;
  const grace = gracePeriodParam(query);
  if (grace !== undefined) opts.gracePeriodSeconds = grace;
  const policy = query.get('propagationPolicy');
  if (policy) opts.propagationPolicy = policy as DeleteOptionsBody['propagationPolicy'];
  if (opts.propagationPolicy !== undefined && !['Orphan', 'Background', 'Foreground'].includes(opts.propagationPolicy)) {
    throw new ApiError(422, 'Invalid', `propagationPolicy: Unsupported value: "${opts.propagationPolicy}": supported values: "Foreground", "Background", "Orphan"`);
  }
  if (opts.gracePeriodSeconds !== undefined && opts.gracePeriodSeconds < 0) opts.gracePeriodSeconds = 0;
  return opts;
}

export async function handleDelete(d: WriteDeps, req: IncomingMessage, res: ServerResponse, ri: ResourceRequest, query: URLSearchParams): Promise<void> {
  if (ri.subresource !== undefined) throw new MethodNotAllowedError('the server does not allow this method on the requested resource');
  const opts = await deleteOptions(req, query);
  const dryRun = query.getAll('dryRun').includes('All') || (opts.dryRun ?? []).includes('All');
  const { object, deleted } = await deleteObject(d.registry, d.ctx, ri.info, ri.namespace, ri.name!, opts, dryRun);
  // Kubernetes answers 200 when the object is gone and 202 when deletion is pending.
  writeJson(req, res, deleted ? 200 : 202, object);
}

export async function handleDeleteCollection(d: WriteDeps, req: IncomingMessage, res: ServerResponse, ri: ResourceRequest, query: URLSearchParams): Promise<void> {
  const opts = await deleteOptions(req, query);
  const dryRun = query.getAll('dryRun').includes('All');
  const q = listQuery(ri.info, ri.namespace, query);
  q.limit = undefined;
  q.continueToken = undefined;
  const page = await listObjects(d.ctx, ri.info, q, d.fieldsOf(ri.info));
  const items: KubeObject[] = [];
  for (const c of page.items) {
    const obj = parseCached(c);
    try {
      items.push((await deleteObject(d.registry, d.ctx, ri.info, obj.metadata.namespace, obj.metadata.name!, opts, dryRun)).object);
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
    }
  }
  writeJson(req, res, 200, { kind: ri.info.listKind, apiVersion: apiVersionOf(ri.info), metadata: { resourceVersion: String(d.ctx.cache.revision) }, items });
}
