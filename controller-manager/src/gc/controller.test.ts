import { describe, expect, it } from 'vitest';
import type { KubeObject } from '@wharf/api';
import { R } from '@wharf/client';
import { newFixture } from '../testing/fixture.js';
import { GarbageCollector } from './controller.js';

const rs = (extra: Partial<KubeObject['metadata']> = {}): KubeObject => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'rs', namespace: 'ns', uid: 'rs-uid', ...extra } });
const pod = (name: string, block = false): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'ns', uid: `uid-${name}`, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'rs-uid', controller: true, ...(block ? { blockOwnerDeletion: true } : {}) }] },
});

function gcWith(objs: Array<[typeof R.pods, KubeObject]>) {
  const f = newFixture();
  const gc = new GarbageCollector(f.ctx);
  for (const [res, o] of objs) gc.graph.upsert(res, f.seed(res, o));
  return { f, gc };
}

describe('GarbageCollector', () => {
  it('deletes a dependent whose owner no longer exists (background)', async () => {
    const { f, gc } = gcWith([[R.pods, pod('p')]]);
    f.client.recordReads = true;
    await gc.attemptToDelete('uid-p');
    expect(f.client.summary()).toEqual(['get replicasets ns/rs', 'delete pods ns/p']);
    expect(f.client.actions[1]!.options).toEqual({ propagationPolicy: 'Background', preconditions: { uid: 'uid-p' } });
  });

  it('leaves a dependent alone while its owner exists', async () => {
    const { f, gc } = gcWith([[R.replicasets, rs()], [R.pods, pod('p')]]);
    f.client.recordReads = true;
    await gc.attemptToDelete('uid-p');
    expect(f.client.summary()).toEqual([]);
  });

  it('orphans dependents, then removes the orphan finalizer', async () => {
    const { f, gc } = gcWith([[R.replicasets, rs({ deletionTimestamp: '2024-01-01T00:00:00Z', finalizers: ['orphan'] })], [R.pods, pod('p')]]);
    await gc.attemptToOrphan('rs-uid');
    expect(f.client.summary()).toEqual(['patch pods ns/p', 'patch replicasets ns/rs']);
    expect(f.client.actions[0]!.body).toEqual({ metadata: { ownerReferences: null, uid: 'uid-p' } });
    expect((f.client.actions[1]!.body as { metadata: { finalizers: unknown } }).metadata.finalizers).toBeNull();
  });

  it('foreground: deletes blocking dependents first, then releases the owner', async () => {
    const { f, gc } = gcWith([[R.replicasets, rs({ deletionTimestamp: '2024-01-01T00:00:00Z', finalizers: ['foregroundDeletion'] })], [R.pods, pod('p', true)]]);
    await gc.attemptToDelete('rs-uid');
    expect(f.client.summary()).toEqual([]);
    expect(gc.deleteQueue.length).toBe(1);
    await gc.attemptToDelete('uid-p');
    expect(f.client.summary()).toEqual(['delete pods ns/p']);
    expect(f.client.actions[0]!.options).toMatchObject({ propagationPolicy: 'Background' });
    gc.graph.remove(pod('p'));
    f.client.clearActions();
    await gc.attemptToDelete('rs-uid');
    expect(f.client.summary()).toEqual(['patch replicasets ns/rs']);
  });

  it('foreground: a dependent with dependents of its own is deleted in the foreground and keeps blocking its owner', async () => {
    const { f, gc } = gcWith([
      [R.deployments, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'ns', uid: 'd-uid', deletionTimestamp: '2024-01-01T00:00:00Z', finalizers: ['foregroundDeletion'] } }],
      [R.replicasets, rs({ ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'd', uid: 'd-uid', controller: true, blockOwnerDeletion: true }] })],
      [R.pods, pod('p', true)],
    ]);
    await gc.attemptToDelete('rs-uid');
    expect(f.client.summary()).toEqual(['delete replicasets ns/rs']);
    expect(f.client.actions[0]!.options).toMatchObject({ propagationPolicy: 'Foreground' });
    f.client.clearActions();
    await gc.attemptToDelete('d-uid');
    expect(f.client.summary()).toEqual([]);
  });
});
