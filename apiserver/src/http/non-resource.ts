// Paths that are not resources: health, version, discovery, OpenAPI, metrics.
import { NotFoundError } from '@wharf/api';
import { AGGREGATED_DISCOVERY_CONTENT_TYPE, acceptsAggregatedDiscovery, aggregatedDiscovery, apiGroupList, apiResourceList, apiVersions, findApiGroup } from '../discovery/index.js';
import { OPENAPI_V2_PROTOBUF_RESPONSE_CONTENT_TYPE, acceptsOpenApiV2Protobuf, openApiDocumentJson, openApiRoot, openApiV2, parseOpenApiPath } from '../openapi/index.js';
import type { RequestInfo } from '../request-info.js';
import { writeBody, writeJson } from './respond.js';
import type { RouteContext } from './router.js';

/** What `kubectl version` shows; minor "32" keeps the gcloud kubectl dispatcher on the reference client. */
export const VERSION_INFO = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.0-wharf',
  gitCommit: 'wharf',
  gitTreeState: 'clean',
  buildDate: '2026-11-26T00:00:00Z',
  goVersion: `node${process.versions.node}`,
  compiler: 'tsc',
  platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
};

export async function serveNonResource(rc: RouteContext, path: string, info: RequestInfo): Promise<number> {
  const { req, res } = rc;
  if (/^\/(healthz|livez|readyz)(\/.*)?$/.test(path)) {
    const ready = !rc.draining();
    writeBody(req, res, ready ? 200 : 503, ready ? 'ok' : 'shutting down', 'text/plain; charset=utf-8');
    return res.statusCode;
  }
  if (path === '/version') {
    writeJson(req, res, 200, VERSION_INFO);
    return 200;
  }
  if (path === '/metrics') {
    writeBody(req, res, 200, await rc.metrics.registry.metrics(), rc.metrics.registry.contentType);
    return 200;
  }
  if (path === '/api' || path === '/apis') {
    if (acceptsAggregatedDiscovery(req.headers.accept)) {
      writeBody(req, res, 200, JSON.stringify(aggregatedDiscovery(path === '/api' ? 'core' : 'apis')), AGGREGATED_DISCOVERY_CONTENT_TYPE);
    } else {
      writeJson(req, res, 200, path === '/api' ? apiVersions() : apiGroupList());
    }
    return 200;
  }
  if (path === '/openapi/v2') {
    const doc = openApiV2();
    res.setHeader('ETag', doc.etag);
    if (req.headers['if-none-match'] === doc.etag) {
      res.statusCode = 304;
      res.end();
      return 304;
    }
    if (acceptsOpenApiV2Protobuf(req.headers.accept)) {
      res.statusCode = 200;
      res.setHeader('Content-Type', OPENAPI_V2_PROTOBUF_RESPONSE_CONTENT_TYPE);
      res.setHeader('Content-Length', doc.protobuf.length);
      res.end(doc.protobuf);
      return 200;
    }
    writeBody(req, res, 200, doc.json);
    return 200;
  }
  if (path === '/openapi/v3') {
    writeJson(req, res, 200, openApiRoot());
    return 200;
  }
  if (path.startsWith('/openapi/v3/')) {
    const gv = parseOpenApiPath(path.slice('/openapi/v3/'.length));
    const doc = gv && openApiDocumentJson(gv.group, gv.version);
    if (!doc) throw new NotFoundError('openapi', path);
    writeBody(req, res, 200, doc.json);
    return 200;
  }
  if (info.kind === 'groupversion' && info.rest.length === 0) {
    const list = apiResourceList(info.group, info.version);
    if (!list) throw new NotFoundError('groupversion', `${info.group}/${info.version}`);
    writeJson(req, res, 200, list);
    return 200;
  }
  const groupMatch = /^\/apis\/([^/]+)$/.exec(path);
  if (groupMatch) {
    const group = findApiGroup(groupMatch[1]!);
    if (group) {
      writeJson(req, res, 200, group);
      return 200;
    }
  }
  writeJson(req, res, 404, {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: 'the server could not find the requested resource',
    reason: 'NotFound',
    details: {},
    code: 404,
  });
  return 404;
}
