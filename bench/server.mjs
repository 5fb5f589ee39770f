// `wharf server` benchmarks (issue 8), printed next to their anchors:
//  1. cold start: process spawn → the node Ready (issue goal ≤ 2 s);
//  2. cold start → every Deployment of examples/microservices Available;
//  3. peak RSS (VmHWM) of the server process idle, and with the example app
//     running (goal idle ≤ 150 MB; anchor k3s server ≈ 535 MB idle).
// Each run starts from an empty data directory (the example images are built
// once beforehand and shared), inside its own network, mount and PID
// namespaces: the bridge and pod IPs never touch the host, and the end of the
// namespace takes every container with it. Needs root and a build.
//   node bench/server.mjs [runs=3]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');
const WHARF = path.join(repo, 'bin/wharf');
const IDLE_SETTLE_MS = 10_000;
const APP_SETTLE_MS = 15_000;
const APP_TIMEOUT_MS = Number(process.env.WHARF_BENCH_APP_TIMEOUT_MS ?? 120_000);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

if (process.env.WHARF_BENCH_SERVER_RUN) {
  // Inside the namespaces: one cold start, one JSON line on stdout.
  process.stdout.write(`${JSON.stringify(await oneRun(process.env.WHARF_BENCH_SERVER_RUN))}\n`);
  process.exit(0);
}

