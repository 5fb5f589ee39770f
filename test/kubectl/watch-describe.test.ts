// kubectl get -w (Table rows in watch events), describe, wait and delete.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, type ApiServerProcess } from '../harness/apiserver.js';
import { KUBECTL_1_32, kubectlFor, type Kubectl } from './kubectl.js';

let api: ApiServerProcess;
let kubectl: Kubectl;

beforeAll(async () => {
  api = await startApiServer();
  kubectl = kubectlFor(api);
});
afterAll(async () => {
  await api?.cleanup();
});

/** Starts a long-running kubectl and resolves lines as they arrive. */
function follow(args: string[]) {
  const child = spawn(KUBECTL_1_32, ['--kubeconfig', api.kubeconfig, '--cache-dir', `${api.dataDir}/kubectl-cache`, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const waiters: Array<{ test: (s: string) => boolean; resolve: () => void }> = [];
  const check = () => {
    for (const w of [...waiters]) {
      if (w.test(out)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  };
  child.stdout.on('data', (c: Buffer) => {
    out += c.toString();
    check();
  });
  child.stderr.on('data', (c: Buffer) => {
    err += c.toString();
  });
  return {
    output: () => out,
    until(test: (s: string) => boolean, what: string): Promise<void> {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; stdout:\n${out}\nstderr:\n${err}`)), 30_000);
        waiters.push({ test, resolve: () => (clearTimeout(timer), resolve()) });
        check();
      });
    },
    stop(): Promise<void> {
      return new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
    },
  };
}

const cm = (name: string, data: Record<string, string>) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data });

describe('kubectl get -w', () => {
  it('prints ADDED, MODIFIED and DELETED rows from the Table watch', async () => {
    expect((await api.request('POST', '/api/v1/namespaces/default/configmaps', cm('before', { a: '1' }))).status).toBe(201);
    const watch = follow(['get', 'configmaps', '-w', '--output-watch-events', '-n', 'default']);
    try {
      await watch.until((s) => /ADDED\s+before\s+1\s/.test(s), 'the initial row');
      expect(watch.output().split('\n')[0]).toMatch(/^EVENT\s+NAME\s+DATA\s+AGE$/);
      expect((await api.request('POST', '/api/v1/namespaces/default/configmaps', cm('live', { a: '1' }))).status).toBe(201);
      await watch.until((s) => /ADDED\s+live\s+1\s/.test(s), 'ADDED live');
      const patched = await api.request('PATCH', '/api/v1/namespaces/default/configmaps/live', { data: { a: '1', b: '2' } }, { 'content-type': 'application/merge-patch+json' });
      expect(patched.status, patched.text).toBe(200);
      await watch.until((s) => /MODIFIED\s+live\s+2\s/.test(s), 'MODIFIED live');
      expect((await api.request('DELETE', '/api/v1/namespaces/default/configmaps/live')).status).toBe(200);
      await watch.until((s) => /DELETED\s+live\s+2\s/.test(s), 'DELETED live');
    } finally {
      await watch.stop();
    }
  });
});

describe('kubectl describe, wait and delete', () => {
  it('describes a deployment with its events section', async () => {
    const d = await kubectl('create', 'deployment', 'web', '--image=nginx:1.25', '--replicas=2');
    expect(d.code, d.stderr).toBe(0);
    const r = await kubectl('describe', 'deployment', 'web');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Name:\s+web$/m);
    expect(r.stdout).toMatch(/^Namespace:\s+default$/m);
    expect(r.stdout).toMatch(/^Selector:\s+app=web$/m);
    expect(r.stdout).toMatch(/^Replicas:\s+2 desired/m);
    expect(r.stdout).toMatch(/Image:\s+nginx:1\.25/);
  });

  it('waits for a condition set through the status subresource', async () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'waiter', namespace: 'default' },
      spec: { containers: [{ name: 'app', image: 'busybox' }] },
    };
    expect((await api.request('POST', '/api/v1/namespaces/default/pods', pod)).status).toBe(201);
    const waiting = kubectl('wait', '--for=condition=Ready', 'pod/waiter', '--timeout=30s');
    const status = { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z') }] } };
    const set = await api.request('PATCH', '/api/v1/namespaces/default/pods/waiter/status', status, { 'content-type': 'application/merge-patch+json' });
    expect(set.status, set.text).toBe(200);
    const r = await waiting;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe('pod/waiter condition met');
  });

  it('deletes what a manifest names', async () => {
    const file = kubectl.file('del.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: doomed\n  namespace: default\ndata:\n  a: b\n');
    expect((await kubectl('apply', '-f', file)).code).toBe(0);
    const r = await kubectl('delete', '-f', file);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe('configmap "doomed" deleted');
    expect((await api.request('GET', '/api/v1/namespaces/default/configmaps/doomed')).status).toBe(404);
    const missing = await kubectl('get', 'configmap', 'doomed');
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toBe('Error from server (NotFound): configmaps "doomed" not found');
  });
});
