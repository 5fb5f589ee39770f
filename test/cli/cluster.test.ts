// wharf against a whole `wharf server` (controllers and a node agent running
// pods) inside its own network namespace: real rollouts, ReplicaSets and
// garbage collection, compared with kubectl on the same objects.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startNetnsServer, type NetnsServer, type RunResult } from '../autoscaling/netns-server.js';
import { WHARF } from '../harness/apiserver.js';

let s: NetnsServer;

function wharf(args: string[], input?: string): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = execFile('nsenter', [`--net=/proc/${s.pid}/ns/net`, process.execPath, WHARF, ...args.slice(0, 1), '--kubeconfig', join(s.dir, 'kubeconfig'), ...args.slice(1)], { timeout: 120_000, maxBuffer: 16 << 20, env: { ...process.env, HOME: s.dir } }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
    child.stdin?.end(input ?? '');
  });
}

/** Ages tick between two runs; retrying until they agree still demands byte equality. */
async function sameAsKubectl(args: string[]): Promise<string> {
  let w: RunResult | undefined;
  let k: RunResult | undefined;
  for (let i = 0; i < 3; i++) {
    w = await wharf(args);
    k = await s.kubectl(args);
    if (w.stdout === k.stdout) break;
  }
  expect(w!.code, w!.stderr).toBe(0);
  expect(w!.stdout).toBe(k!.stdout);
  return w!.stdout;
}

const deployment = (image: string, replicas = 2) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: web
        image: ${image}
        imagePullPolicy: IfNotPresent
        command: ["sh", "-c", "echo started $(hostname); sleep 3600"]
`;

beforeAll(async () => {
  s = await startNetnsServer();
  await eventually('a Ready node', async () => (await s.kubectl(['get', 'nodes'])).stdout.includes(' Ready'));
}, 180_000);
afterAll(async () => {
  await s?.stop();
});

describe('wharf on a running cluster', () => {
  it('apply, then rollout status follows the real rollout to the end', async () => {
    const a = await wharf(['apply', '-f', '-'], deployment('busybox:1.36'));
    expect(a.stdout).toBe('deployment.apps/web created\n');
    const r = await wharf(['rollout', 'status', 'deployment/web', '--timeout=120s']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines.at(-1)).toBe('deployment "web" successfully rolled out');
    for (const l of lines.slice(0, -1)) expect(l).toMatch(/^Waiting for deployment "web" rollout to finish: |^Waiting for deployment spec update to be observed\.\.\.$/);
  });

  it('get all, describe deployment and replicaset print what kubectl prints', async () => {
    await sameAsKubectl(['get', 'all']);
    const d = await sameAsKubectl(['describe', 'deployment', 'web']);
    expect(d).toMatch(/NewReplicaSet: {3}web-[a-z0-9]+ \(2\/2 replicas created\)/);
    await sameAsKubectl(['describe', 'replicaset', '-l', 'app=web']);
  });

  it('logs of a deployment read its first pod', async () => {
    const l = await wharf(['logs', 'deploy/web']);
    expect(l.code, l.stderr).toBe(0);
    expect(l.stdout).toMatch(/^started web-/);
  });

  it('a new image rolls out; history and undo work on the controller’s ReplicaSets like kubectl’s', async () => {
    const p = await wharf(['patch', 'deploy', 'web', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"busybox:1.36","env":[{"name":"V","value":"2"}]}]}}}}']);
    expect(p.stdout).toBe('deployment.apps/web patched\n');
    expect((await wharf(['rollout', 'status', 'deploy/web', '--timeout=120s'])).code).toBe(0);
    const h = await sameAsKubectl(['rollout', 'history', 'deploy/web']);
    expect(h).toContain('1         <none>\n2         <none>');
    const u = await wharf(['rollout', 'undo', 'deploy/web']);
    expect(u.stdout).toBe('deployment.apps/web rolled back\n');
    expect((await wharf(['rollout', 'status', 'deploy/web', '--timeout=120s'])).code).toBe(0);
    const env = await wharf(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].env}']);
    expect(env.stdout).toBe('');
    await sameAsKubectl(['rollout', 'history', 'deploy/web']);
  });

  it('scale changes the number of pods; delete --cascade=foreground waits for the pods to go', async () => {
    expect((await wharf(['scale', 'deploy/web', '--replicas=3'])).stdout).toBe('deployment.apps/web scaled\n');
    await eventually('3 pods', async () => (await wharf(['get', 'pods', '-l', 'app=web', '-o', 'name'])).stdout.trim().split('\n').length === 3);
    const del = await wharf(['delete', 'deploy', 'web', '--cascade=foreground']);
    expect(del.code, del.stderr).toBe(0);
    expect(del.stdout).toBe('deployment.apps "web" deleted\n');
    // Foreground deletion finishes only after the ReplicaSets (and their pods) are gone.
    expect((await wharf(['get', 'rs', '-l', 'app=web', '-o', 'name'])).stdout).toBe('');
  });
});
