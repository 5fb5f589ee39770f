// What the three example services share: JSON logging, config from the
// environment and from mounted Secret files, an HTTP server that drains on
// SIGTERM, and upstream calls by service DNS name. Plain Node.js, no packages.
import { lookup } from 'node:dns/promises';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { hostname } from 'node:os';

export const POD = process.env.POD_NAME ?? hostname();

export function log(msg, fields = {}) {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), service: process.env.SERVICE_NAME, pod: POD, msg, ...fields })}\n`);
}

export function env(name, fallback) {
  const v = process.env[name];
  if (v === undefined || v === '') {
    if (fallback === undefined) throw new Error(`environment variable ${name} is required`);
    return fallback;
  }
  return v;
}

/** A key of a Secret mounted as a volume (re-read on every call, so a rotated Secret is picked up). */
export function secretFile(dir, key) {
  return readFileSync(`${dir}/${key}`, 'utf8').trim();
}

export function sendJson(res, status, body) {
  const text = `${JSON.stringify(body)}\n`;
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export function bearer(req) {
  return /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
}

/**
 * Serves `handler` on `port` plus /healthz (alive) and /readyz (ready and not
 * draining). On SIGTERM the pod first reports unready and keeps serving for
 * `drainMs`, so the endpoints controller and the service proxy stop sending it
 * traffic before it closes: a rolling update drops no request.
 */
export function serve({ port, handler, ready = () => true, drainMs = 3000, onStop = () => {} }) {
  let draining = false;
  const server = http.createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    try {
      if (path === '/healthz') return sendJson(res, 200, { ok: true });
      if (path === '/readyz') {
        const ok = !draining && (await ready());
        return sendJson(res, ok ? 200 : 503, { ready: ok, draining });
      }
      await handler(req, res, path);
    } catch (err) {
      log('request failed', { path, error: String(err?.message ?? err) });
      if (!res.headersSent) sendJson(res, 502, { error: String(err?.message ?? err) });
      else res.destroy();
    }
  });
  // Connections are not reused across a drain: each response closes its socket.
  server.keepAliveTimeout = 1000;
  server.listen(port, () => log('listening', { port }));
  const stop = (signal) => {
    if (draining) return;
    draining = true;
    log('draining', { signal, drainMs });
    setTimeout(() => {
      server.close(() => {
        onStop();
        log('stopped');
        process.exit(0);
      });
      server.closeIdleConnections?.();
      setTimeout(() => process.exit(0), 5000).unref();
    }, drainMs).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  return server;
}

/** Hosts whose DNS lookup failed recently → when to try DNS again. */
const dnsDown = new Map();
const DNS_WAIT_MS = 500;
const DNS_RETRY_MS = 30_000;

/**
 * Where to connect for `http://<service>[:port]`: the name through cluster
 * DNS first; if DNS does not answer (no cluster DNS on this node), the
 * Docker-links variables every pod gets for the Services that existed when it
 * started: <SERVICE>_SERVICE_HOST and <SERVICE>_SERVICE_PORT.
 */
async function target(u) {
  const port = Number(u.port || 80);
  const prefix = u.hostname.split('.')[0].toUpperCase().replace(/-/g, '_');
  const envHost = process.env[`${prefix}_SERVICE_HOST`];
  const envTarget = envHost ? { host: envHost, port: u.port ? port : Number(process.env[`${prefix}_SERVICE_PORT`] ?? port) } : undefined;
  if (/^[\d.]+$/.test(u.hostname) || !envTarget || (dnsDown.get(u.hostname) ?? 0) < Date.now()) {
    try {
      const timeout = new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer in ${DNS_WAIT_MS} ms`)), envTarget ? DNS_WAIT_MS : 5000).unref());
      const { address } = await Promise.race([lookup(u.hostname, { family: 4 }), timeout]);
      dnsDown.delete(u.hostname);
      return { host: address, port };
    } catch (err) {
      if (!envTarget) throw err;
      if (!dnsDown.has(u.hostname)) log('cluster DNS did not resolve the service; using its environment variables', { host: u.hostname, error: String(err.message), target: envTarget });
      dnsDown.set(u.hostname, Date.now() + DNS_RETRY_MS);
    }
  }
  return envTarget;
}

/** The connection to the peer was never made, so the request never left: safe to try again. */
class ConnectError extends Error {
  constructor(message, cause) {
    super(message, { cause });
    this.name = 'ConnectError';
  }
}

/**
 * One HTTP request to another service, e.g. `http://store/incr/visits` (the
 * short name resolves through the pod's DNS search path to
 * store.<namespace>.svc.cluster.local). A fresh connection per call: a pooled
 * socket would stay pinned to a pod that has since gone away. A call whose
 * connection could not be made (refused, unreachable, no answer within
 * `connectTimeoutMs`) is tried once more: the service proxy may still have
 * been pointing at a pod that just left.
 */
export async function call(url, opts = {}) {
  const u = new URL(url);
  try {
    return await callOnce(u, await target(u), opts);
  } catch (err) {
    if (!(err instanceof ConnectError)) throw err;
    log('retrying after a failed connection', { url, error: err.message });
    return callOnce(u, await target(u), opts);
  }
}

function callOnce(u, to, { method = 'GET', token, body, timeoutMs = 2000, connectTimeoutMs = 1000 } = {}) {
  const url = u.href;
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    let connected = false;
    const req = http.request(
      {
        host: to.host,
        port: to.port,
        path: `${u.pathname}${u.search}`,
        method,
        agent: false,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
        },
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          clearTimeout(timer);
          const text = Buffer.concat(chunks).toString('utf8');
          let json;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          if ((res.statusCode ?? 0) >= 400) reject(new Error(`${method} ${url}: HTTP ${res.statusCode} ${text.trim()}`));
          else resolve(json);
        });
      },
    );
    const connectTimer = setTimeout(() => req.destroy(new ConnectError(`${method} ${url}: no connection after ${connectTimeoutMs} ms`)), connectTimeoutMs);
    const timer = setTimeout(() => req.destroy(new Error(`${method} ${url}: timed out after ${timeoutMs} ms`)), timeoutMs);
    req.on('socket', (socket) =>
      socket.once('connect', () => {
        connected = true;
        clearTimeout(connectTimer);
      }),
    );
    req.on('error', (err) => {
      clearTimeout(connectTimer);
      clearTimeout(timer);
      reject(!connected && !(err instanceof ConnectError) && ['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET'].includes(err.code) ? new ConnectError(`${method} ${url}: ${err.message}`, err) : err);
    });
    req.end(payload);
  });
}
