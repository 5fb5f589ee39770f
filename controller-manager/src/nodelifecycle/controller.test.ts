import { describe, expect, it } from 'vitest';
import type { Lease, Node, Pod } from '@wharf/api';
import { R } from '@wharf/client';
import { newFixture } from '../testing/fixture.js';
import { NodeLifecycleController, tolerationWindowMs } from './controller.js';

const node: Node = {
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name: 'n1', resourceVersion: '7' },
  status: { conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: '2024-01-01T00:00:00Z' }] },
};
const lease: Lease = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'n1', namespace: 'kube-node-lease' }, spec: { renewTime: '2024-01-01T00:00:00.000000Z' } };

describe('NodeLifecycleController', () => {
  it('marks a node whose lease stopped moving Ready=Unknown and taints it unreachable', async () => {
    const f = newFixture({ nodeMonitorGracePeriodMs: 15_000 });
    f.seed(R.nodes, node);
    f.seed(R.leases, lease);
    const c = new NodeLifecycleController(f.ctx);
    await c.monitor(1_000_000);
    expect(f.client.summary()).toEqual([]);
    await c.monitor(1_000_000 + 15_001);
    expect(f.client.summary()).toEqual(['patch nodes/status n1', 'update nodes n1']);
    const status = f.client.actions[0]!.body as { status: { conditions: Array<{ type: string; status: string; reason: string }> } };
    expect(status.status.conditions).toMatchObject([{ type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown' }]);
    const taints = (f.client.actions[1]!.body as { spec: { taints: Array<{ key: string; effect: string }> } }).spec.taints;
    expect(taints.map((t) => `${t.key}:${t.effect}`)).toEqual(['node.kubernetes.io/unreachable:NoSchedule', 'node.kubernetes.io/unreachable:NoExecute']);
  });

  it('evicts pods once their toleration of the NoExecute taint has run out', async () => {
    const f = newFixture({ podEvictionTimeoutMs: 10_000 });
    const added = new Date(Date.now() - 11_000).toISOString();
    f.seed(R.nodes, {
      ...node,
      spec: { taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' }, { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: added }] },
      status: { conditions: [{ type: 'Ready', status: 'Unknown', lastHeartbeatTime: '2024-01-01T00:00:00Z' }] },
    });
    f.seed(R.leases, lease);
    const mk = (name: string, tolerations?: Pod['spec'] extends infer S ? (S extends { tolerations?: infer T } ? T : never) : never): Pod => ({
      apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'ns' }, spec: { nodeName: 'n1', containers: [], ...(tolerations ? { tolerations } : {}) }, status: { phase: 'Running' },
    });
    f.seed(R.pods, mk('default'));
    f.seed(R.pods, mk('forever', [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' }]));
    f.seed(R.pods, mk('long', [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 600 }]));
    const c = new NodeLifecycleController(f.ctx);
    await c.monitor();
    expect(f.client.summary()).toEqual(['delete pods ns/default']);
  });

  it('computes toleration windows', () => {
    const taint = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' as const };
    expect(tolerationWindowMs(undefined, taint, 10_000)).toBe(10_000);
    expect(tolerationWindowMs([{ operator: 'Exists' }], taint, 10_000)).toBe(Infinity);
    expect(tolerationWindowMs([{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', tolerationSeconds: 5 }], taint, 10_000)).toBe(5_000);
    // The 300 s toleration admission adds to every pod stands for "the default": --pod-eviction-timeout.
    expect(tolerationWindowMs([{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }], taint, 10_000)).toBe(10_000);
  });
});
