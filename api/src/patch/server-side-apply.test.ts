import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../meta.js';
import { schemaFor } from '../schema/index.js';
import { ApplyConflictError, serverSideApply, updateManagedFields } from './server-side-apply.js';

const deploymentSchema = schemaFor('apps', 'Deployment')!.schema;
const T0 = '2026-11-26T10:00:00Z';
const T1 = '2026-11-26T11:00:00Z';
const T2 = '2026-11-26T12:00:00Z';

interface Opts {
  replicas?: number;
  image?: string;
  env?: { name: string; value: string }[];
  ports?: { containerPort: number; protocol?: string }[];
}

/** The manifest a user keeps in git. */
function manifest(o: Opts = {}): KubeObject {
  const container: Record<string, unknown> = { name: 'app', image: o.image ?? 'nginx:1.25' };
  if (o.env) container.env = o.env;
  if (o.ports) container.ports = o.ports;
  const spec: Record<string, unknown> = {
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [container] } },
  };
  if (o.replicas !== undefined) spec.replicas = o.replicas;
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } }, spec };
}

function apply(live: KubeObject | undefined, applied: KubeObject, manager = 'kubectl', force = false, now = T1): KubeObject {
  return serverSideApply({ live, applied, manager, force, schema: deploymentSchema, apiVersion: 'apps/v1', now }).object;
}

/** What the apiserver adds on create: identity and server-set metadata. */
function stored(obj: KubeObject): KubeObject {
  return { ...obj, metadata: { ...obj.metadata, uid: 'u-1', resourceVersion: '1', generation: 1, creationTimestamp: T0 } };
}

function container(obj: KubeObject): Record<string, unknown> {
  const spec = obj.spec as { template: { spec: { containers: Record<string, unknown>[] } } };
  return spec.template.spec.containers[0] ?? {};
}

function conflictOf(run: () => unknown): ApplyConflictError {
  try {
    run();
  } catch (err) {
    if (err instanceof ApplyConflictError) return err;
    throw err;
  }
  throw new Error('expected an apply conflict');
}

