// A one-node cluster for node-agent tests: a real apiserver on host loopback,
// and — inside fresh network, mount and PID namespaces with no default route —
// a real runtime (conmon + runc) and a real node agent. See README.md,
// "network namespaces", for how the two sides reach each other:
//
//   test ──https──▶ apiserver 127.0.0.1:P (host)
//                      ▲ unix socket <dir>/api.sock (relay in the test process)
//   namespace: 127.0.0.1:P (relay in the supervisor) ◀── agent (kubeconfig unchanged)
//   apiserver/test ──▶ 127.0.0.1:Q (host relay) ──▶ <dir>/agent.sock ◀── agent's logs/exec server
//
// Unix sockets live in the filesystem, which both sides share, so nothing in
// the namespace ever gets a route off the machine.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import readline from 'node:readline';
import { createRuntimeClient, type RuntimeClient } from '@wharf/proto';
import { buildBusyboxImage, ImageStore } from '@wharf/runtime';
import { startApiServer, REPO, type ApiServerProcess, type HttpResult } from './apiserver.js';

export const BUSYBOX = 'wharf.test/busybox:1';
const SUPERVISOR = join(REPO, 'test/harness/bin/netns-supervisor.mjs');
const COMPONENT = join(REPO, 'test/harness/bin/run-component.mjs');

export interface NodeClusterOptions {
  nodeName?: string;
  podCIDR?: string;
  /** Extra node-agent flags (e.g. a short crash-loop backoff). */
  agentArgs?: string[];
  /** Start the agent right away (default true). */
  startAgent?: boolean;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface NodeCluster {
  api: ApiServerProcess;
  dir: string;
  nodeName: string;
  podCIDR: string;
  /** Bearer token the agent's server accepts (what the apiserver proxy sends). */
  proxyToken: string;
  /** Host-side 127.0.0.1 port relayed to the agent's server. */
  agentPort: number;
  runtimeEndpoint: string;
  /** A runtime client from the test process (over the shared unix socket). */
  runtime(): RuntimeClient;
  request(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<HttpResult>;
  /** GET against the agent's own server, with the proxy token. */
  agentGet(path: string): Promise<HttpResult>;
  /** Runs a command inside the cluster's network namespace. */
  run(cmd: string[], input?: string): Promise<RunResult>;
  startRuntime(): Promise<void>;
  startAgent(extraArgs?: string[]): Promise<void>;
  signal(name: 'runtime' | 'node-agent', signal: NodeJS.Signals): Promise<void>;
  logs(name: 'runtime' | 'node-agent'): string;
  cleanup(): Promise<void>;
}

class Supervisor {
  private nextId = 1;
  private readonly waiters = new Map<number, (msg: Record<string, unknown>) => void>();
  readonly exited = new Map<string, { code: number | null; signal: string | null }>();
  readonly ready: Promise<void>;

  constructor(readonly proc: ChildProcess) {
    let onReady!: () => void;
    this.ready = new Promise((r) => (onReady = r));
    const rl = readline.createInterface({ input: proc.stdout! });
    rl.on('line', (line) => {
      let msg: Record<string, unknown>;
      try {
        msg = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return;
      }
      if (msg.event === 'ready') onReady();
      if (msg.event === 'exit') this.exited.set(msg.name as string, { code: msg.code as number | null, signal: msg.signal as string | null });
      const id = msg.id as number | undefined;
      if (id !== undefined) {
        this.waiters.get(id)?.(msg);
        this.waiters.delete(id);
      }
    });
  }

  call(msg: Record<string, unknown>): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiters.set(id, (m) => (m.ok === false ? reject(new Error(String(m.error))) : resolve(m)));
      this.proc.stdin!.write(`${JSON.stringify({ ...msg, id })}\n`);
    });
  }
}

function relay(listen: net.ListenOptions, target: () => net.Socket): Promise<net.Server> {
  const server = net.createServer((conn) => {
    const up = target();
    conn.pipe(up);
    up.pipe(conn);
    const end = () => {
      conn.destroy();
      up.destroy();
    };
    conn.on('error', end);
    up.on('error', end);
    conn.on('close', end);
    up.on('close', end);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen, () => resolve(server));
  });
}

