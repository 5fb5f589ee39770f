// Runtime benchmarks (issue 4), printed next to their anchors:
//  1. 100 sequential create+start+wait+remove of /bin/true through the
//     runtime vs `runc run` of an equivalent bundle, in the same run.
//  2. 50 pods (sandbox + one container) started concurrently: latency from
//     RunPodSandbox to running, p50/p99.
//  3. Memory per running container: conmon RSS plus the runtime's growth.
// Needs root, runc, conmon and a build (`npx tsc -b`). Everything runs inside
// a private network + mount namespace: the script re-executes itself under
// `unshare --net --mount --fork`, so the bridge and pod IPs never touch the host.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, promises as fs, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');

if (!process.env.WHARF_BENCH_NETNS) {
  // The work directory is made (and removed) out here: inside, the overlay
  // and namespace mounts would keep it busy until the namespace is gone.
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'wharf-bench-'));
  const res = spawnSync(
    'unshare',
    ['--net', '--mount', '--fork', '--propagation', 'private', 'sh', '-c', 'ip link set lo up && exec "$@"', 'sh', process.execPath, fileURLToPath(import.meta.url), ...process.argv.slice(2)],
    { stdio: 'inherit', env: { ...process.env, WHARF_BENCH_NETNS: '1', WHARF_BENCH_BASE: workDir } },
  );
  await fs.rm(workDir, { recursive: true, force: true });
  process.exit(res.status ?? 1);
}

const { createRuntimeClient } = await import(path.join(repo, 'proto/dist/index.js'));
const { ImageStore, buildBusyboxImage } = await import(path.join(repo, 'runtime/dist/index.js'));

const SEQUENTIAL = Number(process.env.WHARF_BENCH_SEQUENTIAL ?? 100);
const CONCURRENT = Number(process.env.WHARF_BENCH_PODS ?? 50);
const MEMORY_CONTAINERS = 20;
const IMAGE = 'wharf.bench/busybox:1';

const base = process.env.WHARF_BENCH_BASE ?? mkdtempSync(path.join(os.tmpdir(), 'wharf-bench-'));
const root = path.join(base, 'root');
const state = path.join(base, 'state');
const socket = path.join(base, 'runtime.sock');
const cgroupParent = `/wharf-bench-${path.basename(base)}`;

const store = await ImageStore.open(path.join(root, 'images'));
const image = await buildBusyboxImage(store, IMAGE);

const runtimeProc = spawn(
  process.execPath,
  [path.join(repo, 'test/runtime/runtime-main.mjs'), '--root', root, '--state', state, '--listen', `unix://${socket}`,
    '--pod-cidr', '10.244.0.0/22', '--cgroup-parent', cgroupParent, '--quiet'],
  { stdio: ['ignore', 'ignore', 'inherit'] },
);
const client = createRuntimeClient(`unix://${socket}`);
for (let i = 0; i < 200; i++) {
  try {
    await fs.access(socket);
    break;
  } catch {
    await sleep(25);
  }
}
await client.waitForReady(10_000);

function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

