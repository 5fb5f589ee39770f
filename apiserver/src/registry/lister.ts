// Lists are served from the watch cache. resourceVersion semantics follow
// Kubernetes: unset → consistent (wait until the cache has every write the
// store has acknowledged), "0" → whatever the cache holds now, N → not older
// than N (or exactly N with resourceVersionMatch=Exact, read from the store).
// The first page of a paginated list comes from the cache; later pages read the
// store as of the first page's revision, so pages form one snapshot.
import { BadRequestError, GoneError, ApiError, storagePrefix, type FieldMatcher, type LabelMatcher, type ResourceInfo } from '@wharf/api';
import { toCachedObject, type CachedObject, type FieldsOf } from '../cache/cached-object.js';
import { CompactedError } from '../storage/errors.js';
import type { RegistryContext } from './context.js';

export interface ListQuery {
  namespace: string | undefined;
  labels: LabelMatcher | undefined;
  fields: FieldMatcher | undefined;
  limit: number | undefined;
  continueToken: string | undefined;
  resourceVersion: string | undefined;
  resourceVersionMatch: string | undefined;
}

export interface ListPage {
  revision: number;
  items: CachedObject[];
  continueToken?: string;
}

interface ContinueToken {
  v: string;
  rv: number;
  start: string;
}

function encodeContinue(rv: number, start: string): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv, start } satisfies ContinueToken)).toString('base64url');
}

function decodeContinue(token: string): ContinueToken {
  try {
    const t = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as ContinueToken;
    if (t.v !== 'meta.k8s.io/v1' || typeof t.rv !== 'number' || typeof t.start !== 'string') throw new Error('bad');
    return t;
  } catch {
    throw new BadRequestError('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  }
}

export function matchesQuery(obj: CachedObject, q: Pick<ListQuery, 'namespace' | 'labels' | 'fields'>): boolean {
  if (q.namespace !== undefined && obj.namespace !== q.namespace) return false;
  if (q.labels && !q.labels.empty && !q.labels.matches(obj.labels)) return false;
  if (q.fields && !q.fields.empty && !q.fields.matches(obj.fields)) return false;
  return true;
}

function parseRv(rv: string): number {
  if (!/^\d+$/.test(rv)) throw new ApiError(400, 'BadRequest', `Invalid value: "${rv}": resourceVersion must be a non-negative integer`);
  return Number(rv);
}

export async function listObjects(ctx: RegistryContext, info: ResourceInfo, q: ListQuery, fieldsOf: FieldsOf): Promise<ListPage> {
  const prefix = storagePrefix(info);
  const scope = info.namespaced && q.namespace !== undefined ? `${prefix}${q.namespace}/` : prefix;
  const limit = q.limit && q.limit > 0 ? q.limit : undefined;

  if (q.continueToken) {
    const token = decodeContinue(q.continueToken);
    return listFromStore(ctx, scope, token.rv, token.start, limit, q, fieldsOf);
  }

  if (q.resourceVersionMatch === 'Exact' && q.resourceVersion && q.resourceVersion !== '0') {
    return listFromStore(ctx, scope, parseRv(q.resourceVersion), undefined, limit, q, fieldsOf);
  }

  let revision: number;
  if (q.resourceVersion === undefined || q.resourceVersion === '') {
    revision = await ctx.cache.sync();
  } else if (q.resourceVersion === '0') {
    await ctx.cache.start();
    revision = ctx.cache.revision;
  } else {
    const wanted = parseRv(q.resourceVersion);
    try {
      await ctx.cache.waitForRevision(wanted);
    } catch {
      throw new ApiError(504, 'Timeout', `Too large resource version: ${wanted}, current: ${ctx.cache.revision}`, { causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }], retryAfterSeconds: 1 });
    }
    revision = ctx.cache.revision;
  }

  const cache = ctx.cache.resource(prefix);
  const candidates = scope === prefix ? cache.list() : cache.listPrefix(scope);
  const items: CachedObject[] = [];
  for (let i = 0; i < candidates.length; i++) {
    const obj = candidates[i]!;
    if (!matchesQuery(obj, q)) continue;
    if (limit !== undefined && items.length === limit) {
      return { revision, items, continueToken: encodeContinue(revision, items[items.length - 1]!.key) };
    }
    items.push(obj);
  }
  return { revision, items };
}

async function listFromStore(
  ctx: RegistryContext,
  scope: string,
  revision: number,
  startAfter: string | undefined,
  limit: number | undefined,
  q: ListQuery,
  fieldsOf: FieldsOf,
): Promise<ListPage> {
  const items: CachedObject[] = [];
  let cursor = startAfter;
  try {
    for (;;) {
      const page = await ctx.storage.list(scope, { revision, ...(cursor !== undefined ? { startAfter: cursor } : {}), ...(limit !== undefined ? { limit: Math.max(limit, 100) } : {}) });
      for (const kv of page.kvs) {
        const obj = toCachedObject(kv, fieldsOf);
        cursor = kv.key;
        if (!matchesQuery(obj, q)) continue;
        if (limit !== undefined && items.length === limit) {
          return { revision, items, continueToken: encodeContinue(revision, items[items.length - 1]!.key) };
        }
        items.push(obj);
      }
      if (!page.more || page.kvs.length === 0) return { revision, items };
    }
  } catch (err) {
    if (err instanceof CompactedError) {
      throw new GoneError('The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.');
    }
    throw err;
  }
}