describe('serverSideApply on a Deployment', () => {
  it('creates the object and records exactly the applied fields', () => {
    const obj = apply(undefined, manifest({ replicas: 2, ports: [{ containerPort: 80 }] }));
    expect(obj).toMatchObject({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' } });
    expect((obj.spec as { replicas: number }).replicas).toBe(2);
    expect(obj.metadata.managedFields).toEqual([
      {
        manager: 'kubectl',
        operation: 'Apply',
        apiVersion: 'apps/v1',
        time: T1,
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:metadata': { 'f:labels': { 'f:app': {} } },
          'f:spec': {
            'f:replicas': {},
            'f:selector': {},
            'f:template': {
              'f:metadata': { 'f:labels': { 'f:app': {} } },
              'f:spec': {
                'f:containers': {
                  'k:{"name":"app"}': {
                    '.': {},
                    'f:image': {},
                    'f:name': {},
                    'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } },
                  },
                },
              },
            },
          },
        },
      },
    ]);
  });

  it('changes replicas and image on re-apply without conflicts with itself', () => {
    const live = stored(apply(undefined, manifest({ replicas: 2 })));
    const out = apply(live, manifest({ replicas: 3, image: 'nginx:1.26' }), 'kubectl', false, T2);
    expect((out.spec as { replicas: number }).replicas).toBe(3);
    expect(container(out).image).toBe('nginx:1.26');
    expect(out.metadata.uid).toBe('u-1');
    expect(out.metadata.managedFields?.[0]?.time).toBe(T2);
  });

  it('adds an env var, then removes it when the manifest drops it', () => {
    const v1 = stored(apply(undefined, manifest({ env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] })));
    expect(container(v1).env).toEqual([{ name: 'A', value: '1' }, { name: 'B', value: '2' }]);
    const v2 = apply(v1, manifest({ env: [{ name: 'A', value: '1' }] }));
    expect(container(v2).env).toEqual([{ name: 'A', value: '1' }]);
    const v3 = apply(v2, manifest({}));
    expect(container(v3).env).toBeUndefined();
    expect(container(v3)).toEqual({ name: 'app', image: 'nginx:1.25' });
  });

  it('adds and removes container ports, matching items by containerPort and defaulted protocol', () => {
    // The live object carries the defaulted protocol; the manifest does not.
    const created = apply(undefined, manifest({ ports: [{ containerPort: 80 }] }));
    const live = stored(created);
    (container(live).ports as Record<string, unknown>[])[0]!.protocol = 'TCP';
    const two = apply(live, manifest({ ports: [{ containerPort: 80 }, { containerPort: 443 }] }));
    expect(container(two).ports).toEqual([{ containerPort: 80, protocol: 'TCP' }, { containerPort: 443 }]);
    const one = apply(two, manifest({ ports: [{ containerPort: 443 }] }));
    expect(container(one).ports).toEqual([{ containerPort: 443 }]);
  });

  it('fails with 409 when another manager owns a field it changes, and force takes it over', () => {
    const live = stored(apply(undefined, manifest({ replicas: 2 })));
    // An autoscaler writes replicas with an ordinary update.
    const scaled = updateManagedFields({
      old: live,
      updated: { ...live, spec: { ...(live.spec as object), replicas: 5 } },
      manager: 'hpa-controller',
      schema: deploymentSchema,
      apiVersion: 'apps/v1',
      now: T1,
    });
    const err = conflictOf(() => apply(scaled, manifest({ replicas: 3 }), 'kubectl', false, T2));
    expect(err.code).toBe(409);
    expect(err.reason).toBe('Conflict');
    expect(err.message).toBe('Apply failed with 1 conflict: conflict with "hpa-controller" using apps/v1: .spec.replicas');
    expect(err.toStatus().details?.causes).toEqual([
      { reason: 'FieldManagerConflict', message: 'conflict with "hpa-controller" using apps/v1', field: '.spec.replicas' },
    ]);

    const forced = serverSideApply({ live: scaled, applied: manifest({ replicas: 3 }), manager: 'kubectl', force: true, schema: deploymentSchema, apiVersion: 'apps/v1', now: T2 });
    expect((forced.object.spec as { replicas: number }).replicas).toBe(3);
    expect(forced.conflicts.map((c) => c.field)).toEqual(['.spec.replicas']);
    // The autoscaler lost replicas, so its entry (which held nothing else) is gone.
    expect(forced.object.metadata.managedFields?.map((m) => m.manager)).toEqual(['kubectl']);
  });

  it('shares ownership when another manager applies the same value, and keeps a field the other still applies', () => {
    const live = stored(apply(undefined, manifest({ replicas: 2 })));
    const shared = apply(live, manifest({ replicas: 2 }), 'argo');
    expect(shared.metadata.managedFields?.map((m) => m.manager)).toEqual(['argo', 'kubectl']);
    // kubectl stops applying replicas: argo still owns it, so the value stays.
    const out = apply(shared, manifest({}), 'kubectl', false, T2);
    expect((out.spec as { replicas?: number }).replicas).toBe(2);
    // argo stops too: now nobody owns replicas and it is removed.
    const gone = apply(out, manifest({}), 'argo', false, T2);
    expect((gone.spec as { replicas?: number }).replicas).toBeUndefined();
  });

  it('keeps fields other writers added (annotations, status) when the applier re-applies', () => {
    const live = stored(apply(undefined, manifest({ replicas: 2 })));
    const annotated = updateManagedFields({
      old: live,
      updated: { ...live, metadata: { ...live.metadata, annotations: { note: 'x' } } },
      manager: 'kubectl-annotate',
      schema: deploymentSchema,
      apiVersion: 'apps/v1',
      now: T1,
    });
    const withStatus = { ...annotated, status: { replicas: 2 } };
    const out = apply(withStatus, manifest({ replicas: 4 }), 'kubectl', false, T2);
    expect(out.metadata.annotations).toEqual({ note: 'x' });
    expect(out.status).toEqual({ replicas: 2 });
    expect(out.metadata.managedFields?.find((m) => m.manager === 'kubectl-annotate')?.fieldsV1).toEqual({
      'f:metadata': { 'f:annotations': { '.': {}, 'f:note': {} } },
    });
  });

  it('lists every conflicting field of a client-side-applied object', () => {
    const created = updateManagedFields({
      old: undefined,
      updated: stored(manifest({ replicas: 2 })),
      manager: 'kubectl-client-side-apply',
      schema: deploymentSchema,
      apiVersion: 'apps/v1',
      now: T0,
    });
    const fields = created.metadata.managedFields?.[0]?.fieldsV1 as Record<string, Record<string, unknown>>;
    expect(fields['f:spec']?.['f:template']).toMatchObject({
      'f:spec': { 'f:containers': { 'k:{"name":"app"}': { '.': {}, 'f:image': {}, 'f:name': {} } } },
    });
    const err = conflictOf(() => apply(created, manifest({ replicas: 3, image: 'nginx:2' })));
    expect(err.message).toBe(
      'Apply failed with 2 conflicts: conflicts with "kubectl-client-side-apply" using apps/v1:\n' +
        '- .spec.replicas\n' +
        '- .spec.template.spec.containers[name="app"].image',
    );
    expect(err.conflicts.map((c) => c.field)).toEqual(['.spec.replicas', '.spec.template.spec.containers[name="app"].image']);
  });

  it('treats an object without managedFields as owned by before-first-apply', () => {
    const legacy = stored(manifest({ replicas: 1 }));
    const err = conflictOf(() => apply(legacy, manifest({ replicas: 2 })));
    expect(err.message).toContain('conflict with "before-first-apply" using apps/v1: .spec.replicas');
    // The same values do not conflict.
    expect(() => apply(legacy, manifest({ replicas: 1 }))).not.toThrow();
  });

  it('leaves managedFields untouched by a no-op apply', () => {
    const live = stored(apply(undefined, manifest({ replicas: 2 }), 'kubectl', false, T1));
    const again = apply(live, manifest({ replicas: 2 }), 'kubectl', false, T2);
    expect(again).toEqual(live);
  });

  it('refuses applied managedFields and a missing field manager', () => {
    const bad = manifest();
    bad.metadata.managedFields = [{ manager: 'x' }];
    expect(() => apply(undefined, bad)).toThrow('metadata.managedFields must be nil');
    expect(() => apply(undefined, manifest(), '')).toThrow('fieldManager');
  });
});

