// Scheduler throughput: 1,000 hollow nodes, 10,000 pods created in bulk,
// pods/s from creation to bound with p50/p99 latency (creation request sent →
// binding seen on a watch). Anchors: Kubernetes scheduler_perf 680–810 pods/s,
// clusterloader2 threshold 400 pods/s. Run after `npx tsc -b`:
//   node bench/scheduler.mjs        (WHARF_BENCH_NODES, WHARF_BENCH_PODS to change the counts)
import { FakeClient, FakeRecorder, InformerFactory, R } from '../client/dist/index.js';
import { DEFAULT_CONTROLLER_OPTIONS, Scheduler } from '../controller-manager/dist/index.js';
import { addNodes, parallel, percentile, startControlPlane, startControllerManager, trackPods, waitFor } from './scheduler-lib.mjs';

const NODES = Number(process.env.WHARF_BENCH_NODES ?? 1000);
const PODS = Number(process.env.WHARF_BENCH_PODS ?? 10_000);
const CONCURRENCY = Number(process.env.WHARF_BENCH_CONCURRENCY ?? 64);

const pod = (name, i) => ({
  apiVersion: 'v1', kind: 'Pod',
  metadata: { name, namespace: 'default', labels: { app: 'bench' } },
  spec: { containers: [{ name: 'c', image: 'registry.local/app:1', resources: { requests: { cpu: ['100m', '250m', '50m'][i % 3], memory: ['128Mi', '64Mi', '256Mi'][i % 3] } } }] },
});

function report(label, created, tracker, t0, t1) {
  const lat = [...tracker.bound].map(([n, t]) => t - created.get(n)).sort((a, b) => a - b);
  const secs = (t1 - t0) / 1000;
  console.log(`${label}: ${PODS} pods bound in ${secs.toFixed(2)} s → ${(PODS / secs).toFixed(0)} pods/s; latency p50 ${percentile(lat, 50).toFixed(0)} ms, p99 ${percentile(lat, 99).toFixed(0)} ms`);
  return { podsPerSecond: PODS / secs, p50: percentile(lat, 50), p99: percentile(lat, 99) };
}

async function run(mode) {
  const { api, client } = await startControlPlane();
  try {
    await addNodes(client, NODES, { cpu: '32', memory: '64Gi', pods: '110' });
    const cm = mode === 'live' ? await startControllerManager(api, 'scheduler') : undefined;
    if (cm) await new Promise((r) => setTimeout(r, 1500));
    const tracker = trackPods(client, 'default');
    const created = new Map();
    const tStart = performance.now();
    await parallel(PODS, CONCURRENCY, async (i) => {
      const name = `p-${i}`;
      created.set(name, performance.now());
      await client.create(R.pods, 'default', pod(name, i));
    });
    const tCreated = performance.now();
    console.log(`[${mode}] created ${PODS} pods in ${((tCreated - tStart) / 1000).toFixed(2)} s (${(PODS / ((tCreated - tStart) / 1000)).toFixed(0)} creates/s)`);
    let result;
    if (mode === 'live') {
      await waitFor(() => tracker.bound.size >= PODS, 600_000, 'all bound');
      result = report('[live] creation→bound', created, tracker, tStart, Math.max(...tracker.bound.values()));
      await cm.stop();
    } else {
      // Backlog: every pod already pending; measure the scheduler alone from its start.
      await waitFor(() => tracker.seen.size >= PODS, 120_000, 'all seen');
      const tSched = performance.now();
      for (const n of created.keys()) created.set(n, tSched);
      const cm2 = await startControllerManager(api, 'scheduler');
      await waitFor(() => tracker.bound.size >= PODS, 600_000, 'all bound');
      result = report('[backlog] scheduler start→all bound (includes cache sync)', created, tracker, tSched, Math.max(...tracker.bound.values()));
      await cm2.stop();
    }
    await tracker.stop();
    return result;
  } finally {
    client.close();
    await api.stop();
  }
}

/** The scheduling algorithm alone (filters, scoring, assume), with the API replaced by an in-memory double. */
async function algorithm() {
  const client = new FakeClient();
  const informers = new InformerFactory(client);
  const silent = { debug() {}, info() {}, warn() {}, error() {}, child() { return silent; } };
  const scheduler = new Scheduler({ client, informers, log: silent, recorder: () => new FakeRecorder(), options: { ...DEFAULT_CONTROLLER_OPTIONS, schedulerParallelism: 1_000_000 } });
  for (let i = 0; i < NODES; i++) {
    const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: `hollow-${i}`, uid: `n${i}`, labels: {} }, status: { allocatable: { cpu: '32', memory: '64Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True' }] } };
    scheduler.cache.setNode(node);
  }
  const store = informers.forResource(R.pods).store;
  for (let i = 0; i < PODS; i++) {
    const p = pod(`p-${i}`, i);
    p.metadata.uid = `u${i}`;
    store.set(p);
    client.seed(R.pods, p);
  }
  const t0 = performance.now();
  for (let i = 0; i < PODS; i++) scheduler.scheduleOne(`default/p-${i}`);
  const t1 = performance.now();
  await new Promise((r) => setTimeout(r, 100));
  const bound = client.actions.filter((a) => a.subresource === 'binding').length;
  console.log(`[algorithm] ${bound} placements decided in ${((t1 - t0) / 1000).toFixed(2)} s → ${(PODS / ((t1 - t0) / 1000)).toFixed(0)} pods/s (no API in the loop)`);
}

console.log(`scheduler benchmark: ${NODES} hollow nodes, ${PODS} pods (anchors: scheduler_perf 680–810 pods/s; clusterloader2 ≥ 400 pods/s; goal ≥ 1,000 pods/s)`);
const modes = (process.env.WHARF_BENCH_MODES ?? 'algorithm,live,backlog').split(',');
for (const m of modes) {
  if (m === 'algorithm') await algorithm();
  else await run(m);
}
process.exit(0);
