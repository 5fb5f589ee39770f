import { describe, expect, it } from 'vitest';
import type { Deployment, ReplicaSet } from '@wharf/api';
import { R } from '@wharf/client';
import { newFixture } from '../testing/fixture.js';
import { DeploymentController } from './controller.js';
import { computeHash, equalIgnoreHash, maxUnavailable, resolveFenceposts } from './util.js';

const template = (image: string) => ({ metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image }] } });

const deployment = (replicas: number, image: string, extra: Partial<Deployment['spec']> = {}): Deployment => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'ns', uid: 'd-uid', generation: 1 },
  spec: {
    replicas,
    selector: { matchLabels: { app: 'web' } },
    template: template(image),
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
    progressDeadlineSeconds: 600,
    revisionHistoryLimit: 10,
    ...extra,
  },
});

function ownedRS(name: string, image: string, replicas: number, available: number, revision: string, created: string): ReplicaSet {
  const hash = computeHash(template(image));
  const t = template(image);
  t.metadata.labels = { ...t.metadata.labels, 'pod-template-hash': hash } as { app: string };
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name,
      namespace: 'ns',
      uid: `uid-${name}`,
      creationTimestamp: created,
      labels: t.metadata.labels,
      annotations: { 'deployment.kubernetes.io/revision': revision, 'deployment.kubernetes.io/desired-replicas': '3', 'deployment.kubernetes.io/max-replicas': '4' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'd-uid', controller: true }],
    },
    spec: { replicas, selector: { matchLabels: { app: 'web', 'pod-template-hash': hash } }, template: t },
    status: { replicas, readyReplicas: available, availableReplicas: available, observedGeneration: 1 },
  };
}

