// Node agent benchmarks (issue 6), printed next to their anchors:
//  1. Pod startup: N busybox pods created at once on one node; creation (POST
//     sent) → Running seen by a watch: p50, p99, total.
//  2. Node agent RSS with those pods running.
//  3. Service update latency: EndpointSlice change → nftables rule in place, p50/p99.
// Needs root, runc, conmon, nftables and a build (`npx tsc -b`). Everything —
// apiserver, runtime, agent, bridge, pod IPs — runs inside private network,
// mount and PID namespaces: the script re-executes itself under `unshare`.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { request } from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { percentile, repo, startApiServer } from './lib/apiserver-proc.mjs';

if (!process.env.WHARF_BENCH_NETNS) {
  const res = spawnSync(
    'unshare',
    ['--net', '--mount', '--pid', '--fork', '--mount-proc', 'sh', '-c', 'ip link set lo up && exec "$@"', 'sh', process.execPath, fileURLToPath(import.meta.url), ...process.argv.slice(2)],
    { stdio: 'inherit', env: { ...process.env, WHARF_BENCH_NETNS: '1' } },
  );
  process.exit(res.status ?? 1);
}

const PODS = Number(process.env.WHARF_BENCH_PODS ?? 100);
const SERVICE_UPDATES = Number(process.env.WHARF_BENCH_SERVICE_UPDATES ?? 30);
const IMAGE = 'wharf.bench/busybox:1';
const NODE = 'bench-node';
const POD_CIDR = '10.244.0.0/22';

const base = mkdtempSync(path.join(os.tmpdir(), 'wharf-bench-agent-'));
const kubeconfig = path.join(base, 'kubeconfig');
const rtSocket = path.join(base, 'runtime.sock');
const component = path.join(repo, 'test/harness/bin/run-component.mjs');
const { ImageStore, buildBusyboxImage } = await import(path.join(repo, 'runtime/dist/index.js'));

const log = (...a) => console.log(...a);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function until(what, fn, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await fn()) return;
    await sleep(50);
  }
  throw new Error(`timed out: ${what}`);
}

const api = await startApiServer({ extraArgs: ['--write-kubeconfig', kubeconfig] });
const store = await ImageStore.open(path.join(base, 'rt-root', 'images'));
await buildBusyboxImage(store, IMAGE);
const runtime = spawn(process.execPath, [component, 'runtime', '--root', path.join(base, 'rt-root'), '--state', path.join(base, 'rt-state'), '--listen', `unix://${rtSocket}`, '--pod-cidr', POD_CIDR, '--cgroup-parent', `/wharf-bench-${path.basename(base)}`, '--quiet'], { stdio: ['ignore', 'ignore', 'inherit'] });
await until('runtime socket', () => existsSync(rtSocket));
const agent = spawn(
  process.execPath,
  [component, 'node-agent', '--kubeconfig', kubeconfig, '--runtime-endpoint', `unix://${rtSocket}`, '--node-name', NODE, '--root-dir', path.join(base, 'agent'), '--listen', `unix://${path.join(base, 'agent.sock')}`, '--node-ip', '127.0.0.1', '--max-pods', String(PODS + 10)],
  { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, WHARF_LOG_LEVEL: 'warn' } },
);
const getJson = async (p) => JSON.parse((await api.call('GET', p)).text);
await until('node Ready', async () => {
  const n = await getJson(`/api/v1/nodes/${NODE}`).catch(() => undefined);
  return n?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
});
await api.call('PATCH', `/api/v1/nodes/${NODE}`, { spec: { podCIDR: POD_CIDR, podCIDRs: [POD_CIDR] } }, { 'content-type': 'application/merge-patch+json' });

