// The seam between the router and the metrics API: the server registers one
// MetricsApi per registry at start-up; the router calls serveMetricsApi for
// every virtual resource. Without a registration the group answers 503 as an
// unavailable aggregated API would. `kubectl get podmetrics` asks for a Table,
// rendered by the same printers as every other resource.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, type KubeObject } from '@wharf/api';
import { negotiate } from '../http/negotiate.js';
import { writeJson } from '../http/respond.js';
import type { ResourceRequest } from '../request-info.js';
import { renderTable } from '../table/index.js';
import type { MetricsApi } from './metrics-api.js';

const apis = new WeakMap<object, MetricsApi>();

export function registerMetricsApi(registry: object, api: MetricsApi): void {
  apis.set(registry, api);
}

export async function serveMetricsApi(rc: { req: IncomingMessage; res: ServerResponse; registry: object }, info: ResourceRequest, params: URLSearchParams): Promise<void> {
  const api = apis.get(rc.registry);
  if (!api) throw new ApiError(503, 'ServiceUnavailable', `the server is currently unable to handle the request (get ${info.info.plural}.${info.group})`);
  const body = (await api.handle(info, params)) as KubeObject & { items?: KubeObject[] };
  const neg = negotiate(rc.req, params);
  if (neg.table) {
    writeJson(rc.req, rc.res, 200, renderTable(info.info, body.items ?? [body], { now: new Date(), includeObject: neg.includeObject }));
    return;
  }
  writeJson(rc.req, rc.res, 200, body);
}
