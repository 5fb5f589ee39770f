// Shared by the controller benchmarks: an apiserver, a controller-manager
// child process, hollow nodes, and a watch that timestamps pod transitions.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { defaultRestConfig, RestClient, R } from '../client/dist/index.js';
import { repo, startApiServer, percentile } from './lib/apiserver-proc.mjs';

export { percentile };

export async function startControlPlane() {
  const api = await startApiServer();
  const config = defaultRestConfig(api.url, { ca: Buffer.from(api.ca), token: api.token, maxSockets: 128 });
  const client = new RestClient(config);
  return { api, client, config };
}

/** The controller-manager as its own process (cm-main.mjs), with a kubeconfig written for it. */
export async function startControllerManager(api, controllers) {
  const { writeFileSync, mkdtempSync } = await import('node:fs');
  const os = await import('node:os');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wharf-bench-cm-'));
  const kubeconfig = path.join(dir, 'kubeconfig');
  writeFileSync(
    kubeconfig,
    [
      'apiVersion: v1', 'kind: Config', 'current-context: bench',
      'clusters: [{name: bench, cluster: {server: "' + api.url + '", certificate-authority-data: ' + Buffer.from(api.ca).toString('base64') + '}}]',
      'users: [{name: bench, user: {token: ' + api.token + '}}]',
      'contexts: [{name: bench, context: {cluster: bench, user: bench}}]',
      '',
    ].join('\n'),
  );
  const nodeArgs = (process.env.WHARF_BENCH_CM_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, path.join(repo, 'test/controllers/cm-main.mjs'), '--kubeconfig', kubeconfig, '--leader-elect=false', '--controllers', controllers], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, WHARF_LOG_LEVEL: 'warn' },
  });
  let logs = '';
  child.stderr.on('data', (c) => (logs += c));
  return {
    pid: child.pid,
    logs: () => logs,
    async stop() {
      child.kill('SIGTERM');
      await once(child, 'exit').catch(() => {});
    },
  };
}

export async function parallel(count, concurrency, fn) {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < count) await fn(next++);
  }));
}

export async function addNodes(client, count, shape) {
  const now = new Date().toISOString();
  await parallel(count, 32, async (i) => {
    const name = `hollow-${i}`;
    await client.create(R.nodes, undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name } } });
    await client.patch(R.nodes, undefined, name, 'merge', {
      status: { capacity: shape, allocatable: shape, conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: now, lastTransitionTime: now, reason: 'KubeletReady' }] },
    }, { subresource: 'status' });
  });
}

/** Watches pods and records when each was first seen, and first seen bound. */
export function trackPods(client, namespace) {
  const seen = new Map();
  const bound = new Map();
  const stream = client.watch(R.pods, { namespace, resourceVersion: '0' });
  const done = (async () => {
    for await (const e of stream) {
      const name = e.object.metadata.name;
      const t = performance.now();
      if (!seen.has(name)) seen.set(name, t);
      if (e.object.spec?.nodeName && !bound.has(name)) bound.set(name, t);
    }
  })().catch(() => {});
  return { seen, bound, stop: () => (stream.stop(), done) };
}

export async function waitFor(cond, timeoutMs, what) {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
