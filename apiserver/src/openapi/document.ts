// One OpenAPI v3 document per served group-version, plus the root index
// kubectl reads first (`GET /openapi/v3`) to find each document's URL.
import { createHash } from 'node:crypto';
import { GROUP_VERSIONS, resourcesIn, type KindSchema } from '@wharf/api';
import { DefinitionSet, type OpenApiSchema } from './convert.js';
import { LIST_META_DEF, META_DEFINITIONS, OBJECT_META_DEF, listDefinition, permissiveKind } from './meta-definitions.js';
import { CONNECT_SUBRESOURCES, groupVersionPrefix, resourcePaths, subresourceDefinition } from './operations.js';
import { defaultKindSchemas, lookupIn, type KindSchemaLookup } from './schema-source.js';

export interface OpenApiDocument {
  openapi: '3.0.0';
  info: { title: string; version: string };
  paths: Record<string, OpenApiSchema>;
  components: { schemas: Record<string, OpenApiSchema>; securitySchemes: Record<string, OpenApiSchema> };
}

export interface OpenApiRoot {
  paths: Record<string, { serverRelativeURL: string }>;
}

/** `api/v1`, `apis/apps/v1`: the keys of the root index. */
export function openApiPathKey(group: string, version: string): string {
  return groupVersionPrefix(group, version).slice(1);
}

function pkgOf(group: string): string {
  return group === '' ? 'core' : (group.split('.')[0] ?? group);
}

/** The definition name Kubernetes uses for a kind, when no schema names it. */
export function defaultDefinitionName(group: string, version: string, kind: string): string {
  if (group === 'metrics.k8s.io') return `io.k8s.metrics.pkg.apis.metrics.${version}.${kind}`;
  return `io.k8s.api.${pkgOf(group)}.${version}.${kind}`;
}

function isServed(group: string, version: string): boolean {
  return GROUP_VERSIONS.some((g) => g.group === group && g.versions.includes(version));
}

/** Builds the document; undefined when the group-version is not served. */
export function buildOpenApiDocument(group: string, version: string, lookup: KindSchemaLookup): OpenApiDocument | undefined {
  if (!isServed(group, version)) return undefined;
  const defs = new DefinitionSet();
  const paths: Record<string, OpenApiSchema> = {};
  const kindSchemas = new Map<string, KindSchema | undefined>();
  const schemaOf = (g: string, k: string, v: string) => {
    const key = `${g}/${v}/${k}`;
    if (!kindSchemas.has(key)) kindSchemas.set(key, lookup(g, k, v));
    return kindSchemas.get(key);
  };

  for (const info of resourcesIn(group, version)) {
    const schema = schemaOf(group, info.kind, version);
    const definitionName = schema?.definitionName ?? defaultDefinitionName(group, version, info.kind);
    if (schema) defs.addKind(schema, version);
    else defs.add(definitionName, permissiveKind(`${info.kind} (${info.group || 'core'}/${version})`, info));
    const listDefinitionName = `${definitionName}List`;
    defs.add(listDefinitionName, listDefinition(definitionName, { group, version, kind: info.listKind }));
    Object.assign(paths, resourcePaths(info, definitionName, listDefinitionName));
    for (const sub of info.subresources) {
      if (sub.name === 'status' || sub.name === 'log' || CONNECT_SUBRESOURCES.has(sub.name)) continue;
      const subDef = subresourceDefinition(sub, definitionName);
      const subSchema = schemaOf(sub.group, sub.kind, sub.version);
      if (subSchema && subSchema.definitionName === subDef) defs.addKind(subSchema, sub.version);
      else defs.add(subDef, permissiveKind(`${sub.kind} (${sub.group || 'core'}/${sub.version})`, { group: sub.group, version: sub.version, kind: sub.kind }));
    }
  }
  for (const [name, body] of Object.entries(META_DEFINITIONS)) defs.add(name, structuredClone(body));
  if (!defs.definitions.has(OBJECT_META_DEF)) defs.add(OBJECT_META_DEF, { type: 'object', description: 'ObjectMeta is metadata that all persisted resources must have.', 'x-kubernetes-preserve-unknown-fields': true });
  void LIST_META_DEF;

  const schemas = Object.fromEntries([...defs.definitions.entries()].sort(([a], [b]) => a.localeCompare(b)));
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'v1.32.5' },
    paths,
    components: {
      schemas,
      securitySchemes: {
        BearerToken: { type: 'apiKey', description: 'Bearer Token authentication', name: 'authorization', in: 'header' },
      },
    },
  };
}

/** A stable digest of a document: the `hash` in its serverRelativeURL, and a good ETag. */
export function documentHash(doc: unknown): string {
  return createHash('sha512').update(JSON.stringify(doc)).digest('hex').toUpperCase();
}

interface Built {
  doc: OpenApiDocument;
  json: string;
  hash: string;
}

const cache = new Map<string, Built | null>();

function built(group: string, version: string): Built | undefined {
  const key = `${group}/${version}`;
  if (!cache.has(key)) {
    const doc = buildOpenApiDocument(group, version, lookupIn(defaultKindSchemas()));
    cache.set(key, doc ? { doc, json: JSON.stringify(doc), hash: documentHash(doc) } : null);
  }
  return cache.get(key) ?? undefined;
}

/** `GET /openapi/v3/api/v1`, `GET /openapi/v3/apis/<group>/<version>` (any `hash` query is fine). */
export function openApiDocument(group: string, version: string): OpenApiDocument | undefined {
  const b = built(group, version);
  return b ? (JSON.parse(b.json) as OpenApiDocument) : undefined;
}

/** The serialized document and its hash, for serving without re-encoding each time. */
export function openApiDocumentJson(group: string, version: string): { json: string; hash: string } | undefined {
  const b = built(group, version);
  return b ? { json: b.json, hash: b.hash } : undefined;
}

/** `GET /openapi/v3`: where each group-version document lives. */
export function openApiRoot(): OpenApiRoot {
  const paths: OpenApiRoot['paths'] = {};
  for (const g of GROUP_VERSIONS) {
    for (const v of g.versions) {
      const b = built(g.group, v);
      if (!b) continue;
      const key = openApiPathKey(g.group, v);
      paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${b.hash}` };
    }
  }
  return { paths };
}

/** Parses `api/v1` / `apis/apps/v1` (the part of the URL after /openapi/v3/). */
export function parseOpenApiPath(path: string): { group: string; version: string } | undefined {
  const parts = path.replace(/^\/+|\/+$/g, '').split('/');
  if (parts.length === 2 && parts[0] === 'api' && parts[1]) return { group: '', version: parts[1] };
  if (parts.length === 3 && parts[0] === 'apis' && parts[1] && parts[2]) return { group: parts[1], version: parts[2] };
  return undefined;
}
