// Benchmark helpers: start a built `bin/wharf apiserver` as a child process and
// talk to it over HTTPS keep-alive with the admin token; start a throwaway etcd.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export async function freePort() {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  server.close();
  await once(server, 'close');
  return port;
}

export async function startApiServer({ store, extraArgs = [] } = {}) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'wharf-bench-api-'));
  const args = [path.join(repo, 'bin/wharf'), 'apiserver', '--listen', '127.0.0.1:0', '--data-dir', dataDir, ...(store ? ['--store', store] : []), ...extraArgs];
  const child = spawn(process.execPath, [...(process.env.WHARF_BENCH_NODE_FLAGS ? process.env.WHARF_BENCH_NODE_FLAGS.split(' ') : []), ...(process.env.WHARF_PROF ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] : []), ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let logs = '';
  const url = await new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`apiserver did not start:\n${logs}`)), 30_000);
    child.stderr.on('data', (c) => {
      logs += c;
      const m = /"url":"([^"]+)"/.exec(logs);
      if (m) { clearTimeout(t); resolve(m[1]); }
    });
    child.once('exit', (code) => reject(new Error(`apiserver exited ${code}:\n${logs}`)));
  });
  const token = readFileSync(path.join(dataDir, 'admin.token'), 'utf8').trim();
  const ca = readFileSync(path.join(dataDir, 'pki', 'ca.crt'), 'utf8');
  const port = Number(new URL(url).port);
  const agent = new Agent({ keepAlive: true, maxSockets: 256, ca });
  const call = (method, p, body, headers = {}) =>
    new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = request({ host: '127.0.0.1', port, path: p, method, agent, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json', ...(payload ? { 'content-length': Buffer.byteLength(payload) } : {}), ...headers } }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString() }));
      });
      req.on('error', reject);
      if (payload) req.write(payload);
      req.end();
    });
  return {
    url, port, token, ca, child, call,
    /** CPU seconds the apiserver process has used so far. */
    cpuSeconds() {
      const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return (Number(fields[11]) + Number(fields[12])) / 100;
    },
    rssBytes() {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+) kB/.exec(status)[1]) * 1024;
    },
    async stop() {
      agent.destroy();
      child.kill('SIGKILL');
      await once(child, 'exit').catch(() => {});
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function startEtcd() {
  const base = mkdtempSync(path.join(os.tmpdir(), 'wharf-bench-etcd-'));
  const [client, peer] = [await freePort(), await freePort()];
  const clientUrl = `http://127.0.0.1:${client}`;
  const peerUrl = `http://127.0.0.1:${peer}`;
  const child = spawn('/usr/bin/etcd', [
    '--name=bench', `--data-dir=${path.join(base, 'data')}`,
    `--listen-client-urls=${clientUrl}`, `--advertise-client-urls=${clientUrl}`,
    `--listen-peer-urls=${peerUrl}`, `--initial-advertise-peer-urls=${peerUrl}`,
    `--initial-cluster=bench=${peerUrl}`, '--log-level=error',
  ], { stdio: 'ignore' });
  for (let i = 0; i < 300; i++) {
    try {
      const res = await fetch(`${clientUrl}/health`);
      if (res.ok) break;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    endpoint: `127.0.0.1:${client}`,
    async stop() {
      child.kill('SIGKILL');
      await once(child, 'exit').catch(() => {});
      rmSync(base, { recursive: true, force: true });
    },
  };
}

export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** A pod as a Deployment's ReplicaSet creates it: labels, owner, resources, probes, env. */
export function realisticPod(name) {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: {
      name, labels: { app: 'web', 'pod-template-hash': '7d9f8c6b5' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-7d9f8c6b5', uid: '0b7e3a52-9c1d-4f0e-8a2b-5c6d7e8f9a0b', controller: true, blockOwnerDeletion: true }],
    },
    spec: {
      containers: [{
        name: 'app', image: 'registry.local/shop/web:1.4.2', command: ['/app/server'], args: ['--port=8080', '--log=json'],
        ports: [{ name: 'http', containerPort: 8080 }],
        env: [{ name: 'MODE', value: 'production' }, { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
        resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
        readinessProbe: { httpGet: { path: '/ready', port: 8080 }, periodSeconds: 5 },
        livenessProbe: { httpGet: { path: '/healthz', port: 8080 }, initialDelaySeconds: 10 },
        volumeMounts: [{ name: 'config', mountPath: '/etc/app' }],
      }],
      volumes: [{ name: 'config', configMap: { name: 'web-config' } }],
    },
  };
}
