// Autoscaling reaction time (issue 7): from the moment load starts to
//  1. the HPA's scale-up being written (the Deployment's spec.replicas grows), and
//  2. the new pods being Ready,
// with default settings (metrics resolution 5 s, HPA sync period 5 s).
// Anchor: Kubernetes reacts in 30–55 s (15 s metrics-server resolution + 15 s
// HPA loop) before new pods even start.
//
// Needs root, runc, conmon and a build (`npx tsc -b cli`). The script
// re-executes itself in fresh network, mount and PID namespaces with no
// default route and runs `wharf server` there, so pod networking never
// touches the host.
import { spawn, spawnSync, execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');

if (!process.env.WHARF_BENCH_NETNS) {
  // The overlay mounts live in the inner mount namespace: the directory can only be removed once it is gone.
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wharf-bench-hpa-'));
  const res = spawnSync(
    'unshare',
    ['--net', '--mount', '--pid', '--fork', '--mount-proc', '--propagation', 'private', 'sh', '-c', 'ip link set lo up && exec "$@"', 'sh', process.execPath, fileURLToPath(import.meta.url), ...process.argv.slice(2)],
    { stdio: 'inherit', env: { ...process.env, WHARF_BENCH_NETNS: '1', WHARF_BENCH_DIR: dir } },
  );
  rmSync(dir, { recursive: true, force: true });
  process.exit(res.status ?? 1);
}

const RUNS = Number(process.env.WHARF_BENCH_RUNS ?? 5);
// WHARF_BENCH_PERIOD=1s tightens both cadences (metrics resolution and HPA sync period).
const PERIOD = process.env.WHARF_BENCH_PERIOD;
const tuning = PERIOD ? ['--metrics-resolution', PERIOD, '--horizontal-pod-autoscaler-sync-period', PERIOD] : [];
const KUBECTL = '/usr/lib/google-cloud-sdk/bin/kubectl.1.32';
const { ImageStore, buildBusyboxImage } = await import(path.join(repo, 'runtime/dist/index.js'));
const { RestClient, loadKubeconfig, R } = await import(path.join(repo, 'client/dist/index.js'));

const dir = process.env.WHARF_BENCH_DIR;
const store = await ImageStore.open(path.join(dir, 'images'));
await buildBusyboxImage(store, 'busybox:1.36');

const server = spawn(process.execPath, [path.join(repo, 'bin/wharf'), 'server', '--data-dir', dir, '--state-dir', path.join(dir, 'run'), '--listen', '127.0.0.1:6443', ...tuning], { stdio: ['ignore', 'pipe', 'pipe'] });
let logs = '';
server.stdout.on('data', (c) => (logs += c));
server.stderr.on('data', (c) => (logs += c));
const exited = new Promise((r) => server.once('exit', r));
await until(() => logs.includes('wharf server ready') || server.exitCode !== null, 60_000, 100);
if (server.exitCode !== null) {
  console.error(logs.slice(-3000));
  process.exit(1);
}
const kubeconfig = path.join(dir, 'kubeconfig');
const client = new RestClient(loadKubeconfig({ kubeconfig }));

// Idle pods poll a flag file every 100 ms; with it they burn a core.
const manifest = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: burner}
spec:
  replicas: 1
  selector: {matchLabels: {app: burner}}
  template:
    metadata: {labels: {app: burner}}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: burner
        image: busybox:1.36
        command: ["sh", "-c", "while true; do if [ -f /tmp/load ]; then i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done; else sleep 0.1; fi; done"]
        resources: {requests: {cpu: 100m, memory: 16Mi}}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: burner}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: burner}
  minReplicas: 1
  maxReplicas: 3
  metrics:
  - {type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}}
  behavior:
    scaleDown: {stabilizationWindowSeconds: 5}
`;
await kubectl(['apply', '-f', '-'], manifest);

const deployment = () => client.get(R.deployments, 'default', 'burner');
const hpaActive = async () => ((await client.get(R.horizontalpodautoscalers, 'default', 'burner')).status?.conditions ?? []).some((c) => c.type === 'ScalingActive' && c.status === 'True');
const pods = async () => (await client.list(R.pods, { namespace: 'default', labelSelector: 'app=burner' })).items.filter((p) => !p.metadata.deletionTimestamp);
const ready = (p) => (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

const results = [];
for (let run = 1; run <= RUNS; run++) {
  // Settle: one ready pod at rest, and an HPA that has a valid metric for it.
  await until(async () => (await deployment()).spec.replicas === 1 && (await pods()).length === 1 && ready((await pods())[0]), 180_000, 500);
  await until(hpaActive, 120_000, 500);
  // A random start, so runs do not lock onto one phase of the scrape and sync cadences.
  await sleep(6000 + Math.random() * 5000);
  const [pod] = await pods();
  await kubectl(['exec', pod.metadata.name, '--', 'touch', '/tmp/load']);
  const t0 = performance.now();
  let scaled;
  let readyAt;
  let newSize;
  while (readyAt === undefined && performance.now() - t0 < 180_000) {
    const d = await deployment();
    if (scaled === undefined && d.spec.replicas > 1) {
      scaled = performance.now() - t0;
      newSize = d.spec.replicas;
    }
    if (scaled !== undefined) {
      const ps = await pods();
      if (ps.length >= newSize && ps.filter(ready).length >= newSize) readyAt = performance.now() - t0;
    }
    await sleep(100);
  }
  results.push({ scaled, readyAt, newSize });
  console.log(`run ${run}: scale-up to ${newSize} written after ${fmt(scaled)}, new pods Ready after ${fmt(readyAt)}`);
  for (const p of await pods()) await kubectl(['exec', p.metadata.name, '--', 'rm', '-f', '/tmp/load']).catch(() => undefined);
}

const med = (xs) => {
  const s = xs.filter((x) => x !== undefined).sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : undefined;
};
console.log('');
console.log(PERIOD ? `metrics resolution and HPA sync period ${PERIOD}` : 'default settings (metrics resolution 5s, HPA sync period 5s)');
console.log('| figure | Wharf (median of ' + RUNS + ') | min–max | anchor |');
console.log('|---|---|---|---|');
const row = (name, xs, anchor) => console.log(`| ${name} | ${fmt(med(xs))} | ${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))} | ${anchor} |`);
row('load start → scale-up written', results.map((r) => r.scaled), 'Kubernetes ≈ 30–55 s (goal ≤ 15 s to Ready)');
row('load start → new pods Ready', results.map((r) => r.readyAt), 'goal ≤ 15 s');

client.close?.();
server.kill('SIGTERM');
await Promise.race([exited, sleep(20_000)]);
// Exiting as PID 1 of the namespace ends the containers; the parent removes the directory.
process.exit(0);

function fmt(ms) {
  return ms === undefined || !Number.isFinite(ms) ? 'n/a' : `${(ms / 1000).toFixed(1)} s`;
}
function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}
async function until(fn, timeoutMs, everyMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await fn()) return;
    } catch {
      /* not yet */
    }
    if (Date.now() > deadline) throw new Error(`timed out; server log tail:\n${logs.slice(-2000)}`);
    await sleep(everyMs);
  }
}
function kubectl(args, input) {
  return new Promise((resolve, reject) => {
    const child = execFile(KUBECTL, ['--kubeconfig', kubeconfig, ...args], { timeout: 60_000 }, (err, stdout, stderr) => (err ? reject(new Error(`kubectl ${args.join(' ')}: ${stderr}`)) : resolve(stdout)));
    if (input !== undefined) child.stdin.end(input);
  });
}