const runs = Number(process.argv[2] ?? 3);
const base = mkdtempSync(path.join(os.tmpdir(), 'wharf-bench-server-'));
try {
  const images = path.join(base, 'shared');
  const { buildExampleImages } = await import(path.join(repo, 'examples/images/build.mjs'));
  process.stdout.write('building the example images once (not measured)…\n');
  await buildExampleImages(images);
  const results = [];
  for (let i = 0; i < runs; i++) {
    const dir = path.join(base, `run-${i}`);
    mkdirSync(dir);
    symlinkSync(path.join(images, 'images'), path.join(dir, 'images'));
    const r = spawnSync(
      'unshare',
      ['--net', '--mount', '--pid', '--fork', '--mount-proc', '--', 'sh', '-c', 'ip link set lo up && exec "$@"', 'sh', process.execPath, fileURLToPath(import.meta.url)],
      { env: { ...process.env, WHARF_BENCH_SERVER_RUN: dir }, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', timeout: APP_TIMEOUT_MS + 120_000 },
    );
    removePodCgroups(path.join(dir, 'run'));
    const line = (r.stdout ?? '').trim().split('\n').at(-1) ?? '';
    if (r.status !== 0 || !line.startsWith('{')) {
      process.stderr.write(`run ${i + 1} failed (exit ${r.status}): ${r.stdout}\n`);
      process.exitCode = 1;
      continue;
    }
    const res = JSON.parse(line);
    results.push(res);
    process.stdout.write(`run ${i + 1}: ${JSON.stringify(res)}\n`);
  }
  if (results.length > 0) report(results);
} finally {
  rmSync(base, { recursive: true, force: true });
}

function report(results) {
  const med = (xs) => {
    const s = xs.filter((x) => typeof x === 'number').sort((a, b) => a - b);
    return s.length ? s[Math.floor((s.length - 1) / 2)] : undefined;
  };
  const sec = (ms) => (ms === undefined ? 'not reached' : `${(ms / 1000).toFixed(2)} s`);
  const mb = (kb) => (kb === undefined ? 'n/a' : `${(kb / 1024).toFixed(0)} MB`);
  const n = results.length;
  console.log(`\nwharf server, median of ${n} cold start${n > 1 ? 's' : ''} (empty data dir, images present):`);
  console.log(`  spawn → node Ready              ${sec(med(results.map((r) => r.nodeReadyMs)))}   (goal ≤ 2 s)`);
  console.log(`  apply → example app Available   ${sec(med(results.map((r) => r.applyToAvailableMs)))}   (5 pods: store, 2 api, 2 web)`);
  console.log(`  spawn → example app Available   ${sec(med(results.map((r) => r.appAvailableMs)))}   (the two above; anchor: k3s ≈ 50 s until its default pods are Ready)`);
  console.log(`  server RSS idle                 ${mb(med(results.map((r) => r.idleRssKb)))}, peak ${mb(med(results.map((r) => r.idlePeakKb)))}   (goal ≤ 150 MB; anchor: k3s server ≈ 535 MB idle)`);
  console.log(`  server RSS with the example     ${mb(med(results.map((r) => r.appRssKb)))}, peak ${mb(med(results.map((r) => r.appPeakKb)))}   (anchor: k3s ≈ 1.4–1.6 GB with a small workload)`);
  console.log(`  conmon + containers' RSS        ${mb(med(results.map((r) => r.containersRssKb)))}`);
  console.log(`  SIGTERM → server exited         ${sec(med(results.map((r) => r.stopMs)))}`);
  const missing = results.filter((r) => r.appAvailableMs === undefined);
  if (missing.length) console.log(`  (example app not Available within ${APP_TIMEOUT_MS / 1000} s in ${missing.length} run(s): ${missing[0].appProgress})`);
}

/** One cold start of `wharf server` in the current (fresh) namespaces. */
async function oneRun(dir) {
  const dataDir = dir;
  const kubeconfig = path.join(dataDir, 'kubeconfig');
  const port = 20000 + Math.floor(Math.random() * 20000);
  const started = Date.now();
  const server = spawn(process.execPath, [WHARF, 'server', '--data-dir', dataDir, '--state-dir', path.join(dir, 'run'), '--listen', `127.0.0.1:${port}`], {
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  const exited = new Promise((r) => server.once('exit', r));
  const out = {};
  try {
    while (!existsSync(kubeconfig)) await sleep(10);
    const api = client(kubeconfig);
    for (;;) {
      const nodes = await api('/api/v1/nodes').catch(() => undefined);
      const ready = nodes?.items?.some((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
      if (ready) break;
      await sleep(20);
    }
    out.nodeReadyMs = Date.now() - started;
    await sleep(IDLE_SETTLE_MS);
    Object.assign(out, rss(server.pid, 'idle'));

    const applyAt = Date.now();
    const apply = spawnSync(process.execPath, [WHARF, 'apply', '--kubeconfig', kubeconfig, '-f', path.join(repo, 'examples/microservices/')], { encoding: 'utf8' });
    if (apply.status !== 0) throw new Error(`apply failed: ${apply.stderr}`);
    for (;;) {
      const list = await api('/apis/apps/v1/namespaces/shop/deployments').catch(() => undefined);
      const items = list?.items ?? [];
      out.appProgress = items.map((d) => `${d.metadata.name} ${d.status?.availableReplicas ?? 0}/${d.spec.replicas ?? 1}`).join(', ');
      if (items.length === 3 && items.every(available)) {
        out.applyToAvailableMs = Date.now() - applyAt;
        // From spawn, leaving out the idle pause the RSS sample needs.
        out.appAvailableMs = out.nodeReadyMs + out.applyToAvailableMs;
        break;
      }
      if (Date.now() - applyAt > APP_TIMEOUT_MS) break;
      await sleep(100);
    }
    await sleep(APP_SETTLE_MS);
    Object.assign(out, rss(server.pid, 'app'));
    out.containersRssKb = containersRss(server.pid);
  } finally {
    const stopAt = Date.now();
    server.kill('SIGTERM');
    await exited;
    out.stopMs = Date.now() - stopAt;
  }
  return out;
}

function available(d) {
  const st = d.status ?? {};
  const want = d.spec.replicas ?? 1;
  return (st.observedGeneration ?? 0) >= d.metadata.generation && (st.availableReplicas ?? 0) >= want && (st.updatedReplicas ?? 0) === want;
}

function rss(pid, prefix) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(status)?.[1]);
  return { [`${prefix}RssKb`]: kb('VmRSS'), [`${prefix}PeakKb`]: kb('VmHWM') };
}

/** RSS of every process in this PID namespace except the bench and the server: conmon and the containers. */
function containersRss(serverPid) {
  let total = 0;
  for (const p of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    if (Number(p) === process.pid || Number(p) === serverPid) continue;
    try {
      total += Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      // Exited meanwhile.
    }
  }
  return total;
}

/** A tiny HTTPS GET client from the admin kubeconfig `wharf server` writes (bearer token, CA data). */
function client(kubeconfig) {
  const text = readFileSync(kubeconfig, 'utf8');
  const server = /server:\s*(\S+)/.exec(text)?.[1];
  const token = /token:\s*(\S+)/.exec(text)?.[1];
  const ca = Buffer.from(/certificate-authority-data:\s*(\S+)/.exec(text)?.[1] ?? '', 'base64');
  return (p) =>
    new Promise((resolve, reject) => {
      https
        .get(`${server}${p}`, { ca, headers: { authorization: `Bearer ${token}` }, timeout: 5000 }, (res) => {
          let s = '';
          res.setEncoding('utf8');
          res.on('data', (c) => (s += c));
          res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(s)) : reject(new Error(`${p}: HTTP ${res.statusCode}`))));
        })
        .on('error', reject);
    });
}

/** The pod cgroups a run's runtime made (named after its sandboxes), deepest first. */
function removePodCgroups(stateDir) {
  const dir = path.join(stateDir, 'sandboxes');
  if (!existsSync(dir)) return;
  const ids = readdirSync(dir).map((f) => f.replace(/\.json$/, ''));
  const parents = [...readdirSync('/sys/fs/cgroup').map((c) => path.join('/sys/fs/cgroup', c, 'wharf')), '/sys/fs/cgroup/wharf'];
  const rmTree = (d) => {
    for (const e of readdirSync(d)) {
      try {
        if (statSync(path.join(d, e)).isDirectory()) rmTree(path.join(d, e));
      } catch {
        // Gone meanwhile.
      }
    }
    try {
      rmdirSync(d);
    } catch {
      // Busy: a process still being reaped.
    }
  };
  for (let attempt = 0; attempt < 10; attempt++) {
    for (const parent of parents) for (const id of ids) if (existsSync(path.join(parent, `pod-${id}`))) rmTree(path.join(parent, `pod-${id}`));
    spawnSync('sleep', ['0.1']);
  }
}