// ---- 1. pod startup
const created = new Map();
const running = new Map();
const list = await getJson('/api/v1/namespaces/default/pods');
const watch = request({ host: '127.0.0.1', port: api.port, path: `/api/v1/namespaces/default/pods?watch=1&resourceVersion=${list.metadata.resourceVersion}`, ca: api.ca, headers: { authorization: `Bearer ${api.token}` } }, (res) => {
  let buf = '';
  res.on('data', (c) => {
    buf += c;
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      if (!line.trim()) continue;
      const ev = JSON.parse(line);
      const name = ev.object?.metadata?.name;
      if (ev.object?.status?.phase === 'Running' && !running.has(name)) running.set(name, performance.now());
    }
  });
});
watch.on('error', () => {});
watch.end();
await sleep(200);
const t0 = performance.now();
await Promise.all(
  Array.from({ length: PODS }, async (_, i) => {
    const name = `bench-${i}`;
    created.set(name, performance.now());
    const r = await api.call('POST', '/api/v1/namespaces/default/pods', {
      apiVersion: 'v1', kind: 'Pod', metadata: { name },
      spec: { nodeName: NODE, terminationGracePeriodSeconds: 0, containers: [{ name: 'main', image: IMAGE, imagePullPolicy: 'IfNotPresent', command: ['sleep', '3600'] }] },
    });
    if (r.status !== 201) throw new Error(`create ${name}: ${r.status} ${r.text}`);
  }),
);
await until(`${PODS} pods Running`, () => running.size >= PODS, 180_000);
const latencies = [...created].map(([n, t]) => running.get(n) - t).sort((a, b) => a - b);
const total = Math.max(...running.values()) - t0;
// Where the time goes: when the runtime started each container vs when Running was seen.
const wall0 = Date.now() - (performance.now() - t0);
const startedAt = (await getJson('/api/v1/namespaces/default/pods')).items
  .map((p) => Date.parse(p.status?.containerStatuses?.[0]?.state?.running?.startedAt ?? '') - wall0)
  .filter((v) => !Number.isNaN(v))
  .sort((a, b) => a - b);
const rss = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${agent.pid}/status`, 'utf8'))[1]) / 1024;
watch.destroy();

// ---- 3. service update latency
const svc = JSON.parse((await api.call('POST', '/api/v1/namespaces/default/services', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'bench' }, spec: { ports: [{ port: 80, targetPort: 8080 }] } })).text);
const pods = (await getJson('/api/v1/namespaces/default/pods')).items.filter((p) => p.status?.podIP).map((p) => p.status.podIP);
let slice = JSON.parse((await api.call('POST', '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices', {
  apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'bench-1', labels: { 'kubernetes.io/service-name': 'bench' } },
  addressType: 'IPv4', endpoints: [{ addresses: [pods[0]], conditions: { ready: true } }], ports: [{ name: '', port: 8080, protocol: 'TCP' }],
})).text);
const ruleset = () => spawnSync('nft', ['list', 'table', 'ip', 'wharf'], { encoding: 'utf8' }).stdout ?? '';
await until('first service rule', () => ruleset().includes(`dnat to ${pods[0]}:8080`));
const updates = [];
for (let i = 1; i <= SERVICE_UPDATES; i++) {
  const ip = pods[i % pods.length];
  const port = 9000 + i;
  const started = performance.now();
  const r = await api.call('PUT', `/apis/discovery.k8s.io/v1/namespaces/default/endpointslices/bench-1`, { ...slice, endpoints: [{ addresses: [ip], conditions: { ready: true } }], ports: [{ name: '', port, protocol: 'TCP' }] });
  slice = JSON.parse(r.text);
  const want = `dnat to ${ip}:${port}`;
  while (!ruleset().includes(want)) await sleep(2);
  updates.push(performance.now() - started);
}
updates.sort((a, b) => a - b);
void svc;

const ms = (v) => `${v.toFixed(0)} ms`;
log(`\nNode agent benchmark (${PODS} pods, ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(1)})`);
log(`| figure | Wharf | goal / anchor |`);
log(`|---|---|---|`);
log(`| pod startup p50 (create → Running via watch) | ${ms(percentile(latencies, 50))} | goal ≤ 300 ms; Kubernetes measured ≈ 1.1 s |`);
log(`| pod startup p99 | ${ms(percentile(latencies, 99))} | goal ≤ 1 s; Kubernetes SLO ≤ 5 s |`);
log(`| all ${PODS} Running | ${ms(total)} | goal ≤ 5 s |`);
log(`| container started (runtime clock, 1 s resolution) p50 / max | ${ms(percentile(startedAt, 50))} / ${ms(startedAt[startedAt.length - 1] ?? NaN)} | — |`);
log(`| node agent RSS with ${PODS} pods | ${rss.toFixed(1)} MB | goal ≤ 80 MB |`);
log(`| service update → nftables rule in place, p50 / p99 (${SERVICE_UPDATES} updates) | ${ms(percentile(updates, 50))} / ${ms(percentile(updates, 99))} | — |`);

agent.kill('SIGKILL');
runtime.kill('SIGKILL');
await api.stop();
process.exit(0);
