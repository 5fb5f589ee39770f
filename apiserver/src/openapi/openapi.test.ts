import { describe, it, expect } from 'vitest';
import type { KindSchema, ObjectSchema } from '@wharf/api';
import { buildOpenApiDocument, documentHash, lookupIn, openApiDocument, openApiRoot, parseOpenApiPath, PATCH_CONTENT_TYPES } from './index.js';

const objectMeta: ObjectSchema = {
  type: 'object',
  description: 'ObjectMeta is metadata that all persisted resources must have.',
  definitionName: 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
  properties: { name: { type: 'string' }, labels: { type: 'map', values: { type: 'string' } } },
};
const container: ObjectSchema = {
  type: 'object',
  description: 'A single application container that you want to run within a pod.',
  definitionName: 'io.k8s.api.core.v1.Container',
  required: ['name'],
  properties: {
    name: { type: 'string', description: 'Name of the container.' },
    image: { type: 'string', description: 'Container image name.' },
    ports: {
      type: 'array',
      description: 'List of ports to expose from the container.',
      items: { type: 'object', properties: { containerPort: { type: 'integer', format: 'int32' } } },
      listType: 'map',
      listMapKeys: ['containerPort', 'protocol'],
      patchStrategy: 'merge',
      patchMergeKey: 'containerPort',
    },
    resources: {
      type: 'object',
      properties: { limits: { type: 'map', values: { type: 'quantity' } } },
    },
  },
};
const podSpec: ObjectSchema = {
  type: 'object',
  description: 'PodSpec is a description of a pod.',
  definitionName: 'io.k8s.api.core.v1.PodSpec',
  properties: {
    containers: { type: 'array', items: container, listType: 'map', listMapKeys: ['name'], patchStrategy: 'merge', patchMergeKey: 'name', description: 'List of containers belonging to the pod.' },
  },
};
const pod: KindSchema = {
  group: '',
  kind: 'Pod',
  definitionName: 'io.k8s.api.core.v1.Pod',
  schema: {
    type: 'object',
    description: 'Pod is a collection of containers that can run on a host.',
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { ...objectMeta, description: "Standard object's metadata." },
      spec: { ...podSpec, description: 'Specification of the desired behavior of the pod.' },
      overhead: { ...podSpec, description: 'Another use of the same struct.' },
    },
  },
};

