// Storage benchmarks (issue 2), printed next to the ANCHORS.md figure:
// puts/s through the storage layer on SQLite and on etcd, and raw etcd3 puts/s
// in the same run — 32 requests in flight, 500-byte values, distinct keys
// (creates, as the apiserver does for new objects). Needs a build
// (`npx tsc -b apiserver`) and /usr/bin/etcd. etcd listens on loopback ports
// chosen by the OS, with a temporary data dir.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');
const { openSqliteStorage, openEtcdStorage } = await import(path.join(repo, 'apiserver/dist/storage/index.js'));
const { Etcd3 } = (await import('etcd3')).default;

const OPS = Number(process.env.WHARF_BENCH_STORAGE_OPS ?? 10_000);
const CONCURRENCY = 32;
const VALUE = JSON.stringify({ pad: 'x'.repeat(490) }).slice(0, 500).padEnd(500, ' ');
const ANCHOR_RAW_ETCD = 2000;

const base = mkdtempSync(path.join(os.tmpdir(), 'wharf-bench-storage-'));
let etcd;
process.on('exit', () => {
  etcd?.kill('SIGKILL');
  rmSync(base, { recursive: true, force: true });
});

async function freePort() {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  server.close();
  await once(server, 'close');
  return port;
}

async function startEtcd() {
  const [client, peer] = [await freePort(), await freePort()];
  const clientUrl = `http://127.0.0.1:${client}`;
  const peerUrl = `http://127.0.0.1:${peer}`;
  const child = spawn(
    process.env.WHARF_ETCD_BIN ?? '/usr/bin/etcd',
    [
      '--name=bench',
      `--data-dir=${path.join(base, 'etcd')}`,
      `--listen-client-urls=${clientUrl}`,
      `--advertise-client-urls=${clientUrl}`,
      `--listen-peer-urls=${peerUrl}`,
      `--initial-advertise-peer-urls=${peerUrl}`,
      `--initial-cluster=bench=${peerUrl}`,
      '--logger=zap',
      '--log-level=error',
    ],
    { stdio: 'ignore' },
  );
  for (let i = 0; i < 300; i++) {
    try {
      const res = await fetch(`${clientUrl}/health`);
      if ((await res.json()).health === 'true') return { child, endpoint: `127.0.0.1:${client}` };
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('etcd did not become healthy');
}

/** Runs `ops` calls of op(i) with CONCURRENCY in flight; returns calls per second. */
async function measure(op, ops = OPS) {
  let next = 0;
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < ops) await op(next++);
    }),
  );
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return ops / seconds;
}

/** Milliseconds to list every pod key in one call (best of 3). */
async function timeList(storage) {
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    const { kvs } = await storage.list('/registry/pods/');
    best = Math.min(best, performance.now() - start);
    if (kvs.length !== OPS) throw new Error(`listed ${kvs.length} keys, expected ${OPS}`);
  }
  return best;
}

const fmt = (n) => Math.round(n).toLocaleString('en-US');

// Warm-up runs are discarded: the first requests pay for connections and JIT.
const sqlite = await openSqliteStorage({ path: path.join(base, 'bench.db'), compactInterval: 0 });
await measure((i) => sqlite.create(`/warm/${i}`, VALUE), 1000);
const sqlitePuts = await measure((i) => sqlite.create(`/registry/pods/bench/p${i}`, VALUE));
const sqliteList = await timeList(sqlite);
await sqlite.close();

const started = await startEtcd();
etcd = started.child;
const raw = new Etcd3({ hosts: [started.endpoint] });
const store = await openEtcdStorage({ endpoints: [started.endpoint], prefix: '/wharf' });
await measure((i) => raw.put(`/warm/raw/${i}`).value(VALUE), 1000);
await measure((i) => store.create(`/warm/store/${i}`, VALUE), 1000);
// Alternate the two so that etcd's own drift (compaction, snapshots) hits both alike.
let rawPuts = 0;
let storePuts = 0;
for (let round = 0; round < 2; round++) {
  rawPuts += (await measure((i) => raw.put(`/raw/${round}/${i}`).value(VALUE), OPS / 2)) / 2;
  storePuts += (await measure((i) => store.create(`/registry/pods/bench${round}/p${i}`, VALUE), OPS / 2)) / 2;
}
const etcdList = await timeList(store);
await store.close();
raw.close();

console.log(`storage: ${fmt(OPS)} puts, ${CONCURRENCY} in flight, 500-byte values (${os.cpus().length} CPUs)`);
console.log(`  sqlite storage create      ${fmt(sqlitePuts).padStart(8)} puts/s   (goal ≥ 3,000 creates/s through the apiserver)`);
console.log(`  etcd storage create        ${fmt(storePuts).padStart(8)} puts/s`);
console.log(`  raw etcd3 put              ${fmt(rawPuts).padStart(8)} puts/s   (anchor ≈ ${fmt(ANCHOR_RAW_ETCD)} puts/s from Node on this machine)`);
console.log(`  etcd storage / raw etcd    ${((storePuts / rawPuts) * 100).toFixed(0).padStart(7)} %`);
console.log(`  list ${fmt(OPS)} keys: sqlite ${sqliteList.toFixed(0)} ms, etcd ${etcdList.toFixed(0)} ms`);
etcd.kill('SIGTERM');
await once(etcd, 'exit');
etcd = undefined;
