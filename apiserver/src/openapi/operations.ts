// The paths and operations of one resource, shaped like the Kubernetes
// OpenAPI v3 documents: kubectl finds the PATCH operation by its
// x-kubernetes-group-version-kind and turns on server-side validation when it
// lists the fieldValidation parameter, and uses strategic merge patch when the
// request body offers that content type.
import type { ResourceInfo, SubresourceInfo } from '@wharf/api';
import { ref, type OpenApiSchema } from './convert.js';

export const PATCH_CONTENT_TYPES = [
  'application/apply-patch+yaml',
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
] as const;

/** Subresources that upgrade the connection (streams), described without a body schema. */
export const CONNECT_SUBRESOURCES: ReadonlySet<string> = new Set(['exec', 'attach', 'portforward', 'proxy']);

const RESPONSE_CONTENT_TYPES = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';

type Param = OpenApiSchema;

function query(name: string, description: string, type: 'string' | 'boolean' | 'integer' = 'string'): Param {
  return { name, in: 'query', description, schema: { type, uniqueItems: true } };
}

const P = {
  pretty: query('pretty', "If 'true', then the output is pretty printed."),
  dryRun: query(
    'dryRun',
    'When present, indicates that modifications should not be persisted. An invalid or unrecognized dryRun directive will result in an error response and no further processing of the request. Valid values are: - All: all dry run stages will be processed',
  ),
  fieldManager: query(
    'fieldManager',
    'fieldManager is a name associated with the actor or entity that is making these changes. The value must be less than or 128 characters long, and only contain printable characters, as defined by https://golang.org/pkg/unicode/#IsPrint.',
  ),
  fieldValidation: query(
    'fieldValidation',
    'fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore - Warn - Strict: This will fail the request with a BadRequest error if any unknown fields would be dropped from the object, or if any duplicate fields are present.',
  ),
  force: query(
    'force',
    'Force is going to "force" Apply requests. It means user will re-acquire conflicting fields owned by other people. Force flag must be unset for non-apply patch requests.',
    'boolean',
  ),
  gracePeriodSeconds: query('gracePeriodSeconds', 'The duration in seconds before the object should be deleted.', 'integer'),
  propagationPolicy: query(
    'propagationPolicy',
    "Whether and how garbage collection will be performed. Acceptable values are: 'Orphan', 'Background', 'Foreground'.",
  ),
  list: [
    query('allowWatchBookmarks', 'allowWatchBookmarks requests watch events with type "BOOKMARK".', 'boolean'),
    query('continue', 'The continue option should be set when retrieving more results from the server.'),
    query('fieldSelector', 'A selector to restrict the list of returned objects by their fields. Defaults to everything.'),
    query('labelSelector', 'A selector to restrict the list of returned objects by their labels. Defaults to everything.'),
    query('limit', 'limit is a maximum number of responses to return for a list call.', 'integer'),
    query('resourceVersion', 'resourceVersion sets a constraint on what resource versions a request may be served from.'),
    query('resourceVersionMatch', 'resourceVersionMatch determines how resourceVersion is applied to list calls.'),
    query('sendInitialEvents', '`sendInitialEvents=true` may be set together with `watch=true`.', 'boolean'),
    query('timeoutSeconds', 'Timeout for the list/watch call.', 'integer'),
    query('watch', 'Watch for changes to the described resources and return them as a stream of add, update, and remove notifications.', 'boolean'),
  ],
};

function pathParam(name: string, description: string): Param {
  return { name, in: 'path', description, required: true, schema: { type: 'string', uniqueItems: true } };
}

function content(schema: OpenApiSchema, types: readonly string[] = RESPONSE_CONTENT_TYPES): OpenApiSchema {
  return Object.fromEntries(types.map((t) => [t, { schema }]));
}

function responses(schema: OpenApiSchema, codes: string[]): OpenApiSchema {
  const out: OpenApiSchema = {};
  for (const code of codes) {
    out[code] = { description: code === '201' ? 'Created' : code === '202' ? 'Accepted' : 'OK', content: content(schema) };
  }
  out['401'] = { description: 'Unauthorized' };
  return out;
}

