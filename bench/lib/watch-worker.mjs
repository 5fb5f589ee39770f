// One share of the fan-out benchmark's watchers, in its own thread so the
// client side does not become the bottleneck being measured.
import { parentPort, workerData } from 'node:worker_threads';
import { Agent, request } from 'node:https';

const { port, token, ca, path, count } = workerData;
const agent = new Agent({ keepAlive: true, maxSockets: count + 10, ca });
const latencies = [];
const SENT = '"sent":"';

function open() {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent, headers: { authorization: `Bearer ${token}`, accept: 'application/json' } }, (res) => {
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        // Every event carries its send time; scan for it without parsing JSON.
        const now = performance.timeOrigin + performance.now();
        let at = chunk.indexOf(SENT);
        while (at >= 0) {
          const start = at + SENT.length;
          latencies.push(now - Number(chunk.slice(start, chunk.indexOf('"', start))));
          at = chunk.indexOf(SENT, start);
        }
      });
      resolve(req);
    });
    req.on('error', reject);
    req.end();
  });
}

const reqs = [];
for (let i = 0; i < count; i += 50) reqs.push(...(await Promise.all(Array.from({ length: Math.min(50, count - i) }, open))));
parentPort.postMessage({ ready: true });
parentPort.on('message', (msg) => {
  if (msg === 'count') parentPort.postMessage({ delivered: latencies.length });
  if (msg === 'stop') {
    for (const r of reqs) r.destroy();
    agent.destroy();
    parentPort.postMessage({ latencies });
  }
});
