// store: a tiny key-value and counter server. Its data lives in one JSON file
// on the pod's emptyDir volume, so it survives container restarts (a crash,
// a failed liveness probe) but not the pod's deletion — stateful-ish.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { bearer, env, log, readBody, sendJson, serve, POD } from '../lib/service.mjs';

const port = Number(env('PORT', '8080'));
const dataFile = `${env('DATA_DIR', '/data')}/store.json`;
const storeName = env('STORE_NAME', 'store');
const token = env('STORE_TOKEN');

const data = existsSync(dataFile) ? JSON.parse(readFileSync(dataFile, 'utf8')) : {};
const startedAt = new Date().toISOString();
log('loaded', { keys: Object.keys(data).length, dataFile });

/** Write-then-rename: a kill mid-write leaves the previous file intact. */
function persist() {
  writeFileSync(`${dataFile}.tmp`, JSON.stringify(data));
  renameSync(`${dataFile}.tmp`, dataFile);
}

serve({
  port,
  drainMs: Number(env('DRAIN_MS', '2000')),
  async handler(req, res, path) {
    if (bearer(req) !== token) return sendJson(res, 401, { error: 'bad or missing store token' });
    const kv = /^\/kv\/([\w.-]+)$/.exec(path);
    const incr = /^\/incr\/([\w.-]+)$/.exec(path);
    const about = { store: storeName, pod: POD, startedAt };
    if (kv && req.method === 'GET') {
      const key = kv[1];
      if (!(key in data)) return sendJson(res, 404, { error: `no key ${key}`, ...about });
      return sendJson(res, 200, { key, value: data[key], ...about });
    }
    if (kv && req.method === 'PUT') {
      const key = kv[1];
      data[key] = JSON.parse(await readBody(req)).value;
      persist();
      return sendJson(res, 200, { key, value: data[key], ...about });
    }
    if (incr && req.method === 'POST') {
      const key = incr[1];
      data[key] = (typeof data[key] === 'number' ? data[key] : 0) + 1;
      persist();
      return sendJson(res, 200, { key, value: data[key], ...about });
    }
    if (path === '/keys') return sendJson(res, 200, { keys: Object.keys(data), ...about });
    return sendJson(res, 404, { error: `no route ${req.method} ${path}` });
  },
});