describe('updateManagedFields', () => {
  it('moves ownership of changed fields to the writer and drops removed ones from everyone', () => {
    const live = stored(apply(undefined, manifest({ replicas: 2, env: [{ name: 'A', value: '1' }] })));
    const edited = structuredClone(live);
    (edited.spec as { replicas: number }).replicas = 7;
    delete container(edited).env;
    const out = updateManagedFields({ old: live, updated: edited, manager: 'kubectl-edit', schema: deploymentSchema, apiVersion: 'apps/v1', now: T2 });
    const byName = Object.fromEntries((out.metadata.managedFields ?? []).map((m) => [m.manager, m]));
    expect(byName['kubectl-edit']).toMatchObject({ operation: 'Update', time: T2, fieldsV1: { 'f:spec': { 'f:replicas': {} } } });
    const applied = JSON.stringify(byName.kubectl?.fieldsV1);
    expect(applied).not.toContain('f:replicas');
    expect(applied).not.toContain('f:env');
    expect(applied).toContain('f:image');
  });

  it('records status writes under the status subresource and ignores status on the main resource', () => {
    const live = stored(apply(undefined, manifest({ replicas: 2 })));
    const main = updateManagedFields({ old: live, updated: { ...live, status: { replicas: 9 } }, manager: 'x', schema: deploymentSchema, apiVersion: 'apps/v1', now: T1 });
    expect(main.metadata.managedFields?.map((m) => m.manager)).toEqual(['kubectl']);
    const status = updateManagedFields({
      old: live,
      updated: { ...live, status: { replicas: 2, readyReplicas: 2 } },
      manager: 'kube-controller-manager',
      schema: deploymentSchema,
      apiVersion: 'apps/v1',
      now: T1,
      subresource: 'status',
    });
    expect(status.metadata.managedFields?.[1]).toEqual({
      manager: 'kube-controller-manager',
      operation: 'Update',
      apiVersion: 'apps/v1',
      time: T1,
      fieldsType: 'FieldsV1',
      fieldsV1: { 'f:status': { 'f:readyReplicas': {}, 'f:replicas': {} } },
      subresource: 'status',
    });
  });

  it('resets managed fields when the client sends an empty list', () => {
    const live = stored(apply(undefined, manifest({ replicas: 2 })));
    const out = updateManagedFields({
      old: live,
      updated: { ...live, metadata: { ...live.metadata, managedFields: [] } },
      manager: 'kubectl-replace',
      schema: deploymentSchema,
      apiVersion: 'apps/v1',
      now: T1,
    });
    expect(out.metadata.managedFields).toBeUndefined();
  });
});