/** Go-style operation id fragment: "" → Core, "coordination.k8s.io" → Coordination, "v1beta1" → V1beta1. */
function groupWord(group: string): string {
  if (!group) return 'Core';
  const first = group.split('.')[0] ?? group;
  return first.charAt(0).toUpperCase() + first.slice(1);
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export interface ResourcePaths {
  /** Path → path item. */
  paths: Record<string, OpenApiSchema>;
}

/** `/api/v1` or `/apis/<group>/<version>`. */
export function groupVersionPrefix(group: string, version: string): string {
  return group ? `/apis/${group}/${version}` : `/api/${version}`;
}

/**
 * Every path of one resource: collection, item, subresources, and the
 * all-namespaces list for namespaced kinds.
 */
export function resourcePaths(info: ResourceInfo, definitionName: string, listDefinitionName: string): Record<string, OpenApiSchema> {
  const prefix = groupVersionPrefix(info.group, info.version);
  const gvk = { group: info.group, version: info.version, kind: info.kind };
  const opBase = `${groupWord(info.group)}${cap(info.version)}`;
  const scoped = info.namespaced ? 'Namespaced' : '';
  const tag = `${info.group ? (info.group.split('.')[0] ?? info.group) : 'core'}_${info.version}`;
  const nsParam = pathParam('namespace', 'object name and auth scope, such as for teams and projects');
  const nameParam = pathParam('name', `name of the ${info.kind}`);
  const objRef = ref(definitionName);
  const has = (v: string) => (info.verbs as string[]).includes(v);
  const paths: Record<string, OpenApiSchema> = {};

  const op = (action: string, verbWord: string, description: string, extra: OpenApiSchema, kindOf = gvk, suffix = ''): OpenApiSchema => ({
    tags: [tag],
    description,
    operationId: `${verbWord}${opBase}${scoped}${info.kind}${suffix}`,
    ...extra,
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': kindOf,
  });
  const writeParams = [P.dryRun, P.fieldManager, P.fieldValidation];
  const patchOp = (schema: OpenApiSchema, kindOf: typeof gvk, suffix: string, what: string): OpenApiSchema =>
    op('patch', 'patch', `partially update ${what}`, {
      parameters: [...writeParams, P.force],
      requestBody: { content: content(ref(`${META}.Patch`), PATCH_CONTENT_TYPES), required: true },
      responses: responses(schema, ['200', '201']),
    }, kindOf, suffix);

  const collection: OpenApiSchema = { parameters: info.namespaced ? [nsParam, P.pretty] : [P.pretty] };
  if (has('list')) {
    collection.get = op('list', 'list', `list or watch objects of kind ${info.kind}`, {
      parameters: P.list,
      responses: responses(ref(listDefinitionName), ['200']),
    });
  }
  if (has('create')) {
    collection.post = op('post', 'create', `create a ${info.kind}`, {
      parameters: writeParams,
      requestBody: { content: content(objRef, ['*/*']), required: true },
      responses: responses(objRef, ['200', '201', '202']),
    });
  }
  if (has('deletecollection')) {
    collection.delete = op('deletecollection', 'deleteCollection', `delete collection of ${info.kind}`, {
      parameters: [...P.list, P.dryRun, P.gracePeriodSeconds, P.propagationPolicy],
      requestBody: { content: content(ref(`${META}.DeleteOptions`), ['*/*']) },
      responses: responses(ref(`${META}.Status`), ['200']),
    });
  }
  const base = info.namespaced ? `${prefix}/namespaces/{namespace}/${info.plural}` : `${prefix}/${info.plural}`;
  if (Object.keys(collection).length > 1) paths[base] = collection;

  const item: OpenApiSchema = { parameters: info.namespaced ? [nameParam, nsParam, P.pretty] : [nameParam, P.pretty] };
  if (has('get')) item.get = op('get', 'read', `read the specified ${info.kind}`, { responses: responses(objRef, ['200']) });
  if (has('update')) {
    item.put = op('put', 'replace', `replace the specified ${info.kind}`, {
      parameters: writeParams,
      requestBody: { content: content(objRef, ['*/*']), required: true },
      responses: responses(objRef, ['200', '201']),
    });
  }
  if (has('patch')) item.patch = patchOp(objRef, gvk, '', `the specified ${info.kind}`);
  if (has('delete')) {
    item.delete = op('delete', 'delete', `delete a ${info.kind}`, {
      parameters: [P.dryRun, P.gracePeriodSeconds, P.propagationPolicy],
      requestBody: { content: content(ref(`${META}.DeleteOptions`), ['*/*']) },
      responses: responses(objRef, ['200', '202']),
    });
  }
  if (Object.keys(item).length > 1) paths[`${base}/{name}`] = item;

  if (info.namespaced && has('list')) {
    paths[`${prefix}/${info.plural}`] = {
      parameters: [P.pretty],
      get: op('list', 'list', `list or watch objects of kind ${info.kind}`, {
        parameters: P.list,
        responses: responses(ref(listDefinitionName), ['200']),
      }, gvk, 'ForAllNamespaces'),
    };
    // The all-namespaces list is not "Namespaced" in Kubernetes' operation ids.
    const get = (paths[`${prefix}/${info.plural}`] as { get: OpenApiSchema }).get;
    get.operationId = `list${opBase}${info.kind}ForAllNamespaces`;
  }

  for (const sub of info.subresources) {
    paths[`${base}/{name}/${sub.name}`] = subresourcePath(info, sub, item.parameters as Param[], op, patchOp, definitionName);
  }
  return paths;
}

type OpFn = (action: string, verbWord: string, description: string, extra: OpenApiSchema, kindOf?: { group: string; version: string; kind: string }, suffix?: string) => OpenApiSchema;
type PatchFn = (schema: OpenApiSchema, kindOf: { group: string; version: string; kind: string }, suffix: string, what: string) => OpenApiSchema;

/** Definition name of a subresource's kind: the parent's for status, Scale for scale, options kinds otherwise. */
export function subresourceDefinition(sub: SubresourceInfo, parentDefinition: string): string {
  if (sub.name === 'status') return parentDefinition;
  const pkg = sub.group === '' ? 'core' : (sub.group.split('.')[0] ?? sub.group);
  return `io.k8s.api.${pkg}.${sub.version}.${sub.kind}`;
}

function subresourcePath(info: ResourceInfo, sub: SubresourceInfo, params: Param[], op: OpFn, patchOp: PatchFn, parentDefinition: string): OpenApiSchema {
  const kindOf = { group: sub.group, version: sub.version, kind: sub.kind };
  const suffix = cap(sub.name);
  const schema = sub.name === 'log' ? { type: 'string' } : ref(subresourceDefinition(sub, parentDefinition));
  const verbs = sub.verbs as string[];
  const what = `${sub.name} of the specified ${info.kind}`;
  const item: OpenApiSchema = { parameters: params };
  const connect = CONNECT_SUBRESOURCES.has(sub.name);
  if (connect) {
    for (const method of ['get', 'post', 'put', 'patch', 'delete']) {
      const verb = method === 'get' ? 'get' : method === 'post' ? 'create' : method === 'put' ? 'update' : method;
      if (!verbs.includes(verb)) continue;
      item[method] = op('connect', `connect${cap(method)}`, `connect ${method.toUpperCase()} requests to ${what}`, {
        responses: { '200': { description: 'OK', content: { '*/*': { schema: { type: 'string' } } } }, '401': { description: 'Unauthorized' } },
      }, kindOf, suffix);
    }
    return item;
  }
  if (verbs.includes('get')) item.get = op('get', 'read', `read ${what}`, { responses: responses(schema, ['200']) }, kindOf, suffix);
  if (verbs.includes('update')) {
    item.put = op('put', 'replace', `replace ${what}`, {
      parameters: [P.dryRun, P.fieldManager, P.fieldValidation],
      requestBody: { content: content(schema, ['*/*']), required: true },
      responses: responses(schema, ['200', '201']),
    }, kindOf, suffix);
  }
  if (verbs.includes('patch')) item.patch = patchOp(schema, kindOf, suffix, what);
  if (verbs.includes('create')) {
    item.post = op('post', 'create', `create ${what}`, {
      parameters: [P.dryRun, P.fieldManager, P.fieldValidation],
      requestBody: { content: content(schema, ['*/*']), required: true },
      responses: responses(schema, ['200', '201', '202']),
    }, kindOf, suffix);
  }
  return item;
}
