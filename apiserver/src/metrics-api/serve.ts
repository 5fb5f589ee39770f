// The seam between the router and the metrics API: the server registers one
// MetricsApi per registry at start-up; the router calls serveMetricsApi for
// every virtual resource. Without a registration the group answers 503 as an
// unavailable aggregated API would.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from '@wharf/api';
import { writeJson } from '../http/respond.js';
import type { ResourceRequest } from '../request-info.js';
import type { MetricsApi } from './metrics-api.js';

const apis = new WeakMap<object, MetricsApi>();

export function registerMetricsApi(registry: object, api: MetricsApi): void {
  apis.set(registry, api);
}

export async function serveMetricsApi(rc: { req: IncomingMessage; res: ServerResponse; registry: object }, info: ResourceRequest, params: URLSearchParams): Promise<void> {
  const api = apis.get(rc.registry);
  if (!api) throw new ApiError(503, 'ServiceUnavailable', `the server is currently unable to handle the request (get ${info.info.plural}.${info.group})`);
  writeJson(rc.req, rc.res, 200, await api.handle(info, params));
}
