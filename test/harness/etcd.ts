// Starts real etcd servers (Debian's etcd-server) for tests: one member or a
// cluster, on loopback ports picked at random, with temporary data dirs.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ETCD_BIN = process.env.WHARF_ETCD_BIN ?? '/usr/bin/etcd';

export interface EtcdMember {
  name: string;
  /** host:port of the client URL. */
  endpoint: string;
  dataDir: string;
  /** True until the member has exited. */
  readonly running: boolean;
  /** SIGKILL, and wait for the exit. */
  kill(): Promise<void>;
}

export interface EtcdCluster {
  /** host:port of every member's client URL. */
  endpoints: string[];
  members: EtcdMember[];
  /** Terminates every member and removes the data dirs. */
  stop(): Promise<void>;
}

export interface StartEtcdOptions {
  /** Directory for data dirs and logs; a fresh temp dir by default. */
  baseDir?: string;
  /** Milliseconds to wait for the cluster to become healthy. Default 30 s. */
  readyTimeout?: number;
}

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** A free loopback port (asked of the OS; released just before etcd binds it). */
async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function healthy(endpoint: string): Promise<boolean> {
  try {
    const res = await fetch(`http://${endpoint}/health`, { signal: AbortSignal.timeout(1_000) });
    const body = (await res.json()) as { health?: string };
    return body.health === 'true';
  } catch {
    return false;
  }
}

async function startCluster(size: number, options: StartEtcdOptions): Promise<EtcdCluster> {
  const baseDir = options.baseDir ?? mkdtempSync(join(tmpdir(), 'wharf-etcd-'));
  const ownsBase = options.baseDir === undefined;
  const ports = [];
  for (let i = 0; i < size; i++) ports.push({ client: await freePort(), peer: await freePort() });
  const names = ports.map((_, i) => `m${i}`);
  const initialCluster = ports.map((p, i) => `${names[i]}=http://127.0.0.1:${p.peer}`).join(',');
  const token = `wharf-test-${process.pid}-${Date.now()}`;
  const members: EtcdMember[] = [];
  const children: ChildProcess[] = [];
  for (let i = 0; i < size; i++) {
    const { client, peer } = ports[i] as { client: number; peer: number };
    const name = names[i] as string;
    const dataDir = join(baseDir, name);
    const clientUrl = `http://127.0.0.1:${client}`;
    const peerUrl = `http://127.0.0.1:${peer}`;
    const child = spawn(
      ETCD_BIN,
      [
        `--name=${name}`,
        `--data-dir=${dataDir}`,
        `--listen-client-urls=${clientUrl}`,
        `--advertise-client-urls=${clientUrl}`,
        `--listen-peer-urls=${peerUrl}`,
        `--initial-advertise-peer-urls=${peerUrl}`,
        `--initial-cluster=${initialCluster}`,
        `--initial-cluster-state=new`,
        `--initial-cluster-token=${token}`,
        '--logger=zap',
        '--log-outputs=stderr',
        '--log-level=warn',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const log = createWriteStream(join(baseDir, `${name}.log`));
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    live.add(child);
    let running = true;
    const exited = once(child, 'exit').then(() => {
      running = false;
      live.delete(child);
    });
    children.push(child);
    members.push({
      name,
      endpoint: `127.0.0.1:${client}`,
      dataDir,
      get running() {
        return running;
      },
      async kill() {
        if (!running) return;
        child.kill('SIGKILL');
        await exited;
      },
    });
  }

  const stop = async (keepFiles = false): Promise<void> => {
    await Promise.all(
      children.map(async (child) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exit = once(child, 'exit');
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exit;
        clearTimeout(timer);
      }),
    );
    if (ownsBase && !keepFiles) rmSync(baseDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + (options.readyTimeout ?? 30_000);
  for (;;) {
    const states = await Promise.all(members.map((m) => healthy(m.endpoint)));
    if (states.every(Boolean)) break;
    const dead = children.find((c) => c.exitCode !== null);
    if (dead || Date.now() > deadline) {
      await stop(true);
      throw new Error(
        `etcd did not become healthy (${dead ? `exited with ${dead.exitCode}` : 'timeout'}); logs in ${baseDir}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { endpoints: members.map((m) => m.endpoint), members, stop: () => stop() };
}

/** One etcd member on random loopback ports. */
export async function startEtcd(
  options: StartEtcdOptions = {},
): Promise<{ endpoints: string[]; member: EtcdMember; stop(): Promise<void> }> {
  // A port can be taken between freePort() and etcd's bind; try again then.
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const cluster = await startCluster(1, options);
      return { endpoints: cluster.endpoints, member: cluster.members[0] as EtcdMember, stop: cluster.stop };
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

/** A cluster of `size` members (3 for the usual quorum tests) on loopback. */
export async function startEtcdCluster(size = 3, options: StartEtcdOptions = {}): Promise<EtcdCluster> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startCluster(size, options);
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}
