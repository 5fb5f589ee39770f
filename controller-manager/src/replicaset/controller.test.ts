import { describe, expect, it } from 'vitest';
import type { Pod, ReplicaSet } from '@wharf/api';
import { R } from '@wharf/client';
import { newFixture } from '../testing/fixture.js';
import { ReplicaSetController, calculateStatus } from './controller.js';
import { podsToDelete } from './ranking.js';

const rs = (replicas: number, extra: Partial<ReplicaSet['spec']> = {}): ReplicaSet => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name: 'web', namespace: 'ns', uid: 'rs-uid', generation: 2 },
  spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'i' }] } }, ...extra },
  status: { replicas: 0 },
});

const pod = (name: string, opts: { node?: string; ready?: boolean; phase?: string; owned?: boolean; created?: string; readySince?: string } = {}): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name,
    namespace: 'ns',
    uid: `uid-${name}`,
    labels: { app: 'web' },
    creationTimestamp: opts.created ?? '2024-01-01T00:00:00Z',
    ...(opts.owned === false ? {} : { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: 'rs-uid', controller: true }] }),
  },
  spec: { containers: [{ name: 'c' }], ...(opts.node ? { nodeName: opts.node } : {}) },
  status: {
    phase: (opts.phase ?? 'Running') as 'Running',
    conditions: [{ type: 'Ready', status: opts.ready ? 'True' : 'False', lastTransitionTime: opts.readySince ?? '2024-01-01T00:00:00Z' }],
  },
});

describe('ReplicaSetController', () => {
  it('creates missing pods in slow-start batches, then writes status', async () => {
    const f = newFixture();
    f.seed(R.replicasets, rs(3));
    const c = new ReplicaSetController(f.ctx);
    await c.reconcile('ns/web');
    expect(f.client.summary()).toEqual(['create pods ns', 'create pods ns', 'create pods ns', 'patch replicasets/status ns/web']);
    const created = f.client.actions[0]!.body as Pod;
    expect(created.metadata.generateName).toBe('web-');
    expect(created.metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: 'rs-uid', controller: true, blockOwnerDeletion: true }]);
    expect(f.recorder.events).toEqual(Array.from({ length: 3 }, (_, i) => `Normal SuccessfulCreate Created pod: web-${String(i + 1).padStart(5, '0')}`));
    expect(f.client.actions[3]!.body).toEqual({ status: { replicas: 0, fullyLabeledReplicas: 0, readyReplicas: 0, availableReplicas: 0, observedGeneration: 2, conditions: null } });
  });

  it('does not create again while its creations are unobserved (expectations)', async () => {
    const f = newFixture();
    f.seed(R.replicasets, rs(2));
    const c = new ReplicaSetController(f.ctx);
    await c.reconcile('ns/web');
    f.client.clearActions();
    await c.reconcile('ns/web');
    expect(f.client.summary().filter((a) => a.startsWith('create'))).toEqual([]);
    c.expectations.creationObserved('ns/web');
    c.expectations.creationObserved('ns/web');
    await c.reconcile('ns/web');
    expect(f.client.summary().filter((a) => a.startsWith('create'))).toEqual(['create pods ns', 'create pods ns']);
  });

  it('stops at the first failed batch and reports ReplicaFailure', async () => {
    const f = newFixture();
    f.seed(R.replicasets, rs(5));
    f.client.prependReactor((a) => (a.verb === 'create' && a.resource === 'pods' ? new Error('quota exceeded') : undefined));
    const c = new ReplicaSetController(f.ctx);
    await expect(c.reconcile('ns/web')).rejects.toThrow('quota exceeded');
    expect(f.client.summary()).toEqual(['create pods ns', 'patch replicasets/status ns/web']);
    const status = (f.client.actions[1]!.body as { status: ReplicaSet['status'] }).status!;
    expect(status.conditions?.[0]).toMatchObject({ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'quota exceeded' });
    expect(c.expectations.satisfied('ns/web')).toBe(true);
  });

  it('deletes unscheduled, then not-ready pods first when scaling down', async () => {
    const f = newFixture();
    f.seed(R.replicasets, { ...rs(1), status: { replicas: 3 } });
    f.seed(R.pods, pod('ready', { node: 'n1', ready: true }));
    f.seed(R.pods, pod('notready', { node: 'n1' }));
    f.seed(R.pods, pod('unscheduled', { phase: 'Pending' }));
    const c = new ReplicaSetController(f.ctx);
    await c.reconcile('ns/web');
    expect(f.client.summary()).toEqual(['delete pods ns/unscheduled', 'delete pods ns/notready', 'patch replicasets/status ns/web']);
  });

  it('adopts matching orphans and releases owned pods that stopped matching', async () => {
    const f = newFixture();
    f.seed(R.replicasets, rs(2));
    f.seed(R.pods, pod('orphan', { owned: false, node: 'n1' }));
    const stray = pod('stray', { node: 'n1' });
    stray.metadata.labels = { app: 'other' };
    f.seed(R.pods, stray);
    const c = new ReplicaSetController(f.ctx);
    await c.reconcile('ns/web');
    expect(f.client.summary()).toEqual(['patch pods ns/orphan', 'patch pods ns/stray', 'create pods ns', 'patch replicasets/status ns/web']);
    expect((f.client.actions[1]!.body as { metadata: { ownerReferences: unknown } }).metadata.ownerReferences).toBeNull();
  });

  it('counts available pods only after minReadySeconds and asks to be requeued', async () => {
    const f = newFixture();
    const now = Date.now();
    f.seed(R.replicasets, rs(2, { minReadySeconds: 30 }));
    f.seed(R.pods, pod('old', { node: 'n1', ready: true, readySince: new Date(now - 60_000).toISOString() }));
    f.seed(R.pods, pod('fresh', { node: 'n1', ready: true, readySince: new Date(now - 1_000).toISOString() }));
    const c = new ReplicaSetController(f.ctx);
    expect(await c.reconcile('ns/web')).toEqual({ requeueAfter: 30_000 });
    expect((f.client.actions[0]!.body as { status: ReplicaSet['status'] }).status).toMatchObject({ replicas: 2, readyReplicas: 2, availableReplicas: 1 });
    expect(calculateStatus(rs(2, { minReadySeconds: 30 }), [], undefined).replicas).toBe(0);
  });

  it('ranks co-located pods and newer pods first among equals', () => {
    const a = pod('a', { node: 'n1', ready: true, created: '2024-01-01T00:00:00Z', readySince: '2024-01-01T00:00:00Z' });
    const b = pod('b', { node: 'n2', ready: true, created: '2024-01-02T00:00:00Z', readySince: '2024-01-01T00:00:00Z' });
    const c = pod('c', { node: 'n2', ready: true, created: '2024-01-03T00:00:00Z', readySince: '2024-01-01T00:00:00Z' });
    expect(podsToDelete([a, b, c], [a, b, c], 2).map((p) => p.metadata.name)).toEqual(['c', 'b']);
  });
});
