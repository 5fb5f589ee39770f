// Cascading deletion (background, foreground, orphan) and namespace deletion
// against a real apiserver and controller-manager.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isNotFound, type Deployment, type KubeObject, type Namespace, type Pod, type ReplicaSet } from '@wharf/api';
import { R } from '@wharf/client';
import { eventually, startCluster, type Cluster } from './harness.js';

let c: Cluster;
beforeAll(async () => {
  c = await startCluster();
  await c.nodes.addMany('node', 3);
  await c.nodes.start();
});
afterAll(async () => {
  await c?.cleanup();
});

async function makeDeployment(ns: string, name: string, replicas = 3): Promise<void> {
  await c.client.create(R.deployments, ns, {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: ns },
    spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'i' }] } } },
  } as Deployment);
  await eventually(async () => (await c.client.get<Deployment>(R.deployments, ns, name)).status?.availableReplicas === replicas, 30_000, `${name} available`);
}

const rsOf = async (ns: string, app: string) => (await c.client.list<ReplicaSet>(R.replicasets, { namespace: ns, labelSelector: `app=${app}` })).items;
const podsOf = async (ns: string, app: string) => (await c.client.list<Pod>(R.pods, { namespace: ns, labelSelector: `app=${app}` })).items;
const gone = async (p: Promise<unknown>) => p.then(() => false, (e) => isNotFound(e));

describe('garbage collector (integration)', () => {
  it('background: deleting a Deployment removes its ReplicaSets and pods afterwards', async () => {
    await makeDeployment('default', 'bg');
    await c.client.delete(R.deployments, 'default', 'bg', { propagationPolicy: 'Background' });
    expect(await gone(c.client.get(R.deployments, 'default', 'bg'))).toBe(true);
    await eventually(async () => (await rsOf('default', 'bg')).length === 0 && (await podsOf('default', 'bg')).length === 0, 60_000, 'dependents collected');
  });

  it('foreground: the Deployment stays (with foregroundDeletion) until its dependents are gone', async () => {
    await makeDeployment('default', 'fg');
    await c.client.delete(R.deployments, 'default', 'fg', { propagationPolicy: 'Foreground' });
    const d = await c.client.get<Deployment>(R.deployments, 'default', 'fg');
    expect(d.metadata.deletionTimestamp).toBeDefined();
    expect(d.metadata.finalizers).toContain('foregroundDeletion');
    // Observe the order: the owner may only vanish once no pod or ReplicaSet is left.
    let ownerGoneWhileDependentsLeft = false;
    await eventually(async () => {
      const ownerGone = await gone(c.client.get(R.deployments, 'default', 'fg'));
      const left = (await rsOf('default', 'fg')).length + (await podsOf('default', 'fg')).length;
      if (ownerGone && left > 0) ownerGoneWhileDependentsLeft = true;
      return ownerGone && left === 0;
    }, 60_000, 'foreground deletion finished');
    expect(ownerGoneWhileDependentsLeft).toBe(false);
  });

  it('orphan: the ReplicaSets and pods stay, without the ownerReference', async () => {
    await makeDeployment('default', 'or');
    const [rs] = await rsOf('default', 'or');
    await c.client.delete(R.deployments, 'default', 'or', { propagationPolicy: 'Orphan' });
    await eventually(async () => gone(c.client.get(R.deployments, 'default', 'or')), 30_000, 'owner deleted');
    const after = await eventually(async () => {
      const list = await rsOf('default', 'or');
      return list.length === 1 && !list[0]!.metadata.ownerReferences?.length ? list : undefined;
    }, 30_000, 'ReplicaSet orphaned');
    expect(after[0]!.metadata.uid).toBe(rs!.metadata.uid);
    expect((await podsOf('default', 'or')).filter((p) => !p.metadata.deletionTimestamp).length).toBe(3);
  });
});

describe('namespace controller (integration)', () => {
  it('deletes everything in a namespace, then the namespace', async () => {
    await c.client.create(R.namespaces, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } });
    await makeDeployment('team', 'web', 2);
    await c.client.create(R.configmaps, 'team', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'team' }, data: { a: 'b' } } as KubeObject);
    await c.client.create(R.services, 'team', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'team' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } } as KubeObject);
    await c.client.delete(R.namespaces, undefined, 'team');
    const ns = await c.client.get<Namespace>(R.namespaces, undefined, 'team');
    expect(ns.status?.phase).toBe('Terminating');
    await eventually(async () => gone(c.client.get(R.namespaces, undefined, 'team')), 60_000, 'namespace deleted');
    for (const res of [R.pods, R.deployments, R.replicasets, R.configmaps, R.services, R.endpoints]) {
      expect((await c.client.list(res, { namespace: 'team' })).items).toEqual([]);
    }
  });
});
