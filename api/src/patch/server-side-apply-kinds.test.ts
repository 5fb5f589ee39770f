import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../meta.js';
import { schemaFor } from '../schema/index.js';
import { ApplyConflictError, serverSideApply } from './server-side-apply.js';

const NOW = '2026-11-26T10:00:00Z';

function applyAs(kind: [string, string], live: KubeObject | undefined, applied: KubeObject, manager: string, force = false): KubeObject {
  const schema = schemaFor(kind[0], kind[1])!.schema;
  return serverSideApply({ live, applied, manager, force, schema, apiVersion: applied.apiVersion ?? 'v1', now: NOW }).object;
}

describe('serverSideApply across kinds', () => {
  it('removes labels and annotations the applier stops applying, keeping others', () => {
    const cm = (labels: Record<string, string>, data: Record<string, string>): KubeObject => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cfg', labels },
      data,
    });
    const v1 = applyAs(['', 'ConfigMap'], undefined, cm({ a: '1', b: '2' }, { x: '1', y: '2' }), 'tool');
    const other = applyAs(['', 'ConfigMap'], v1, cm({ c: '3' }, {}), 'other');
    const v2 = applyAs(['', 'ConfigMap'], other, cm({ a: '1' }, { y: '2' }), 'tool');
    expect(v2.metadata.labels).toEqual({ a: '1', c: '3' });
    expect(v2.data).toEqual({ y: '2' });
    expect(v2.metadata.managedFields?.find((m) => m.manager === 'tool')?.fieldsV1).toEqual({
      'f:data': { 'f:y': {} },
      'f:metadata': { 'f:labels': { 'f:a': {} } },
    });
  });

  it('tracks finalizers as a set of values', () => {
    const obj = (finalizers: string[]): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', finalizers } });
    const v1 = applyAs(['', 'ConfigMap'], undefined, obj(['example.com/a']), 'a');
    const v2 = applyAs(['', 'ConfigMap'], v1, obj(['example.com/b']), 'b');
    expect(v2.metadata.finalizers).toEqual(['example.com/a', 'example.com/b']);
    expect(v2.metadata.managedFields?.find((m) => m.manager === 'b')?.fieldsV1).toEqual({
      'f:metadata': { 'f:finalizers': { 'v:"example.com/b"': {} } },
    });
    const v3 = applyAs(['', 'ConfigMap'], v2, obj([]), 'a');
    expect(v3.metadata.finalizers).toEqual(['example.com/b']);
  });

  it('keys Service ports by port and protocol, and names appliers without "using" in conflicts', () => {
    const svc = (ports: Record<string, unknown>[], type = 'ClusterIP'): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web' },
      spec: { type, selector: { app: 'web' }, ports },
    });
    const v1 = applyAs(['', 'Service'], undefined, svc([{ port: 80, targetPort: 8080 }]), 'a');
    expect(JSON.stringify(v1.metadata.managedFields?.[0]?.fieldsV1)).toContain('k:{\\"port\\":80,\\"protocol\\":\\"TCP\\"}');
    const v2 = applyAs(['', 'Service'], v1, svc([{ port: 53, protocol: 'UDP' }]), 'b');
    expect((v2.spec as { ports: unknown[] }).ports).toEqual([{ port: 80, targetPort: 8080 }, { port: 53, protocol: 'UDP' }]);
    let err: unknown;
    try {
      applyAs(['', 'Service'], v2, svc([{ port: 53, protocol: 'UDP' }], 'NodePort'), 'b');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ApplyConflictError);
    expect((err as Error).message).toBe('Apply failed with 1 conflict: conflict with "a": .spec.type');
  });
});
