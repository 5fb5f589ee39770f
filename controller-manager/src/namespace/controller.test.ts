import { describe, expect, it } from 'vitest';
import type { Namespace } from '@wharf/api';
import { R } from '@wharf/client';
import { newFixture } from '../testing/fixture.js';
import { NamespaceController } from './controller.js';

describe('NamespaceController', () => {
  it('deletes every namespaced collection, then finalizes the namespace', async () => {
    const f = newFixture();
    f.seed(R.namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team', deletionTimestamp: '2024-01-01T00:00:00Z' }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Terminating' } } as Namespace);
    f.client.seed(R.pods, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'team' } });
    await new NamespaceController(f.ctx).reconcile('team');
    const actions = f.client.summary();
    expect(actions).toContain('deletecollection pods team');
    expect(actions).toContain('deletecollection deployments team');
    expect(actions).not.toContain('deletecollection nodes team');
    expect(actions.at(-1)).toBe('update namespaces/finalize team');
    expect((f.client.actions.at(-1)!.body as Namespace).spec?.finalizers).toEqual([]);
    expect(f.client.stored(R.pods)).toEqual([]);
  });

  it('waits while content remains', async () => {
    const f = newFixture();
    f.seed(R.namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team', deletionTimestamp: '2024-01-01T00:00:00Z' }, spec: { finalizers: ['kubernetes'] } } as Namespace);
    f.client.seed(R.pods, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'team' } });
    f.client.prependReactor((a) => (a.verb === 'deletecollection' && a.resource === 'pods' ? new Error('unavailable') : undefined));
    await expect(new NamespaceController(f.ctx).reconcile('team')).rejects.toThrow('unavailable');
    expect(f.client.summary()).not.toContain('update namespaces/finalize team');
  });
});