function pct(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function rssKiB(pid) {
  try {
    const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

const pod = (name) => ({ metadata: { name, uid: name, namespace: 'bench', attempt: 0 }, hostname: name });
const ctr = (name, command) => ({ metadata: { name, attempt: 0 }, image: { image: IMAGE }, command });

async function waitExited(id) {
  for (;;) {
    const { status } = await client.containerStatus({ container_id: id });
    if (status.state === 'CONTAINER_EXITED') return status;
    // CRI has no wait call; the node agent polls too (its PLEG relists).
    await sleep(2);
  }
}

const results = {};
try {
  // ---- 1. sequential /bin/true: runtime vs raw runc
  const seqPod = pod('seq');
  const { pod_sandbox_id: seqId } = await client.runPodSandbox({ config: seqPod });
  const runOne = async (i) => {
    const { container_id } = await client.createContainer({ pod_sandbox_id: seqId, config: ctr(`true-${i}`, ['/bin/true']), sandbox_config: seqPod });
    await client.startContainer({ container_id });
    const s = await waitExited(container_id);
    if (s.exit_code !== 0) throw new Error(`true exited ${s.exit_code}`);
    await client.removeContainer({ container_id });
  };
  await runOne(-1); // warm-up
  let t = performance.now();
  for (let i = 0; i < SEQUENTIAL; i++) await runOne(i);
  const runtimeMs = performance.now() - t;

  // An equivalent bundle for runc: the same image layer as a read-only rootfs,
  // same namespaces (new pid/mount, plus net/ipc/uts), same default mounts.
  const bundle = path.join(base, 'raw-bundle');
  await fs.mkdir(bundle, { recursive: true });
  spawnSync('runc', ['spec', '-b', bundle]);
  const spec = JSON.parse(await fs.readFile(path.join(bundle, 'config.json'), 'utf8'));
  spec.process.terminal = false;
  spec.process.args = ['/bin/true'];
  spec.root = { path: image.layers[image.layers.length - 1], readonly: true };
  spec.linux.cgroupsPath = `${cgroupParent}/raw`;
  await fs.writeFile(path.join(bundle, 'config.json'), JSON.stringify(spec));
  const runcRoot = path.join(base, 'runc-raw');
  const runRaw = (i) => {
    const r = spawnSync('runc', ['--root', runcRoot, 'run', '-b', bundle, `raw-${i}`], { stdio: ['ignore', 'ignore', 'pipe'] });
    if (r.status !== 0) throw new Error(`runc run failed: ${r.stderr}`);
  };
  runRaw(-1);
  t = performance.now();
  for (let i = 0; i < SEQUENTIAL; i++) runRaw(i);
  const runcMs = performance.now() - t;
  results.sequential = { runtimeMs, runcMs, ratio: runtimeMs / runcMs };
  await client.removePodSandbox({ pod_sandbox_id: seqId });

  // ---- 2. concurrent pods: RunPodSandbox → running
  const latencies = await Promise.all(
    Array.from({ length: CONCURRENT }, async (_, i) => {
      const cfg = pod(`c${i}`);
      const t0 = performance.now();
      const { pod_sandbox_id } = await client.runPodSandbox({ config: cfg });
      const { container_id } = await client.createContainer({ pod_sandbox_id, config: ctr('main', ['sleep', '1000']), sandbox_config: cfg });
      await client.startContainer({ container_id });
      return performance.now() - t0;
    }),
  );
  latencies.sort((a, b) => a - b);
  results.concurrent = { pods: CONCURRENT, p50: pct(latencies, 50), p99: pct(latencies, 99), max: latencies[latencies.length - 1] };
  for (const s of (await client.listPodSandbox({})).items) await client.removePodSandbox({ pod_sandbox_id: s.id });

  // ---- 3. memory per running container
  const runtimeBefore = rssKiB(runtimeProc.pid);
  const memPod = pod('mem');
  const { pod_sandbox_id: memId } = await client.runPodSandbox({ config: memPod });
  const conmonPids = [];
  for (let i = 0; i < MEMORY_CONTAINERS; i++) {
    const { container_id } = await client.createContainer({ pod_sandbox_id: memId, config: ctr(`m${i}`, ['sleep', '1000']), sandbox_config: memPod });
    await client.startContainer({ container_id });
    conmonPids.push(Number((await client.containerStatus({ container_id, verbose: true })).info.conmonPid));
  }
  await sleep(500);
  const conmonKiB = conmonPids.reduce((sum, pid) => sum + rssKiB(pid), 0) / MEMORY_CONTAINERS;
  const runtimeGrowthKiB = (rssKiB(runtimeProc.pid) - runtimeBefore) / MEMORY_CONTAINERS;
  results.memory = { containers: MEMORY_CONTAINERS, conmonKiB, runtimeGrowthKiB, totalKiB: conmonKiB + Math.max(0, runtimeGrowthKiB) };
  await client.removePodSandbox({ pod_sandbox_id: memId });
} finally {
  client.close();
  runtimeProc.kill('SIGTERM');
  await new Promise((r) => runtimeProc.once('exit', r));
  spawnSync('sh', ['-c', `for d in /sys/fs/cgroup/*${cgroupParent}; do find "$d" -depth -type d -exec rmdir {} + ; done 2>/dev/null; true`]);
}

const f = (n, d = 0) => n.toFixed(d);
const s = results.sequential;
console.log(`Runtime benchmarks (isolated network namespace; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} CPUs)`);
console.log(`  ${SEQUENTIAL} sequential create+start+wait+remove of /bin/true: runtime ${f(s.runtimeMs)} ms (${f(s.runtimeMs / SEQUENTIAL, 1)} ms each), runc run ${f(s.runcMs)} ms (${f(s.runcMs / SEQUENTIAL, 1)} ms each) → ${f(s.ratio, 2)}× runc (goal ≤ 1.5×; containerd CRI here ≈ 4.3×; runc anchor 100 × true 1.95–2.07 s)`);
const c = results.concurrent;
console.log(`  ${c.pods} pods at once, RunPodSandbox → running: p50 ${f(c.p50)} ms, p99 ${f(c.p99)} ms, max ${f(c.max)} ms (goal p99 ≤ 300 ms; containerd CRI here p50 ≈ 2.35–2.40 s, p99 ≈ 2.5–2.75 s)`);
const m = results.memory;
console.log(`  memory per running container: conmon ${f(m.conmonKiB)} KiB + runtime growth ${f(m.runtimeGrowthKiB)} KiB = ${f(m.totalKiB)} KiB (over ${m.containers} containers)`);
if (process.env.WHARF_BENCH_JSON) console.log(JSON.stringify(results));