async function waitFor<T>(what: string, fn: () => Promise<T | undefined> | T | undefined, timeoutMs = 30_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v as T;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

/** Removes the cgroups a test runtime made (empty once the namespace's processes are gone). */
function removeCgroups(parent: string): void {
  const rmTree = (dir: string) => {
    for (const e of readdirSync(dir)) {
      const p = join(dir, e);
      try {
        if (statSync(p).isDirectory()) rmTree(p);
      } catch {
        // Vanished meanwhile.
      }
    }
    try {
      rmdirSync(dir);
    } catch {
      // Still busy (a process not yet reaped): leave it.
    }
  };
  for (const ctrl of readdirSync('/sys/fs/cgroup')) {
    const dir = join('/sys/fs/cgroup', ctrl, parent);
    if (existsSync(dir)) rmTree(dir);
  }
  if (existsSync(join('/sys/fs/cgroup', parent))) rmTree(join('/sys/fs/cgroup', parent));
}

export async function startNodeCluster(opts: NodeClusterOptions = {}): Promise<NodeCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'wharf-node-'));
  const nodeName = opts.nodeName ?? 'node-1';
  const podCIDR = opts.podCIDR ?? '10.244.7.0/24';
  const cgroupParent = `wharf-test-${randomBytes(4).toString('hex')}`;
  const api = await startApiServer();
  // The apiserver's own node-proxy token (written into its data dir), so its
  // pods/log and pods/exec proxy is accepted by the agent.
  const apiToken = join(api.dataDir, 'node-proxy.token');
  const proxyToken = existsSync(apiToken) ? readFileSync(apiToken, 'utf8').trim() : randomBytes(16).toString('hex');
  writeFileSync(join(dir, 'proxy.token'), proxyToken);
  const apiSocket = join(dir, 'api.sock');
  const agentSocket = join(dir, 'agent.sock');
  const rtSocket = join(dir, 'runtime.sock');
  const servers: net.Server[] = [];
  servers.push(await relay({ path: apiSocket }, () => net.connect(api.port, '127.0.0.1')));
  const agentRelay = await relay({ port: 0, host: '127.0.0.1' }, () => net.connect(agentSocket));
  servers.push(agentRelay);
  const agentPort = (agentRelay.address() as net.AddressInfo).port;

  const store = await ImageStore.open(join(dir, 'rt-root', 'images'));
  await buildBusyboxImage(store, BUSYBOX);

  const proc = spawn('unshare', ['--net', '--mount', '--pid', '--fork', '--mount-proc', '--', process.execPath, SUPERVISOR, String(api.port), apiSocket], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const sup = new Supervisor(proc);
  await Promise.race([
    sup.ready,
    new Promise((_, reject) => proc.once('exit', (code) => reject(new Error(`namespace supervisor exited with ${code}`)))),
  ]);

  const logFile = (name: string) => join(dir, `${name}.log`);
  const clients: RuntimeClient[] = [];
  let lastAgentArgs = opts.agentArgs ?? [];

  const cluster: NodeCluster = {
    api,
    dir,
    nodeName,
    podCIDR,
    proxyToken,
    agentPort,
    runtimeEndpoint: `unix://${rtSocket}`,
    runtime() {
      const c = createRuntimeClient(`unix://${rtSocket}`);
      clients.push(c);
      return c;
    },
    request: (method, path, body, headers) => api.request(method, path, body, headers),
    agentGet(path) {
      return new Promise((resolve, reject) => {
        const r = httpRequest({ host: '127.0.0.1', port: agentPort, path, headers: { authorization: `Bearer ${proxyToken}` } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) });
          });
        });
        r.on('error', reject);
        r.end();
      });
    },
    async run(cmd, input) {
      const r = await sup.call({ op: 'run', cmd, input });
      return { code: r.code as number, stdout: r.stdout as string, stderr: r.stderr as string };
    },
    async startRuntime() {
      rmSync(rtSocket, { force: true });
      await sup.call({
        op: 'spawn',
        name: 'runtime',
        logFile: logFile('runtime'),
        cmd: [process.execPath, COMPONENT, 'runtime', '--root', join(dir, 'rt-root'), '--state', join(dir, 'rt-state'), '--listen', `unix://${rtSocket}`, '--pod-cidr', podCIDR, '--cgroup-parent', `/${cgroupParent}`],
      });
      await waitFor('the runtime socket', () => existsSync(rtSocket) || undefined);
    },
    async startAgent(extraArgs) {
      if (extraArgs) lastAgentArgs = extraArgs;
      await sup.call({
        op: 'spawn',
        name: 'node-agent',
        logFile: logFile('node-agent'),
        env: { WHARF_LOG_LEVEL: 'info' },
        cmd: [
          process.execPath,
          COMPONENT,
          'node-agent',
          '--kubeconfig', api.kubeconfig,
          '--runtime-endpoint', `unix://${rtSocket}`,
          '--node-name', nodeName,
          '--root-dir', join(dir, 'agent'),
          '--listen', `unix://${agentSocket}`,
          '--node-ip', '127.0.0.1',
          '--advertise-port', String(agentPort),
          '--proxy-token-file', join(dir, 'proxy.token'),
          ...lastAgentArgs,
        ],
      });
      await waitFor('the agent server', () => existsSync(agentSocket) || undefined);
    },
    async signal(name, signal) {
      await sup.call({ op: 'signal', name, signal });
    },
    logs(name) {
      try {
        return readFileSync(logFile(name), 'utf8');
      } catch {
        return '';
      }
    },
    async cleanup() {
      for (const c of clients) c.close();
      proc.stdin!.end();
      await new Promise((r) => (proc.exitCode !== null ? r(undefined) : proc.once('exit', r)));
      for (const s of servers) s.close();
      await api.cleanup();
      removeCgroups(cgroupParent);
      // WHARF_KEEP_TEST_DIRS=1 keeps component logs for a post-mortem.
      if (process.env['WHARF_KEEP_TEST_DIRS'] === '1') process.stderr.write(`kept ${dir}\n`);
      else rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await cluster.startRuntime();
    if (opts.startAgent !== false) {
      await cluster.startAgent();
      await waitForNode(cluster);
    }
  } catch (err) {
    await cluster.cleanup();
    throw err;
  }
  return cluster;
}

/** Waits until the Node is registered, gives it its pod CIDR (no IPAM controller here) and waits for Ready. */
export async function waitForNode(c: NodeCluster): Promise<void> {
  await waitFor('node registration', async () => {
    const r = await c.request('GET', `/api/v1/nodes/${c.nodeName}`);
    return r.status === 200 || undefined;
  });
  await c.request('PATCH', `/api/v1/nodes/${c.nodeName}`, { spec: { podCIDR: c.podCIDR, podCIDRs: [c.podCIDR] } }, { 'content-type': 'application/merge-patch+json' });
  await waitFor('node Ready', async () => {
    const r = await c.request('GET', `/api/v1/nodes/${c.nodeName}`);
    const ready = r.json().status?.conditions?.find((x: { type: string }) => x.type === 'Ready');
    return ready?.status === 'True' || undefined;
  });
}

export { waitFor };
