// Test harness: a real runtime process (compiled dist/, real runc and conmon)
// inside its own network + mount namespace, so bridges, veths and pod IPs
// never touch the host's network. The namespaces are held by a sleeping
// process, so the runtime can be SIGKILLed and restarted into the very same
// namespaces. The test talks to it over its unix socket.
import { spawn, type ChildProcess } from 'node:child_process';
import { promises as fs, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRuntimeClient, type RuntimeClient, type DeepPartial, type PodSandboxConfig, type ContainerConfig } from '@wharf/proto';
import { ImageStore, buildBusyboxImage } from '@wharf/runtime';

const MAIN = fileURLToPath(new URL('./runtime-main.mjs', import.meta.url));

export const BUSYBOX = 'wharf.test/busybox:1';

export interface RuntimeEnv {
  root: string;
  state: string;
  socket: string;
  cgroupParent: string;
  client: RuntimeClient;
  /** The runtime's stderr so far (JSON log lines). */
  logs(): string;
  /** (Re)starts the runtime process in the held namespaces and waits until it serves. */
  start(): Promise<void>;
  /** Sends a signal to the runtime process and waits for it to exit. */
  signal(sig: NodeJS.Signals): Promise<void>;
  /** Runs a command inside the runtime's namespaces. */
  inNamespace(cmd: string[]): Promise<{ code: number | null; stdout: string; stderr: string }>;
  /** Starts a long-running process inside the runtime's namespaces (killed by cleanup). */
  spawnInNamespace(cmd: string[]): ChildProcess;
  cleanup(): Promise<void>;
}