describe('openapi v3 documents', () => {
  const doc = buildOpenApiDocument('', 'v1', lookupIn([pod]))!;
  const schemas = doc.components.schemas;

  it('publishes kinds with their group-version-kind and shared definitions by $ref', () => {
    const podDef = schemas['io.k8s.api.core.v1.Pod']!;
    expect(podDef['x-kubernetes-group-version-kind']).toEqual([{ group: '', kind: 'Pod', version: 'v1' }]);
    const props = podDef.properties as Record<string, Record<string, unknown>>;
    // The first use registers the definition with its text, so it is a bare $ref;
    // other uses keep their own description beside it, wrapped in allOf.
    expect(props.spec).toEqual({ $ref: '#/components/schemas/io.k8s.api.core.v1.PodSpec' });
    expect(props.overhead).toEqual({ allOf: [{ $ref: '#/components/schemas/io.k8s.api.core.v1.PodSpec' }], description: 'Another use of the same struct.' });
    expect(props.metadata).toEqual({ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' });
    const containers = (schemas['io.k8s.api.core.v1.PodSpec']!.properties as Record<string, Record<string, unknown>>).containers!;
    expect(containers).toMatchObject({
      type: 'array',
      items: { $ref: '#/components/schemas/io.k8s.api.core.v1.Container' },
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['name'],
      'x-kubernetes-patch-merge-key': 'name',
      'x-kubernetes-patch-strategy': 'merge',
    });
    const containerDef = schemas['io.k8s.api.core.v1.Container']!;
    expect(containerDef.description).toBe('A single application container that you want to run within a pod.');
    expect(containerDef.required).toEqual(['name']);
    const limits = ((containerDef.properties as Record<string, Record<string, unknown>>).resources!.properties as Record<string, Record<string, unknown>>).limits!;
    expect(limits.additionalProperties).toEqual({ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.api.resource.Quantity' });
    expect(schemas['io.k8s.apimachinery.pkg.api.resource.Quantity']).toBeDefined();
    expect(schemas['io.k8s.api.core.v1.PodList']!['x-kubernetes-group-version-kind']).toEqual([{ group: '', kind: 'PodList', version: 'v1' }]);
  });

  it('every $ref resolves inside the document', () => {
    const refs = JSON.stringify(doc).match(/"\$ref":"#\/components\/schemas\/[^"]+"/g) ?? [];
    expect(refs.length).toBeGreaterThan(10);
    for (const r of refs) {
      const name = r.slice('"$ref":"#/components/schemas/'.length, -1);
      expect(schemas[name], name).toBeDefined();
    }
  });

  it('has the PATCH operation kubectl looks for before validating server-side', () => {
    const item = doc.paths['/api/v1/namespaces/{namespace}/pods/{name}']!;
    const patch = item.patch as Record<string, unknown>;
    expect(patch['x-kubernetes-group-version-kind']).toEqual({ group: '', version: 'v1', kind: 'Pod' });
    const params = patch.parameters as Array<{ name: string; in: string }>;
    for (const name of ['fieldValidation', 'dryRun', 'fieldManager', 'force']) expect(params).toContainEqual(expect.objectContaining({ name, in: 'query' }));
    const body = patch.requestBody as { content: Record<string, unknown> };
    expect(Object.keys(body.content).sort()).toEqual([...PATCH_CONTENT_TYPES].sort());
    expect(Object.keys(item).sort()).toEqual(['delete', 'get', 'parameters', 'patch', 'put']);
    expect(Object.keys(doc.paths['/api/v1/namespaces/{namespace}/pods']!).sort()).toEqual(['delete', 'get', 'parameters', 'post']);
    expect(doc.paths['/api/v1/pods']!.get).toBeDefined();
    expect(doc.paths['/api/v1/nodes/{name}']!.patch).toBeDefined();
    expect(doc.paths['/api/v1/namespaces/{namespace}/pods/{name}/log']!.get).toBeDefined();
    expect(doc.paths['/api/v1/namespaces/{namespace}/pods/{name}/status']!.patch).toBeDefined();
  });

  it('describes the scale subresource with the Scale kind', () => {
    const apps = openApiDocument('apps', 'v1')!;
    const scale = apps.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale']!;
    expect((scale.patch as Record<string, unknown>)['x-kubernetes-group-version-kind']).toEqual({ group: 'autoscaling', version: 'v1', kind: 'Scale' });
    expect(apps.components.schemas['io.k8s.api.autoscaling.v1.Scale']).toBeDefined();
    expect(apps.components.schemas['io.k8s.api.apps.v1.Deployment']!['x-kubernetes-group-version-kind']).toEqual([{ group: 'apps', kind: 'Deployment', version: 'v1' }]);
  });

  it('returns nothing for unserved group-versions', () => {
    expect(openApiDocument('apps', 'v2')).toBeUndefined();
    expect(buildOpenApiDocument('nope', 'v1', () => undefined)).toBeUndefined();
  });
});

describe('openapi v3 root', () => {
  it('lists every served group-version with a hash of its document', () => {
    const root = openApiRoot();
    expect(Object.keys(root.paths)).toEqual([
      'api/v1',
      'apis/apps/v1',
      'apis/autoscaling/v2',
      'apis/autoscaling/v1',
      'apis/coordination.k8s.io/v1',
      'apis/discovery.k8s.io/v1',
      'apis/metrics.k8s.io/v1beta1',
    ]);
    const apps = root.paths['apis/apps/v1']!.serverRelativeURL;
    expect(apps).toBe(`/openapi/v3/apis/apps/v1?hash=${documentHash(openApiDocument('apps', 'v1'))}`);
    expect(apps).toMatch(/^\/openapi\/v3\/apis\/apps\/v1\?hash=[0-9A-F]{128}$/);
    expect(openApiRoot()).toEqual(root);
  });

  it('parses document paths', () => {
    expect(parseOpenApiPath('api/v1')).toEqual({ group: '', version: 'v1' });
    expect(parseOpenApiPath('/apis/apps/v1')).toEqual({ group: 'apps', version: 'v1' });
    expect(parseOpenApiPath('apis/apps')).toBeUndefined();
  });
});
