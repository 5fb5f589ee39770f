// Runs the `wharf` CLI (bin/wharf, the compiled build) against a test's
// apiserver, with a private HOME so no ~/.kube/config leaks in, and the real
// kubectl beside it for comparisons.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WHARF, type ApiServerProcess } from '../harness/apiserver.js';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Wharf {
  (...args: string[]): Promise<RunResult>;
  withInput(input: string, ...args: string[]): Promise<RunResult>;
  withEnv(env: Record<string, string | undefined>, ...args: string[]): Promise<RunResult>;
  /** Starts a long-running command (get -w, rollout status) and collects its output. */
  spawn(...args: string[]): { proc: ChildProcess; output(): string; errors(): string; exited: Promise<number> };
  file(name: string, content: string): string;
  scratch: string;
}

export function wharfFor(api: ApiServerProcess | undefined): Wharf {
  const scratch = mkdtempSync(join(tmpdir(), 'wharf-cli-'));
  const base = api ? ['--kubeconfig', api.kubeconfig] : [];
  const env = (extra: Record<string, string | undefined> = {}) => {
    const e: Record<string, string | undefined> = { ...process.env, HOME: scratch, NO_COLOR: undefined, ...extra };
    delete e['KUBECONFIG'];
    if (extra['KUBECONFIG']) e['KUBECONFIG'] = extra['KUBECONFIG'];
    return e as NodeJS.ProcessEnv;
  };
  const run = (input: string | undefined, extraEnv: Record<string, string | undefined>, args: string[]): Promise<RunResult> =>
    new Promise((resolve) => {
      // A command naming its own kubeconfig must not be overridden by the harness's (the last flag wins).
      const useBase = !('NO_KUBECONFIG_FLAG' in extraEnv) && !args.includes('--kubeconfig');
      // The harness's flags go right after the verb: anything after `--` belongs to the command run (exec).
      const child = execFile(process.execPath, [WHARF, ...args.slice(0, 1), ...(useBase ? base : []), ...args.slice(1)], { timeout: 60_000, maxBuffer: 16 * 1024 * 1024, env: env(extraEnv) }, (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
        resolve({ code, stdout, stderr });
      });
      child.stdin!.end(input ?? '');
    });
  const wharf = ((...args: string[]) => run(undefined, {}, args)) as Wharf;
  wharf.withInput = (input, ...args) => run(input, {}, args);
  wharf.withEnv = (e, ...args) => run(undefined, e, args);
  wharf.spawn = (...args) => {
    const proc = spawn(process.execPath, [WHARF, ...args.slice(0, 1), ...base, ...args.slice(1)], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let errs = '';
    proc.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    proc.stderr!.on('data', (c: Buffer) => (errs += c.toString()));
    const exited = new Promise<number>((r) => proc.once('exit', (code) => r(code ?? -1)));
    return { proc, output: () => out, errors: () => errs, exited };
  };
  wharf.file = (name, content) => {
    const path = join(scratch, name);
    writeFileSync(path, content);
    return path;
  };
  wharf.scratch = scratch;
  return wharf;
}

/** Polls `check` until it returns true (no timing assertion: the test's own timeout bounds it). */
export async function eventually(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export const DEPLOYMENT = (name: string, replicas = 2, image = 'nginx:1.25') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels:
    app: ${name}
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
      - name: ${name}
        image: ${image}
        ports:
        - containerPort: 80
        resources:
          requests:
            cpu: 100m
            memory: 64Mi
`;

export const SERVICE = (name: string) => `apiVersion: v1
kind: Service
metadata:
  name: ${name}
spec:
  selector:
    app: ${name}
  ports:
  - port: 80
    targetPort: 80
`;

export const POD = (name: string, labels = 'app: solo') => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  labels:
    ${labels}
spec:
  containers:
  - name: main
    image: busybox
    command: ["sleep", "3600"]
`;
