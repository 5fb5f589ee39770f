// Turns a URL path and method into what is being asked for, the way
// Kubernetes' RequestInfoFactory does: /api/v1/namespaces/ns/pods/x/status →
// { verb: update, resource: pods, namespace: ns, name: x, subresource: status }.
import { BadRequestError, findResource, type ResourceInfo } from '@wharf/api';

export type RequestVerb =
  | 'get'
  | 'list'
  | 'watch'
  | 'create'
  | 'update'
  | 'patch'
  | 'delete'
  | 'deletecollection'
  | 'connect';

export interface ResourceRequest {
  kind: 'resource';
  verb: RequestVerb;
  group: string;
  version: string;
  info: ResourceInfo;
  namespace: string | undefined;
  name: string | undefined;
  subresource: string | undefined;
}

export interface NonResourceRequest {
  kind: 'nonresource';
  path: string;
}

/** Group and version were recognised but no such resource: discovery or 404. */
export interface GroupVersionRequest {
  kind: 'groupversion';
  group: string;
  version: string;
  rest: string[];
}

export type RequestInfo = ResourceRequest | NonResourceRequest | GroupVersionRequest;

function decodeSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new BadRequestError(`malformed path segment "${s}"`);
  }
}

export function parseRequestInfo(method: string, pathname: string, query: URLSearchParams): RequestInfo {
  const parts = pathname.split('/').filter((p) => p.length > 0).map(decodeSegment);
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === 'api' && parts.length >= 2) {
    group = '';
    version = parts[1]!;
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 3) {
    group = parts[1]!;
    version = parts[2]!;
    rest = parts.slice(3);
  } else {
    return { kind: 'nonresource', path: pathname };
  }
  if (rest.length === 0) return { kind: 'groupversion', group, version, rest };

  let namespace: string | undefined;
  // "namespaces/<ns>/<resource>…" addresses namespaced resources; a bare
  // "namespaces" or "namespaces/<ns>[/status|finalize]" is the Namespace kind itself.
  // …except namespaces/<name>/status and namespaces/<name>/finalize, which are
  // subresources of the Namespace itself (Kubernetes special-cases them too).
  const namespaceSubresource = group === '' && rest[0] === 'namespaces' && rest.length === 3 && (rest[2] === 'status' || rest[2] === 'finalize');
  if (rest[0] === 'namespaces' && rest.length >= 3 && !namespaceSubresource) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [plural, name, subresource, ...extra] = rest;
  const info = plural === undefined ? undefined : findResource(group, version, plural);
  if (!info || extra.length > 0) return { kind: 'groupversion', group, version, rest };
  if (namespace !== undefined && !info.namespaced) return { kind: 'groupversion', group, version, rest };

  const watch = query.get('watch') === 'true' || query.get('watch') === '1';
  let verb: RequestVerb;
  switch (method) {
    case 'GET':
    case 'HEAD':
      verb = name === undefined ? (watch ? 'watch' : 'list') : watch ? 'watch' : 'get';
      break;
    case 'POST':
      verb = 'create';
      break;
    case 'PUT':
      verb = 'update';
      break;
    case 'PATCH':
      verb = 'patch';
      break;
    case 'DELETE':
      verb = name === undefined ? 'deletecollection' : 'delete';
      break;
    default:
      verb = 'connect';
  }
  if (subresource === 'log' || subresource === 'exec' || subresource === 'attach' || subresource === 'portforward' || subresource === 'proxy') {
    verb = 'connect';
  }
  return { kind: 'resource', verb, group, version, info, namespace, name, subresource };
}
