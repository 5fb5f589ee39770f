import { describe, it, expect } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { acceptsOpenApiV2Protobuf, buildOpenApiV2Document, gnosticRoot, openApiV2, toV2Schema } from './index.js';

type Json = Record<string, any>;

describe('openapi v2 document', () => {
  const doc = buildOpenApiV2Document();

  it('is Swagger 2.0 with #/definitions references that all resolve', () => {
    expect(doc.swagger).toBe('2.0');
    const text = JSON.stringify(doc);
    expect(text).not.toContain('#/components/schemas/');
    expect(text).not.toContain('"oneOf"');
    const refs = [...text.matchAll(/"\$ref":"#\/definitions\/([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(100);
    for (const r of refs) expect(doc.definitions[r], r).toBeDefined();
    expect(doc.definitions['io.k8s.apimachinery.pkg.util.intstr.IntOrString']).toMatchObject({ type: 'string', format: 'int-or-string' });
    expect(doc.definitions['io.k8s.apimachinery.pkg.api.resource.Quantity']).toMatchObject({ type: 'string' });
  });

  it('keeps merge keys and group-version-kinds, and unwraps allOf references', () => {
    const spec = doc.definitions['io.k8s.api.core.v1.PodSpec'] as Json;
    expect(spec.properties.containers).toMatchObject({
      type: 'array',
      items: { $ref: '#/definitions/io.k8s.api.core.v1.Container' },
      'x-kubernetes-patch-merge-key': 'name',
      'x-kubernetes-patch-strategy': 'merge',
    });
    expect((doc.definitions['io.k8s.api.apps.v1.Deployment'] as Json)['x-kubernetes-group-version-kind']).toEqual([{ group: 'apps', kind: 'Deployment', version: 'v1' }]);
    expect(toV2Schema({ allOf: [{ $ref: '#/components/schemas/X' }], description: 'd' })).toEqual({ $ref: '#/definitions/X', description: 'd' });
  });

  it('turns request bodies into body parameters and lists fieldValidation on PATCH', () => {
    const patch = (doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'] as Json).patch;
    expect(patch.consumes).toContain('application/strategic-merge-patch+json');
    expect(patch.parameters[0]).toMatchObject({ name: 'body', in: 'body', required: true });
    expect(patch.parameters.map((p: Json) => p.name)).toEqual(['body', 'dryRun', 'fieldManager', 'fieldValidation', 'force']);
    expect(patch['x-kubernetes-group-version-kind']).toEqual({ group: 'apps', version: 'v1', kind: 'Deployment' });
    expect(patch.responses['200'].schema).toEqual({ $ref: '#/definitions/io.k8s.api.apps.v1.Deployment' });
  });
});

describe('openapi v2 protobuf', () => {
  it('decodes as a gnostic Document in which kubectl finds the fieldValidation parameter by kind', () => {
    const { protobuf } = openApiV2();
    const decoded = gnosticRoot().lookupType('openapi.v2.Document').decode(protobuf) as unknown as Json;
    expect(decoded.swagger).toBe('2.0');
    // The walk kubectl's QueryParamVerifier does over the document.
    const supports = (gvk: Json, param: string) =>
      decoded.paths.path.some((p: Json) => {
        const op = p.value.patch;
        if (!op) return false;
        const ext = (op.vendor_extension ?? []).find((e: Json) => e.name === 'x-kubernetes-group-version-kind');
        if (!ext) return false;
        const got = parseYaml(ext.value.yaml) as Json;
        if (got.group !== gvk.group || got.version !== gvk.version || got.kind !== gvk.kind) return false;
        return op.parameters.some((x: Json) => x.parameter?.non_body_parameter?.query_parameter_sub_schema?.name === param);
      });
    expect(supports({ group: '', version: 'v1', kind: 'ConfigMap' }, 'fieldValidation')).toBe(true);
    expect(supports({ group: 'autoscaling', version: 'v2', kind: 'HorizontalPodAutoscaler' }, 'fieldValidation')).toBe(true);
    expect(supports({ group: 'apps', version: 'v1', kind: 'StatefulSet' }, 'fieldValidation')).toBe(false);
    const container = decoded.definitions.additional_properties.find((d: Json) => d.name === 'io.k8s.api.core.v1.Container').value;
    const ports = container.properties.additional_properties.find((p: Json) => p.name === 'ports').value;
    const ext = Object.fromEntries(ports.vendor_extension.map((e: Json) => [e.name, parseYaml(e.value.yaml)]));
    expect(ext['x-kubernetes-patch-merge-key']).toBe('containerPort');
    expect(ext['x-kubernetes-list-map-keys']).toEqual(['containerPort', 'protocol']);
    expect(ports.items.schema[0]._ref).toBe('#/definitions/io.k8s.api.core.v1.ContainerPort');
  });

  it('recognises kubectl’s Accept header and is built once', () => {
    expect(acceptsOpenApiV2Protobuf('application/com.github.proto-openapi.spec.v2@v1.0+protobuf')).toBe(true);
    expect(acceptsOpenApiV2Protobuf('application/json')).toBe(false);
    expect(openApiV2()).toBe(openApiV2());
    expect(openApiV2().etag).toMatch(/^"[0-9A-F]{128}"$/);
  });
});
