// Every request passes here: health and version without credentials, then
// authentication, then discovery/OpenAPI/metrics or a resource verb. Each
// request is counted and timed by verb and resource.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { MethodNotAllowedError, NotFoundError, UnauthorizedError, scaleFromObject, type Logger, type ResourceInfo } from '@wharf/api';
import type { Authenticator } from '../auth.js';
import type { FieldsOf } from '../cache/cached-object.js';
import type { ApiMetrics } from '../metrics.js';
import type { RegistryContext } from '../registry/context.js';
import type { Registry } from '../registry/registry.js';
import { parseRequestInfo, type RequestInfo } from '../request-info.js';
import { serveMetricsApi } from '../metrics-api/serve.js';
import { serveNonResource } from './non-resource.js';
import { handleGet, handleList, handleWatch } from './read-handlers.js';
import { toApiError, writeError, writeJson } from './respond.js';
import { handleCreate, handleDelete, handleDeleteCollection, handlePatch, handleUpdate } from './write-handlers.js';

export interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  ctx: RegistryContext;
  registry: Registry;
  metrics: ApiMetrics;
  authenticator: Authenticator | undefined;
  fieldsOf: (info: ResourceInfo) => FieldsOf;
  log: Logger;
  draining: () => boolean;
}

const UNAUTHENTICATED = /^\/(healthz|livez|readyz|version)(\/.*)?$/;

export async function route(rc: RouteContext): Promise<void> {
  const { req, res, metrics } = rc;
  const started = process.hrtime.bigint();
  let labels = { verb: req.method ?? 'GET', group: '', resource: '', subresource: '' };
  let code = 200;
  try {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
    if (!UNAUTHENTICATED.test(path) && rc.authenticator && !rc.authenticator.authenticate(req)) {
      throw new UnauthorizedError();
    }
    const info: RequestInfo = parseRequestInfo(req.method ?? 'GET', path, url.searchParams);
    if (info.kind !== 'resource') {
      labels = { ...labels, verb: req.method ?? 'GET', resource: info.kind === 'nonresource' ? path : '' };
      code = await serveNonResource(rc, path, info);
      return;
    }
    labels = { verb: info.verb.toUpperCase(), group: info.group, resource: info.info.plural, subresource: info.subresource ?? '' };
    if (info.info.virtual) {
      await serveMetricsApi(rc, info, url.searchParams);
      code = res.statusCode;
      return;
    }
    if (!info.info.verbs.includes(info.verb as never) && info.verb !== 'connect' && info.subresource === undefined) {
      throw new MethodNotAllowedError(`the server does not allow this method on the requested resource`);
    }
    const d = { ctx: rc.ctx, registry: rc.registry, fieldsOf: rc.fieldsOf };
    switch (info.verb) {
      case 'get':
        if (info.subresource === 'scale') {
          const obj = await rc.registry.get(info.info, info.namespace, info.name!);
          writeJson(req, res, 200, scaleFromObject(obj));
        } else if (info.subresource !== undefined && info.subresource !== 'status') {
          throw new MethodNotAllowedError(`the server does not allow this method on the requested resource`);
        } else {
          await handleGet(d, req, res, info, url.searchParams);
        }
        break;
      case 'list':
        await handleList(d, req, res, info, url.searchParams);
        break;
      case 'watch': {
        const gauge = metrics.watchers.labels(info.group, info.info.plural);
        gauge.inc();
        await handleWatch(d, req, res, info, url.searchParams, () => gauge.dec());
        break;
      }
      case 'create':
        await handleCreate(d, req, res, info, url.searchParams);
        break;
      case 'update':
        await handleUpdate(d, req, res, info, url.searchParams);
        break;
      case 'patch':
        await handlePatch(d, req, res, info, url.searchParams);
        break;
      case 'delete':
        await handleDelete(d, req, res, info, url.searchParams);
        break;
      case 'deletecollection':
        await handleDeleteCollection(d, req, res, info, url.searchParams);
        break;
      case 'connect':
        await serveConnect(rc, info.info, info.subresource);
        break;
    }
    code = res.statusCode;
  } catch (err) {
    const apiErr = toApiError(err);
    if (apiErr.code >= 500) rc.log.error('request failed', { method: req.method, url: req.url, err });
    code = writeError(req, res, apiErr);
  } finally {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    metrics.requests.inc({ ...labels, code: String(code) });
    if (labels.verb !== 'WATCH') metrics.latency.observe(labels, seconds);
  }
}

/** log, exec, attach, port-forward and proxy reach the node agent; until one registers a handler they are unavailable. */
export const connectHandlers = new Map<string, (rc: RouteContext) => Promise<void>>();

async function serveConnect(rc: RouteContext, info: ResourceInfo, subresource: string | undefined): Promise<void> {
  const handler = connectHandlers.get(`${info.plural}/${subresource ?? ''}`);
  if (!handler) throw new NotFoundError(`${info.plural}/${subresource ?? ''}`, '', info.group);
  await handler(rc);
}

export interface UpgradeContext {
  req: IncomingMessage;
  socket: import('node:stream').Duplex;
  head: Buffer;
  registry: Registry;
  authenticator: Authenticator | undefined;
  log: Logger;
}

function rawStatus(socket: import('node:stream').Duplex, err: unknown): void {
  const apiErr = toApiError(err);
  const body = JSON.stringify(apiErr.toStatus());
  socket.end(`HTTP/1.1 ${apiErr.code} ${apiErr.reason}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
}

/** WebSocket upgrades (pods/exec, attach, portforward): authenticate, then hand the socket to the connect handler. */
export async function routeUpgrade(uc: UpgradeContext): Promise<void> {
  try {
    const url = new URL(uc.req.url ?? '/', 'http://localhost');
    if (uc.authenticator && !uc.authenticator.authenticate(uc.req)) throw new UnauthorizedError();
    const info = parseRequestInfo('GET', url.pathname, url.searchParams);
    if (info.kind !== 'resource' || info.verb !== 'connect') throw new NotFoundError('upgrade', url.pathname);
    const handler = connectHandlers.get(`${info.info.plural}/${info.subresource ?? ''}`);
    if (!handler) throw new NotFoundError(`${info.info.plural}/${info.subresource ?? ''}`, info.name ?? '');
    await handler({ req: uc.req, head: uc.head, registry: uc.registry } as unknown as RouteContext);
  } catch (err) {
    if (toApiError(err).code >= 500) uc.log.error('upgrade failed', { url: uc.req.url, err });
    rawStatus(uc.socket, err);
  }
}
