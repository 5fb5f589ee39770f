// get, list and watch. Lists are written by splicing the cached JSON of each
// object into the list envelope, so a large list costs one string join.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { apiVersionOf, type KubeObject } from '@wharf/api';
import { parseCached, type CachedObject } from '../cache/cached-object.js';
import type { ResourceRequest } from '../request-info.js';
import type { RegistryContext } from '../registry/context.js';
import { fromStorageVersion, needsConversion } from '../registry/conversion.js';
import { listObjects } from '../registry/lister.js';
import type { Registry } from '../registry/registry.js';
import { renderTable } from '../table/index.js';
import { negotiate } from './negotiate.js';
import { listQuery, timeoutSeconds } from './query.js';
import { writeBody, writeJson } from './respond.js';
import { serveWatch } from './watch-handler.js';
import type { FieldsOf } from '../cache/cached-object.js';

export interface ReadDeps {
  ctx: RegistryContext;
  registry: Registry;
  fieldsOf: (info: ResourceRequest['info']) => FieldsOf;
}

export async function handleGet(d: ReadDeps, req: IncomingMessage, res: ServerResponse, ri: ResourceRequest, query: URLSearchParams): Promise<void> {
  const obj = await d.registry.get(ri.info, ri.namespace, ri.name!);
  const neg = negotiate(req, query);
  if (neg.table) {
    writeJson(req, res, 200, renderTable(ri.info, [obj], { now: new Date(), includeObject: neg.includeObject }));
    return;
  }
  writeJson(req, res, 200, obj);
}

function itemJson(info: ResourceRequest['info'], c: CachedObject): string {
  return needsConversion(info) ? JSON.stringify(fromStorageVersion(info, parseCached(c))) : c.json;
}

export async function handleList(d: ReadDeps, req: IncomingMessage, res: ServerResponse, ri: ResourceRequest, query: URLSearchParams): Promise<void> {
  const q = listQuery(ri.info, ri.namespace, query);
  const page = await listObjects(d.ctx, ri.info, q, d.fieldsOf(ri.info));
  const neg = negotiate(req, query);
  const meta: Record<string, string> = { resourceVersion: String(page.revision) };
  if (page.continueToken) meta['continue'] = page.continueToken;
  if (neg.table) {
    const objects: KubeObject[] = page.items.map((c) => fromStorageVersion(ri.info, parseCached(c)));
    const table = renderTable(ri.info, objects, { now: new Date(), includeObject: neg.includeObject, listResourceVersion: String(page.revision) }) as { metadata?: Record<string, unknown> };
    table.metadata = { ...(table.metadata ?? {}), ...meta };
    writeJson(req, res, 200, table);
    return;
  }
  const head = `{"kind":"${ri.info.listKind}","apiVersion":"${apiVersionOf(ri.info)}","metadata":${JSON.stringify(meta)},"items":[`;
  const body = head + page.items.map((c) => itemJson(ri.info, c)).join(',') + ']}';
  writeBody(req, res, 200, body);
}

export async function handleWatch(d: ReadDeps, req: IncomingMessage, res: ServerResponse, ri: ResourceRequest, query: URLSearchParams, onClose?: () => void): Promise<void> {
  const q = listQuery(ri.info, ri.namespace, query, ri.name);
  const neg = negotiate(req, query);
  await serveWatch(d.ctx, req, res, {
    info: ri.info,
    query: q,
    resourceVersion: query.get('resourceVersion') ?? undefined,
    allowBookmarks: query.get('allowWatchBookmarks') === 'true',
    timeoutSeconds: timeoutSeconds(query),
    negotiated: neg,
    renderRows: (objects, withColumns) => {
      const table = renderTable(ri.info, objects, { now: new Date(), includeObject: neg.includeObject }) as { columnDefinitions?: unknown[] };
      if (!withColumns) table.columnDefinitions = [];
      return table;
    },
    ...(onClose ? { onClose } : {}),
  });
}