describe('DeploymentController', () => {
  it('creates the first ReplicaSet named by pod-template-hash with revision 1', async () => {
    const f = newFixture();
    f.seed(R.deployments, deployment(3, 'v1'));
    await new DeploymentController(f.ctx).reconcile('ns/web');
    expect(f.client.summary()).toEqual(['create replicasets ns', 'patch deployments ns/web', 'patch deployments/status ns/web', 'patch deployments/status ns/web']);
    const rs = f.client.actions[0]!.body as ReplicaSet;
    const hash = computeHash(template('v1'));
    expect(rs.metadata.name).toBe(`web-${hash}`);
    expect(rs.spec?.replicas).toBe(3);
    expect(rs.spec?.selector.matchLabels).toEqual({ app: 'web', 'pod-template-hash': hash });
    expect(rs.metadata.annotations).toEqual({ 'deployment.kubernetes.io/revision': '1', 'deployment.kubernetes.io/desired-replicas': '3', 'deployment.kubernetes.io/max-replicas': '4' });
    expect(f.client.actions[1]!.body).toEqual({ metadata: { annotations: { 'deployment.kubernetes.io/revision': '1' } } });
    expect(f.recorder.events).toEqual([`Normal ScalingReplicaSet Scaled up replica set web-${hash} from 0 to 3`]);
    const last = (f.client.actions[3]!.body as { status: Deployment['status'] }).status!;
    expect(last).toMatchObject({ observedGeneration: 1, replicas: 0, updatedReplicas: 0, availableReplicas: 0, unavailableReplicas: 3 });
    expect(last.conditions?.map((c) => `${c.type}=${c.status}/${c.reason}`).sort()).toEqual(['Available=False/MinimumReplicasUnavailable', 'Progressing=True/NewReplicaSetCreated']);
  });

  it('surges one new pod and keeps every old one with maxSurge 1 / maxUnavailable 0', async () => {
    const f = newFixture();
    f.seed(R.deployments, { ...deployment(3, 'v2'), metadata: { ...deployment(3, 'v2').metadata, annotations: { 'deployment.kubernetes.io/revision': '1' } } });
    f.seed(R.replicasets, ownedRS('web-old', 'v1', 3, 3, '1', '2024-01-01T00:00:00Z'));
    await new DeploymentController(f.ctx).reconcile('ns/web');
    const creates = f.client.actions.filter((a) => a.verb === 'create');
    expect(creates.map((a) => (a.body as ReplicaSet).spec?.replicas)).toEqual([1]);
    expect((creates[0]!.body as ReplicaSet).metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('2');
    expect(f.client.summary().filter((a) => a.startsWith('update replicasets'))).toEqual([]);
  });

  it('scales the old ReplicaSet down once the new pod is available', async () => {
    const f = newFixture();
    f.seed(R.deployments, { ...deployment(3, 'v2'), metadata: { ...deployment(3, 'v2').metadata, annotations: { 'deployment.kubernetes.io/revision': '2' } } });
    f.seed(R.replicasets, ownedRS('web-old', 'v1', 3, 3, '1', '2024-01-01T00:00:00Z'));
    f.seed(R.replicasets, ownedRS('web-new', 'v2', 1, 1, '2', '2024-01-02T00:00:00Z'));
    await new DeploymentController(f.ctx).reconcile('ns/web');
    const updates = f.client.actions.filter((a) => a.verb === 'update');
    expect(updates.map((a) => `${(a.body as ReplicaSet).metadata.name}=${(a.body as ReplicaSet).spec?.replicas}`)).toEqual(['web-old=2']);
    expect(f.recorder.events).toEqual(['Normal ScalingReplicaSet Scaled down replica set web-old from 3 to 2']);
  });

  it('rolls back by reusing the old ReplicaSet whose template matches, raising its revision', async () => {
    const f = newFixture();
    f.seed(R.deployments, { ...deployment(3, 'v1'), metadata: { ...deployment(3, 'v1').metadata, annotations: { 'deployment.kubernetes.io/revision': '2' } } });
    f.seed(R.replicasets, ownedRS('web-old', 'v1', 0, 0, '1', '2024-01-01T00:00:00Z'));
    f.seed(R.replicasets, ownedRS('web-new', 'v2', 3, 3, '2', '2024-01-02T00:00:00Z'));
    await new DeploymentController(f.ctx).reconcile('ns/web');
    expect(f.client.summary().filter((a) => a.startsWith('create'))).toEqual([]);
    const first = f.client.actions[0]!;
    expect(`${first.verb} ${first.resource}`).toBe('update replicasets');
    expect((first.body as ReplicaSet).metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('3');
  });

  it('Recreate scales old ReplicaSets to zero before creating the new one', async () => {
    const f = newFixture();
    f.seed(R.deployments, deployment(3, 'v2', { strategy: { type: 'Recreate' } }));
    f.seed(R.replicasets, ownedRS('web-old', 'v1', 3, 3, '1', '2024-01-01T00:00:00Z'));
    await new DeploymentController(f.ctx).reconcile('ns/web');
    expect(f.client.summary().filter((a) => !a.includes('deployments'))).toEqual(['update replicasets ns/web-old']);
  });

  it('reports ProgressDeadlineExceeded once the deadline passes without progress', async () => {
    const f = newFixture();
    const d = deployment(3, 'v1', { progressDeadlineSeconds: 10 });
    const old = '2024-01-01T00:00:00Z';
    d.status = {
      observedGeneration: 1, replicas: 3, updatedReplicas: 3, readyReplicas: 0, availableReplicas: 0, unavailableReplicas: 3,
      conditions: [{ type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', message: 'x', lastUpdateTime: old, lastTransitionTime: old }],
    };
    f.seed(R.deployments, d);
    f.seed(R.replicasets, ownedRS('web-a', 'v1', 3, 0, '1', old));
    await new DeploymentController(f.ctx).reconcile('ns/web');
    const status = (f.client.actions.at(-1)!.body as { status: Deployment['status'] }).status!;
    expect(status.conditions?.find((c) => c.type === 'Progressing')).toMatchObject({ status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "web-a" has timed out progressing.' });
  });

  it('paused: scales proportionally but rolls nothing out, and reports DeploymentPaused', async () => {
    const f = newFixture();
    const d = deployment(6, 'v2', { paused: true, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } });
    f.seed(R.deployments, d);
    f.seed(R.replicasets, ownedRS('web-old', 'v1', 3, 3, '1', '2024-01-01T00:00:00Z'));
    await new DeploymentController(f.ctx).reconcile('ns/web');
    expect(f.client.summary().filter((a) => a.startsWith('create'))).toEqual([]);
    const scaled = f.client.actions.filter((a) => a.verb === 'update').map((a) => `${(a.body as ReplicaSet).metadata.name}=${(a.body as ReplicaSet).spec?.replicas}`);
    expect(scaled).toEqual(['web-old=6']);
    const paused = f.client.actions.find((a) => a.subresource === 'status')!.body as { status: Deployment['status'] };
    expect(paused.status!.conditions?.find((c) => c.type === 'Progressing')).toMatchObject({ status: 'Unknown', reason: 'DeploymentPaused' });
  });

  it('deletes the oldest unused ReplicaSets beyond revisionHistoryLimit once complete', async () => {
    const f = newFixture();
    const d = deployment(3, 'v4', { revisionHistoryLimit: 1 });
    d.metadata.annotations = { 'deployment.kubernetes.io/revision': '4' };
    f.seed(R.deployments, d);
    f.seed(R.replicasets, ownedRS('web-1', 'v1', 0, 0, '1', '2024-01-01T00:00:00Z'));
    f.seed(R.replicasets, ownedRS('web-2', 'v2', 0, 0, '2', '2024-01-02T00:00:00Z'));
    f.seed(R.replicasets, ownedRS('web-3', 'v3', 0, 0, '3', '2024-01-03T00:00:00Z'));
    f.seed(R.replicasets, ownedRS('web-4', 'v4', 3, 3, '4', '2024-01-04T00:00:00Z'));
    await new DeploymentController(f.ctx).reconcile('ns/web');
    expect(f.client.summary().filter((a) => a.startsWith('delete'))).toEqual(['delete replicasets ns/web-1', 'delete replicasets ns/web-2']);
  });

  it('rounds surge up and unavailable down, as Kubernetes does', () => {
    const d = deployment(10, 'v1', { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } } });
    expect(resolveFenceposts(d)).toEqual({ maxSurge: 3, maxUnavailable: 2 });
    const zero = deployment(10, 'v1', { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '0%', maxUnavailable: '0%' } } });
    expect(resolveFenceposts(zero)).toEqual({ maxSurge: 0, maxUnavailable: 1 });
    expect(maxUnavailable(deployment(3, 'v1', { strategy: { type: 'Recreate' } }))).toBe(0);
    expect(computeHash(template('v1'))).toBe(computeHash(template('v1')));
    expect(computeHash(template('v1'))).not.toBe(computeHash(template('v2')));
    expect(computeHash(template('v1'))).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]+$/);
    const withHash = { metadata: { labels: { app: 'web', 'pod-template-hash': 'abc' } }, spec: template('v1').spec };
    expect(equalIgnoreHash(withHash, template('v1'))).toBe(true);
  });
});
