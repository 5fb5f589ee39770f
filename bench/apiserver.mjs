// apiserver benchmarks (issue 2), printed next to their goals and anchors:
//  1. create throughput, 32 concurrent clients, realistic pod bodies, on SQLite
//     and on etcd, plus raw etcd3 puts/s with the same payload and concurrency;
//  2. watch fan-out: 1,000 watchers, 200 writes/s, delivery latency p50/p99;
//  3. apiserver RSS with 10,000 pods stored and cached.
// Needs a build (make build) and /usr/bin/etcd. Everything on loopback.
import { Worker } from 'node:worker_threads';
import { percentile, realisticPod, repo, startApiServer, startEtcd } from './lib/apiserver-proc.mjs';

const CREATES = Number(process.env.WHARF_BENCH_CREATES ?? 5000);
const CONCURRENCY = 32;
const WATCHERS = Number(process.env.WHARF_BENCH_WATCHERS ?? 1000);
const WRITE_RATE = 200;
const WATCH_SECONDS = Number(process.env.WHARF_BENCH_WATCH_SECONDS ?? 10);
const RSS_PODS = Number(process.env.WHARF_BENCH_RSS_PODS ?? 10_000);

async function createPods(api, count, prefix) {
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const r = await api.call('POST', '/api/v1/namespaces/default/pods', realisticPod(`${prefix}-${i}`));
      if (r.status !== 201) throw new Error(`create failed ${r.status}: ${r.text}`);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return count / ((performance.now() - started) / 1000);
}

async function rawEtcdPuts(endpoint, count) {
  const { Etcd3 } = (await import('etcd3')).default;
  const client = new Etcd3({ hosts: `http://${endpoint}` });
  const value = JSON.stringify(realisticPod('raw-0'));
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < count) {
      const i = next++;
      await client.put(`/raw/pods/default/raw-${i}`).value(value);
    }
  }));
  const rate = count / ((performance.now() - started) / 1000);
  client.close();
  return rate;
}

const CLIENT_THREADS = 2;

async function watchFanout(api) {
  const start = JSON.parse((await api.call('GET', '/api/v1/namespaces/default/configmaps')).text).metadata.resourceVersion;
  const path = `/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${start}`;
  const workers = Array.from({ length: CLIENT_THREADS }, (_, i) => {
    const count = Math.floor(WATCHERS / CLIENT_THREADS) + (i < WATCHERS % CLIENT_THREADS ? 1 : 0);
    return new Worker(new URL('./lib/watch-worker.mjs', import.meta.url), { workerData: { port: api.port, token: api.token, ca: api.ca, path, count } });
  });
  const ask = (w, msg, key) => new Promise((resolve) => {
    const onMsg = (m) => { if (key in m) { w.off('message', onMsg); resolve(m[key]); } };
    w.on('message', onMsg);
    if (msg) w.postMessage(msg);
  });
  await Promise.all(workers.map((w) => ask(w, undefined, 'ready')));
  const total = WRITE_RATE * WATCH_SECONDS;
  const cpu0 = api.cpuSeconds();
  const t0 = performance.now();
  for (let i = 0; i < total; i++) {
    const due = t0 + (i * 1000) / WRITE_RATE;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    void api.call('POST', '/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `fan-${i}` }, data: { sent: String(performance.timeOrigin + performance.now()) } });
  }
  const serverCpu = (api.cpuSeconds() - cpu0) / ((performance.now() - t0) / 1000);
  const deadline = performance.now() + 30_000;
  let delivered = 0;
  while (performance.now() < deadline) {
    delivered = (await Promise.all(workers.map((w) => ask(w, 'count', 'delivered')))).reduce((a, b) => a + b, 0);
    if (delivered >= total * WATCHERS) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const latencies = (await Promise.all(workers.map((w) => ask(w, 'stop', 'latencies')))).flat();
  await Promise.all(workers.map((w) => w.terminate()));
  latencies.sort((a, b) => a - b);
  return { delivered: latencies.length, expected: total * WATCHERS, p50: percentile(latencies, 50), p99: percentile(latencies, 99), serverCpu };
}

const fmt = (n, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

console.log('## apiserver (issue 2)');
{
  const api = await startApiServer();
  const rate = await createPods(api, CREATES, 'sq');
  console.log(`create throughput, SQLite:  ${fmt(rate)} pods/s  (${CREATES} creates, ${CONCURRENCY} clients; goal ≥ 3,000/s)`);
  await api.stop();
}
{
  const etcd = await startEtcd();
  const api = await startApiServer({ store: `etcd://${etcd.endpoint}` });
  const rate = await createPods(api, CREATES, 'et');
  const raw = await rawEtcdPuts(etcd.endpoint, CREATES);
  console.log(`create throughput, etcd:    ${fmt(rate)} pods/s; raw etcd3 puts ${fmt(raw)}/s same payload → ratio ${fmt((rate / raw) * 100)}% (goal ≥ 60%; anchor raw etcd from Node ≈ 2,000 puts/s)`);
  await api.stop();
  await etcd.stop();
}
{
  const api = await startApiServer();
  const r = await watchFanout(api);
  console.log(`watch fan-out: ${WATCHERS} watchers, ${WRITE_RATE} writes/s for ${WATCH_SECONDS} s: delivered ${fmt(r.delivered)}/${fmt(r.expected)}, latency p50 ${fmt(r.p50, 1)} ms, p99 ${fmt(r.p99, 1)} ms (goal p99 ≤ 50 ms); apiserver used ${fmt(r.serverCpu * 100)}% of a core`);
  await api.stop();
}
{
  const api = await startApiServer({ extraArgs: process.env.WHARF_BENCH_RSS_ARGS ? process.env.WHARF_BENCH_RSS_ARGS.split(' ') : [] });
  await createPods(api, RSS_PODS, 'rss');
  await api.call('GET', '/api/v1/pods');
  // Let V8's memory reducer run once the burst is over: the figure is the
  // settled footprint of 10,000 cached pods, not the garbage of creating them.
  await new Promise((r) => setTimeout(r, 15_000));
  const metrics = (await api.call('GET', '/metrics')).text;
  const heapUsed = Number(/^nodejs_heap_size_used_bytes (\S+)/m.exec(metrics)?.[1] ?? NaN);
  console.log(`apiserver RSS with ${fmt(RSS_PODS)} pods stored and cached: ${fmt(api.rssBytes() / 2 ** 20)} MB, of which JS heap in use ${fmt(heapUsed / 2 ** 20)} MB (goal ≤ 250 MB; anchor k3s server idle ≈ 535 MB)`);
  await api.stop();
}
void repo;
