import { describe, expect, it } from 'vitest';
import { schemaFor } from './kinds.js';
import type { KindSchema } from './schema.js';
import { findTypeErrors, findUnknownFields, strictDecodingMessage } from './unknown-fields.js';
import { deploymentManifest, podManifest } from './testdata/manifests.js';

function kind(group: string, name: string, version?: string): KindSchema {
  const s = schemaFor(group, name, version);
  if (!s) throw new Error(`no schema for ${group}/${name}`);
  return s;
}

const deployment = kind('apps', 'Deployment').schema;
const pod = kind('', 'Pod').schema;

function clone<T>(v: T): T {
  return structuredClone(v);
}

describe('findUnknownFields', () => {
  it('finds nothing in a realistic Deployment and Pod', () => {
    expect(findUnknownFields(deploymentManifest, deployment)).toEqual([]);
    expect(findUnknownFields(podManifest, pod)).toEqual([]);
  });

  it('reports typos with the paths Kubernetes prints, in document order', () => {
    const d = clone(deploymentManifest) as Record<string, any>;
    d.spec.replicass = 3;
    d.spec.template.spec.containers[0].imagee = 'x';
    d.spec.template.spec.containers[0].env[1].valu = 'x';
    d.metadata.labelz = { a: 'b' };
    d.spec.template.spec.volumes[1].emptyDir.sizelimit = '1Gi';
    expect(findUnknownFields(d, deployment)).toEqual([
      'metadata.labelz',
      'spec.template.spec.containers[0].env[1].valu',
      'spec.template.spec.containers[0].imagee',
      'spec.template.spec.volumes[1].emptyDir.sizelimit',
      'spec.replicass',
    ]);
  });

  it('reports a misplaced field at top level', () => {
    expect(findUnknownFields({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, containers: [] }, pod)).toEqual(['containers']);
  });

  it('does not look inside free-form values or label maps', () => {
    const p = clone(podManifest) as Record<string, any>;
    p.metadata.labels['anything.example.com/goes'] = 'yes';
    p.metadata.managedFields[0].fieldsV1 = { 'f:spec': { 'f:whatever': {} } };
    expect(findUnknownFields(p, pod)).toEqual([]);
  });

  it('formats the strict decoding error like the apiserver', () => {
    expect(strictDecodingMessage(['spec.replicass', 'spec.foo'])).toBe(
      'strict decoding error: unknown field "spec.replicass", unknown field "spec.foo"',
    );
  });

  it('knows the fields of both HPA versions separately', () => {
    const v1 = { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'h' }, spec: { maxReplicas: 3, targetCPUUtilizationPercentage: 50, scaleTargetRef: { kind: 'Deployment', name: 'web' } } };
    const v2 = { ...v1, apiVersion: 'autoscaling/v2', spec: { maxReplicas: 3, scaleTargetRef: { kind: 'Deployment', name: 'web' }, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }] } };
    expect(findUnknownFields(v1, kind('autoscaling', 'HorizontalPodAutoscaler', 'v1').schema)).toEqual([]);
    expect(findUnknownFields(v1, kind('autoscaling', 'HorizontalPodAutoscaler', 'v2').schema)).toEqual(['spec.targetCPUUtilizationPercentage']);
    expect(findUnknownFields(v2, kind('autoscaling', 'HorizontalPodAutoscaler', 'v2').schema)).toEqual([]);
    expect(findUnknownFields(v2, kind('autoscaling', 'HorizontalPodAutoscaler', 'v1').schema)).toEqual(['spec.metrics']);
  });
});

describe('findTypeErrors', () => {
  it('accepts realistic manifests, nulls, numbers as quantities and names as ports', () => {
    expect(findTypeErrors(deploymentManifest, deployment)).toEqual([]);
    expect(findTypeErrors(podManifest, pod)).toEqual([]);
  });

  it('reports a string where an integer belongs, with Go’s message', () => {
    const d = clone(deploymentManifest) as Record<string, any>;
    d.spec.replicas = '3';
    const errors = findTypeErrors(d, deployment);
    expect(errors).toEqual([
      {
        path: 'spec.replicas',
        expected: 'integer',
        actual: 'string',
        message: 'json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32',
      },
    ]);
  });

  it('reports nested errors with indexed paths', () => {
    const d = clone(deploymentManifest) as Record<string, any>;
    d.spec.template.spec.containers[0].ports[1].containerPort = '9090';
    d.spec.template.spec.containers[0].env[0].value = 3;
    d.spec.template.spec.containers[0].livenessProbe.tcpSocket.port = 1.5;
    d.spec.paused = 'yes';
    d.spec.template.spec.containers[0].resources.limits.memory = true;
    const byPath = Object.fromEntries(findTypeErrors(d, deployment).map((e) => [e.path, e]));
    expect(Object.keys(byPath).sort()).toEqual([
      'spec.paused',
      'spec.template.spec.containers[0].env[0].value',
      'spec.template.spec.containers[0].livenessProbe.tcpSocket.port',
      'spec.template.spec.containers[0].ports[1].containerPort',
      'spec.template.spec.containers[0].resources.limits[memory]',
    ]);
    expect(byPath['spec.template.spec.containers[0].ports[1].containerPort']?.message).toBe(
      'json: cannot unmarshal string into Go struct field ContainerPort.spec.template.spec.containers.ports.containerPort of type int32',
    );
    expect(byPath['spec.paused']?.actual).toBe('string');
    expect(byPath['spec.paused']?.expected).toBe('boolean');
  });

  it('reports an object where a list belongs', () => {
    const p = clone(podManifest) as Record<string, any>;
    p.spec.containers = { name: 'web' };
    expect(findTypeErrors(p, pod).map((e) => [e.path, e.expected, e.actual])).toEqual([['spec.containers', 'array', 'object']]);
  });
});
