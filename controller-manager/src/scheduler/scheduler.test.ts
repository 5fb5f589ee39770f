import { describe, expect, it } from 'vitest';
import type { Node, Pod } from '@wharf/api';
import { R } from '@wharf/client';
import { newFixture, settle } from '../testing/fixture.js';
import { Scheduler, numFeasibleNodesToFind } from './scheduler.js';

const node = (name: string, cpu: string, extra: Partial<Node['spec']> = {}, labels: Record<string, string> = {}): Node => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, uid: `uid-${name}`, labels: { 'kubernetes.io/hostname': name, ...labels } },
  spec: { ...extra },
  status: { allocatable: { cpu, memory: '4Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True' }] },
});

const pod = (name: string, cpu: string, extra: Partial<Pod['spec']> = {}): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'ns', uid: `uid-${name}` },
  spec: { containers: [{ name: 'c', image: 'i', resources: { requests: { cpu } } }], ...extra },
  status: { phase: 'Pending' },
});

function setup(nodes: Node[], pods: Pod[]) {
  const f = newFixture();
  const s = new Scheduler(f.ctx);
  for (const n of nodes) {
    f.seed(R.nodes, n);
    s.cache.setNode(n);
  }
  for (const p of pods) {
    const stored = f.seed(R.pods, p);
    if (stored.spec?.nodeName) s.cache.updatePod(stored, true);
  }
  return { f, s };
}

describe('Scheduler', () => {
  it('binds a pod to the only node that passes every filter', async () => {
    const { f, s } = setup(
      [node('small', '500m'), node('tainted', '4', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] }), node('ok', '4')],
      [pod('p', '1')],
    );
    s.scheduleOne('ns/p');
    await settle();
    expect(f.client.summary()).toEqual(['create pods/binding ns/p']);
    expect(f.client.actions[0]!.body).toMatchObject({ kind: 'Binding', target: { kind: 'Node', name: 'ok' } });
    expect(f.recorder.events).toEqual(['Normal Scheduled Successfully assigned ns/p to ok']);
  });

  it("explains an unschedulable pod in Kubernetes' words and sets PodScheduled=False", async () => {
    const { f, s } = setup(
      [node('a', '500m'), node('b', '500m'), node('t', '8', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] })],
      [pod('p', '1')],
    );
    s.scheduleOne('ns/p');
    await settle();
    const msg =
      '0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.';
    expect(f.recorder.events).toEqual([`Warning FailedScheduling ${msg}`]);
    expect(f.client.summary()).toEqual(['patch pods/status ns/p']);
    const cond = (f.client.actions[0]!.body as { status: { conditions: unknown[] } }).status.conditions[0];
    expect(cond).toMatchObject({ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: msg });
  });

  it('honours nodeSelector, required node affinity, tolerations, host ports and cordons', async () => {
    const { f, s } = setup(
      [
        node('cordoned', '4', { unschedulable: true }, { disk: 'ssd' }),
        node('hdd', '4', {}, { disk: 'hdd' }),
        node('ssd-port', '4', {}, { disk: 'ssd', zone: 'a' }),
        node('ssd-tainted', '4', { taints: [{ key: 'k', value: 'v', effect: 'NoSchedule' }] }, { disk: 'ssd', zone: 'b' }),
      ],
      [
        { ...pod('holder', '100m', { nodeName: 'ssd-port', containers: [{ name: 'c', ports: [{ containerPort: 80, hostPort: 8080 }] }] }) },
        pod('p', '100m', {
          nodeSelector: { disk: 'ssd' },
          affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a', 'b'] }] }] } } },
          tolerations: [{ key: 'k', operator: 'Equal', value: 'v', effect: 'NoSchedule' }],
          containers: [{ name: 'c', ports: [{ containerPort: 80, hostPort: 8080 }] }],
        }),
      ],
    );
    s.scheduleOne('ns/p');
    await settle();
    expect(f.client.actions[0]!.body).toMatchObject({ target: { name: 'ssd-tainted' } });
  });

  it('never overcommits a node while bindings are still in flight (assume cache)', async () => {
    const { f, s } = setup([node('one', '1')], [pod('a', '600m'), pod('b', '600m')]);
    s.scheduleOne('ns/a');
    s.scheduleOne('ns/b');
    await settle();
    expect(f.client.summary()).toEqual(['create pods/binding ns/a', 'patch pods/status ns/b']);
    expect(f.recorder.events.find((e) => e.includes('FailedScheduling'))).toContain('0/1 nodes are available: 1 Insufficient cpu.');
  });

  it('forgets the assumption when the binding fails so the capacity is usable again', async () => {
    const { f, s } = setup([node('one', '1')], [pod('a', '600m')]);
    f.client.prependReactor((a) => (a.subresource === 'binding' ? new Error('boom') : undefined));
    s.scheduleOne('ns/a');
    await settle();
    expect(s.cache.nodes.get('one')!.reqMilliCpu).toBe(0);
    expect(s.stats.bindErrors).toBe(1);
    s.queue.shutDown();
  });

  it('spreads pods of one owner across equal nodes', async () => {
    const owner = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'rs-uid', controller: true }];
    const pods = ['a', 'b', 'c'].map((n) => ({ ...pod(n, '100m'), metadata: { name: n, namespace: 'ns', uid: `uid-${n}`, ownerReferences: owner } }));
    const { f, s } = setup([node('n1', '4'), node('n2', '4'), node('n3', '4')], pods);
    for (const p of pods) s.scheduleOne(`ns/${p.metadata.name}`);
    await settle();
    const targets = f.client.actions.map((a) => (a.body as { target: { name: string } }).target.name).sort();
    expect(targets).toEqual(['n1', 'n2', 'n3']);
  });

  it('prefers nodes matching preferred node affinity', async () => {
    const { f, s } = setup(
      [node('plain-1', '4'), node('gpu', '4', {}, { accel: 'gpu' }), node('plain-2', '4')],
      [pod('p', '100m', { affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 50, preference: { matchExpressions: [{ key: 'accel', operator: 'Exists' }] } }] } } })],
    );
    s.scheduleOne('ns/p');
    await settle();
    expect(f.client.actions[0]!.body).toMatchObject({ target: { name: 'gpu' } });
  });

  it('prefers the least allocated node', async () => {
    const { f, s } = setup([node('busy', '4'), node('idle', '4')], [pod('hog', '3', { nodeName: 'busy' }), pod('p', '100m')]);
    s.scheduleOne('ns/p');
    await settle();
    expect(f.client.actions[0]!.body).toMatchObject({ target: { name: 'idle' } });
  });

  it('samples a share of large clusters as Kubernetes does', () => {
    expect(numFeasibleNodesToFind(50)).toBe(50);
    expect(numFeasibleNodesToFind(1000)).toBe(420);
    expect(numFeasibleNodesToFind(5000)).toBe(500);
  });
});
