// ReplicaSet scale 0 → 1,000: time until all pods exist (and until all are
// bound, with the scheduler running too), against a real apiserver.
//   node bench/replicaset.mjs        (WHARF_BENCH_REPLICAS to change the count)
import { R } from '../client/dist/index.js';
import { addNodes, startControlPlane, startControllerManager, trackPods, waitFor } from './scheduler-lib.mjs';

const REPLICAS = Number(process.env.WHARF_BENCH_REPLICAS ?? 1000);
const { api, client } = await startControlPlane();
try {
  await addNodes(client, Math.ceil(REPLICAS / 100), { cpu: '64', memory: '256Gi', pods: '110' });
  const cm = await startControllerManager(api, 'replicaset,scheduler');
  await client.create(R.replicasets, 'default', {
    apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'bench', namespace: 'default' },
    spec: { replicas: 0, selector: { matchLabels: { app: 'bench' } }, template: { metadata: { labels: { app: 'bench' } }, spec: { containers: [{ name: 'c', image: 'registry.local/app:1', resources: { requests: { cpu: '10m', memory: '16Mi' } } }] } } },
  });
  await new Promise((r) => setTimeout(r, 1500));
  const tracker = trackPods(client, 'default');
  const t0 = performance.now();
  await client.patch(R.replicasets, 'default', 'bench', 'merge', { spec: { replicas: REPLICAS } });
  await waitFor(() => tracker.seen.size >= REPLICAS, 600_000, 'all pods exist');
  const tExist = Math.max(...tracker.seen.values());
  await waitFor(() => tracker.bound.size >= REPLICAS, 600_000, 'all pods bound');
  const tBound = Math.max(...tracker.bound.values());
  const rs = await client.get(R.replicasets, 'default', 'bench');
  console.log(`ReplicaSet 0 → ${REPLICAS}: all pods exist after ${((tExist - t0) / 1000).toFixed(2)} s (${(REPLICAS / ((tExist - t0) / 1000)).toFixed(0)} pods/s), all bound after ${((tBound - t0) / 1000).toFixed(2)} s; status.replicas=${rs.status?.replicas}`);
  await tracker.stop();
  await cm.stop();
} finally {
  client.close();
  await api.stop();
}
process.exit(0);
