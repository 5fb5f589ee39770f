import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deployment, Pod } from '@wharf/api';
import { R } from '@wharf/client';
import { eventually, startCluster, type Cluster } from './harness.js';

let c: Cluster;
beforeAll(async () => {
  c = await startCluster();
  await c.nodes.addMany('n', 2);
  await c.nodes.start();
});
afterAll(async () => {
  if (process.env['SHOW_CM_LOGS']) console.log(c.cms.map((m) => m.logs()).join('\n'));
  await c?.cleanup();
});

describe('smoke', () => {
  it('runs a deployment to availability', async () => {
    const d: Deployment = {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' },
      spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } },
    };
    await c.client.create(R.deployments, 'default', d);
    await eventually(async () => (await c.client.get<Deployment>(R.deployments, 'default', 'web')).status?.availableReplicas === 3, 30_000, 'available');
    const pods = await c.client.list<Pod>(R.pods, { namespace: 'default' });
    expect(pods.items.length).toBe(3);
    expect(pods.items.every((p) => p.spec?.nodeName)).toBe(true);
  });
});