function run(file: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const c = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    c.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    c.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    c.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function startHolder(): Promise<{ proc: ChildProcess; pid: number }> {
  const proc = spawn('unshare', ['--net', '--mount', '--fork', '--propagation', 'private', 'sh', '-c', 'ip link set lo up && echo $$ && exec sleep 100000'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const pid = await new Promise<number>((resolve, reject) => {
    proc.stdout?.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
    proc.once('exit', (code) => reject(new Error(`namespace holder exited with ${code}`)));
  });
  return { proc, pid };
}

export async function startRuntimeEnv(opts: { withBusybox?: boolean } = {}): Promise<RuntimeEnv> {
  // The runtime runs as its own process from the compiled output.
  await fs.access(fileURLToPath(new URL('../../runtime/dist/index.js', import.meta.url))).catch(() => {
    throw new Error('runtime/dist is missing: run `npx tsc -b` before the runtime tests');
  });
  const base = mkdtempSync(path.join(os.tmpdir(), 'wharf-rt-'));
  const root = path.join(base, 'root');
  const state = path.join(base, 'state');
  const socket = path.join(base, 'runtime.sock');
  const cgroupParent = `/wharf-test-${path.basename(base)}`;
  if (opts.withBusybox !== false) {
    const store = await ImageStore.open(path.join(root, 'images'));
    await buildBusyboxImage(store, BUSYBOX);
  }
  const holder = await startHolder();
  let proc: ChildProcess | undefined;
  const extra: ChildProcess[] = [];
  let logs = '';
  const client = createRuntimeClient(`unix://${socket}`);

  const env: RuntimeEnv = {
    root,
    state,
    socket,
    cgroupParent,
    client,
    logs: () => logs,
    async start() {
      proc = spawn(
        'nsenter',
        ['-t', String(holder.pid), '--net', '--mount', process.execPath, MAIN,
          '--root', root, '--state', state, '--listen', `unix://${socket}`, '--pod-cidr', '10.244.0.0/24',
          '--bridge', 'wharf0', '--cgroup-parent', cgroupParent],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
      proc.stderr?.on('data', (d: Buffer) => (logs += d.toString()));
      const started = proc;
      for (let i = 0; i < 200; i++) {
        if (started.exitCode !== null) throw new Error(`runtime exited with ${started.exitCode}: ${logs}`);
        if (logs.includes('"msg":"serving"')) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      await client.waitForReady(10_000);
    },
    async signal(sig) {
      const p = proc;
      if (!p || p.exitCode !== null || p.signalCode !== null) return;
      const exited = new Promise((r) => p.once('exit', r));
      p.kill(sig);
      await exited;
    },
    inNamespace: (cmd) => run('nsenter', ['-t', String(holder.pid), '--net', '--mount', ...cmd]),
    spawnInNamespace(cmd) {
      const child = spawn('nsenter', ['-t', String(holder.pid), '--net', '--mount', ...cmd], { stdio: ['ignore', 'ignore', 'pipe'] });
      extra.push(child);
      return child;
    },
    async cleanup() {
      try {
        const { items } = await client.listPodSandbox({}, { timeoutMs: 5000 });
        for (const s of items) await client.removePodSandbox({ pod_sandbox_id: s.id }, { timeoutMs: 30_000 }).catch(() => undefined);
      } catch {
        /* runtime already gone */
      }
      await env.signal('SIGTERM');
      client.close();
      for (const child of extra) if (child.exitCode === null) child.kill('SIGKILL');
      // Anything still alive (a test that failed halfway) dies with its runc container.
      const list = await env.inNamespace(['runc', '--root', path.join(state, 'runc'), 'list', '-q']);
      for (const id of list.stdout.split('\n').filter(Boolean)) {
        await env.inNamespace(['runc', '--root', path.join(state, 'runc'), 'delete', '-f', id]);
      }
      const holderGone = new Promise((r) => holder.proc.once('exit', r));
      process.kill(holder.pid, 'SIGKILL');
      await holderGone;
      for (const mount of await fs.readdir('/sys/fs/cgroup').catch(() => [] as string[])) {
        await run('sh', ['-c', `find /sys/fs/cgroup/${mount}${cgroupParent} -depth -type d -exec rmdir {} + 2>/dev/null; true`]);
      }
      await fs.rm(base, { recursive: true, force: true }).catch(() => undefined);
    },
  };
  await env.start();
  return env;
}

let podCounter = 0;

export function podConfig(name = `pod${++podCounter}`, extra: DeepPartial<PodSandboxConfig> = {}): DeepPartial<PodSandboxConfig> {
  return { metadata: { name, uid: `uid-${name}`, namespace: 'default', attempt: 0 }, hostname: name, ...extra };
}

export function containerConfig(name: string, cmd: string[], extra: DeepPartial<ContainerConfig> = {}): DeepPartial<ContainerConfig> {
  return { metadata: { name, attempt: 0 }, image: { image: BUSYBOX }, command: cmd, ...extra };
}

/** Runs a pod with one started container; returns their ids. */
export async function runPod(
  env: RuntimeEnv,
  cmd: string[],
  opts: { pod?: DeepPartial<PodSandboxConfig>; container?: DeepPartial<ContainerConfig>; name?: string } = {},
): Promise<{ podId: string; containerId: string }> {
  const pod = opts.pod ?? podConfig(opts.name);
  const { pod_sandbox_id: podId } = await env.client.runPodSandbox({ config: pod });
  const containerId = await startContainer(env, podId, pod, 'main', cmd, opts.container);
  return { podId, containerId };
}

export async function startContainer(
  env: RuntimeEnv,
  podId: string,
  pod: DeepPartial<PodSandboxConfig>,
  name: string,
  cmd: string[],
  extra: DeepPartial<ContainerConfig> = {},
): Promise<string> {
  const { container_id } = await env.client.createContainer({ pod_sandbox_id: podId, config: containerConfig(name, cmd, extra), sandbox_config: pod });
  await env.client.startContainer({ container_id });
  return container_id;
}

/** Polls ContainerStatus until the container has exited (tests may poll; the runtime never does). */
export async function waitExited(env: RuntimeEnv, id: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { status } = await env.client.containerStatus({ container_id: id });
    if (status?.state === 'CONTAINER_EXITED') return status;
    if (Date.now() > deadline) throw new Error(`container ${id} still ${status?.state} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function stdoutOf(res: { stdout: Buffer }): string {
  return res.stdout.toString();
}
