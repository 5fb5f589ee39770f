// apiserver benchmarks (issue 2), printed next to their goals and anchors:
//  1. create throughput, 32 concurrent clients, realistic pod bodies, on SQLite
//     and on etcd, plus raw etcd3 puts/s with the same payload and concurrency;
//  2. watch fan-out: 1,000 watchers, 200 writes/s, delivery latency p50/p99;
//  3. apiserver RSS with 10,000 pods stored and cached.
// Needs a build (make build) and /usr/bin/etcd. Everything on loopback.
import { Agent, request } from 'node:https';
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

function openWatcher(api, agent, path, onLine) {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: api.port, path, agent, headers: { authorization: `Bearer ${api.token}`, accept: 'application/json' } }, (res) => {
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        buf += chunk;
        let nl;
        while ((nl = buf.indexOf('\n')) >= 0) {
          onLine(buf.slice(0, nl));
          buf = buf.slice(nl + 1);
        }
      });
      resolve(req);
    });
    req.on('error', reject);
    req.end();
  });
}

async function watchFanout(api) {
  const agent = new Agent({ keepAlive: true, maxSockets: WATCHERS + 10, ca: api.ca });
  const start = JSON.parse((await api.call('GET', '/api/v1/namespaces/default/configmaps')).text).metadata.resourceVersion;
  const latencies = [];
  let delivered = 0;
  const onLine = (line) => {
    // The write time travels in the object; parse only that field.
    const m = /"sent":"(\d+(?:\.\d+)?)"/.exec(line);
    if (m) { latencies.push(performance.timeOrigin + performance.now() - Number(m[1])); delivered++; }
  };
  const reqs = [];
  for (let i = 0; i < WATCHERS; i += 50) {
    const batch = Array.from({ length: Math.min(50, WATCHERS - i) }, () => openWatcher(api, agent, `/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${start}`, onLine));
    reqs.push(...(await Promise.all(batch)));
  }
  const total = WRITE_RATE * WATCH_SECONDS;
  const t0 = performance.now();
  for (let i = 0; i < total; i++) {
    const due = t0 + (i * 1000) / WRITE_RATE;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    void api.call('POST', '/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `fan-${i}` }, data: { sent: String(performance.timeOrigin + performance.now()) } });
  }
  const deadline = performance.now() + 30_000;
  while (delivered < total * WATCHERS && performance.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  for (const r of reqs) r.destroy();
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return { delivered, expected: total * WATCHERS, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
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
  console.log(`watch fan-out: ${WATCHERS} watchers, ${WRITE_RATE} writes/s for ${WATCH_SECONDS} s: delivered ${fmt(r.delivered)}/${fmt(r.expected)}, latency p50 ${fmt(r.p50, 1)} ms, p99 ${fmt(r.p99, 1)} ms (goal p99 ≤ 50 ms)`);
  await api.stop();
}
{
  const api = await startApiServer();
  await createPods(api, RSS_PODS, 'rss');
  await api.call('GET', '/api/v1/pods');
  await new Promise((r) => setTimeout(r, 1000));
  console.log(`apiserver RSS with ${fmt(RSS_PODS)} pods stored and cached: ${fmt(api.rssBytes() / 2 ** 20)} MB (goal ≤ 250 MB; anchor k3s server idle ≈ 535 MB)`);
  await api.stop();
}
void repo;
