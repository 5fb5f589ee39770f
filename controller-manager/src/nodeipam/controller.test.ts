import { describe, expect, it } from 'vitest';
import type { Node } from '@wharf/api';
import { R } from '@wharf/client';
import { newFixture } from '../testing/fixture.js';
import { CidrSet } from './cidr.js';
import { NodeIpamController } from './controller.js';

describe('NodeIpamController', () => {
  it('hands each node the lowest free /24 of the cluster CIDR', async () => {
    const f = newFixture();
    f.seed(R.nodes, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'taken' }, spec: { podCIDR: '10.244.0.0/24' } } as Node);
    f.seed(R.nodes, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'a' } } as Node);
    f.seed(R.nodes, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'b' } } as Node);
    const c = new NodeIpamController(f.ctx);
    // Handlers were not replayed for seeded objects; feed the taken subnet as an informer add would.
    f.ctx.informers.forResource(R.nodes).addEventHandler({});
    (c as unknown as { observe(n: Node): void }).observe(f.ctx.informers.forResource<Node>(R.nodes).store.get('taken')!);
    await c.reconcile('a');
    await c.reconcile('b');
    await c.reconcile('taken');
    expect(f.client.summary()).toEqual(['patch nodes a', 'patch nodes b']);
    expect(f.client.actions.map((a) => (a.body as { spec: { podCIDR: string } }).spec.podCIDR)).toEqual(['10.244.1.0/24', '10.244.2.0/24']);
  });

  it('splits CIDRs and refuses foreign or exhausted ranges', () => {
    const s = new CidrSet('10.0.0.0/23', 24);
    expect(s.occupy('192.168.0.0/24')).toBe(false);
    expect([s.allocate(), s.allocate(), s.allocate()]).toEqual(['10.0.0.0/24', '10.0.1.0/24', undefined]);
    s.release('10.0.1.0/24');
    expect(s.allocate()).toBe('10.0.1.0/24');
  });
});
