// `wharf server` (apiserver, controller-manager, runtime and node agent in one
// process) inside fresh network, mount and PID namespaces with no default
// route, so pod networking never touches the host. The test reaches the
// cluster only through `nsenter --net` into that namespace (kubectl there).
// Killing the namespace's PID 1 takes every container with it.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildBusyboxImage, ImageStore } from '@wharf/runtime';

export const REPO = resolve(import.meta.dirname, '../..');
const WHARF = join(REPO, 'bin/wharf');
export const KUBECTL = '/usr/lib/google-cloud-sdk/bin/kubectl.1.32';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface NetnsServer {
  dir: string;
  /** PID (host view) of the wharf server, whose network namespace holds the cluster. */
  pid: number;
  kubectl(args: string[], input?: string): Promise<RunResult>;
  /** kubectl that must succeed; returns stdout. */
  k(args: string[], input?: string): Promise<string>;
  logs(): string;
  stop(): Promise<void>;
}

function run(cmd: string, args: string[], input?: string, timeoutMs = 60_000): Promise<RunResult> {
  return new Promise((res) => {
    const child = execFile(cmd, args, { timeout: timeoutMs, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1) : 0;
      res({ code, stdout: String(stdout), stderr: String(stderr) });
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}

function childPid(pid: number): number | undefined {
  try {
    const first = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/)[0];
    return first ? Number(first) : undefined;
  } catch {
    return undefined;
  }
}

export async function startNetnsServer(extraArgs: string[] = []): Promise<NetnsServer> {
  const dir = mkdtempSync(join(tmpdir(), 'wharf-hpa-'));
  const store = await ImageStore.open(join(dir, 'images'));
  await buildBusyboxImage(store, 'busybox:1.36');
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const script = `ip link set lo up; exec "$@"`;
  const proc: ChildProcess = spawn(
    'unshare',
    ['--net', '--mount', '--pid', '--fork', '--mount-proc', '--propagation', 'private', '--', 'sh', '-c', script, 'sh', process.execPath, WHARF, 'server', '--data-dir', dir, '--state-dir', join(dir, 'run'), '--listen', `127.0.0.1:${port}`, ...extraArgs],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let logs = '';
  proc.stdout!.on('data', (c: Buffer) => (logs += c.toString()));
  proc.stderr!.on('data', (c: Buffer) => (logs += c.toString()));
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  try {
    await new Promise<void>((res, rej) => {
      const timer = setTimeout(() => rej(new Error(`wharf server did not start in 60 s:\n${logs.slice(-4000)}`)), 60_000);
      const check = setInterval(() => {
        if (logs.includes('wharf server ready')) {
          clearInterval(check);
          clearTimeout(timer);
          res();
        }
        if (proc.exitCode !== null) {
          clearInterval(check);
          clearTimeout(timer);
          rej(new Error(`wharf server exited with ${proc.exitCode}:\n${logs.slice(-4000)}`));
        }
      }, 100);
    });
  } catch (err) {
    // A server that never came up leaves nothing behind: its namespace dies with its PID 1.
    const inner = childPid(proc.pid!);
    if (inner) process.kill(inner, 'SIGKILL');
    else if (proc.exitCode === null) proc.kill('SIGKILL');
    await exited;
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const pid = childPid(proc.pid!);
  if (!pid) throw new Error('could not find the wharf server process inside the namespace');
  const kubeconfig = join(dir, 'kubeconfig');
  const kubectl = (args: string[], input?: string) => run('nsenter', [`--net=/proc/${pid}/ns/net`, KUBECTL, '--kubeconfig', kubeconfig, ...args], input);
  return {
    dir,
    pid,
    kubectl,
    async k(args, input) {
      const r = await kubectl(args, input);
      if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
      return r.stdout;
    },
    logs: () => logs,
    async stop() {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
      const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 20_000).unref());
      if ((await Promise.race([exited, timeout])) === 'timeout') {
        // PID 1 of the namespace: killing it ends every process inside, containers included.
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          /* gone */
        }
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls fn until it returns a value other than undefined/false, or fails with the last state. */
export async function eventually<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 90_000, everyMs = 1000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v;
      last = v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${last instanceof Error ? last.message : JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
