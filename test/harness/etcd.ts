// Starts real etcd servers (Debian's etcd-server) for tests: one member or a
// cluster, on loopback ports picked at random, with temporary data dirs.
// Members can be SIGKILLed and restarted on the same data dir and ports.
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
  /** True while the process runs. */
  readonly running: boolean;
  /** SIGKILL, and wait for the exit. */
  kill(): Promise<void>;
  /** Starts the member again on the same data dir and ports; resolves once it is healthy. */
  restart(): Promise<void>;
  /** True if this member is the raft leader right now. */
  isLeader(): Promise<boolean>;
}

export interface EtcdCluster {
  /** host:port of every member's client URL. */
  endpoints: string[];
  members: EtcdMember[];
  /** The member that leads right now. */
  leader(): Promise<EtcdMember>;
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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

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

/** etcd's status through its JSON gateway: this member's id and the leader's. */
async function status(endpoint: string): Promise<{ member: string; leader: string } | undefined> {
  try {
    const res = await fetch(`http://${endpoint}/v3/maintenance/status`, {
      method: 'POST',
      body: '{}',
      signal: AbortSignal.timeout(1_000),
    });
    const body = (await res.json()) as { header?: { member_id?: string }; leader?: string };
    if (!body.header?.member_id || !body.leader) return undefined;
    return { member: body.header.member_id, leader: body.leader };
  } catch {
    return undefined;
  }
}

class Member implements EtcdMember {
  readonly endpoint: string;
  readonly dataDir: string;
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();

  constructor(
    readonly name: string,
    private readonly args: string[],
    client: number,
    private readonly baseDir: string,
  ) {
    this.endpoint = `127.0.0.1:${client}`;
    this.dataDir = join(baseDir, name);
  }

  get running(): boolean {
    return this.child !== undefined;
  }

  spawn(): void {
    const child = spawn(ETCD_BIN, this.args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const log = createWriteStream(join(this.baseDir, `${this.name}.log`), { flags: 'a' });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    live.add(child);
    this.child = child;
    this.exited = once(child, 'exit').then(() => {
      live.delete(child);
      if (this.child === child) this.child = undefined;
    });
  }

  async kill(): Promise<void> {
    this.child?.kill('SIGKILL');
    await this.exited;
  }

  async terminate(): Promise<void> {
    const child = this.child;
    if (!child) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await this.exited;
    clearTimeout(timer);
  }

  async restart(): Promise<void> {
    await this.kill();
    this.spawn();
    for (let i = 0; i < 300; i++) {
      if (await healthy(this.endpoint)) return;
      if (!this.running) throw new Error(`etcd ${this.name} exited on restart; log in ${this.baseDir}`);
      await sleep(100);
    }
    throw new Error(`etcd ${this.name} did not become healthy after restart`);
  }

  async isLeader(): Promise<boolean> {
    const s = await status(this.endpoint);
    return s !== undefined && s.member === s.leader;
  }
}

async function startCluster(size: number, options: StartEtcdOptions): Promise<EtcdCluster> {
  const baseDir = options.baseDir ?? mkdtempSync(join(tmpdir(), 'wharf-etcd-'));
  const ownsBase = options.baseDir === undefined;
  const ports: { client: number; peer: number }[] = [];
  for (let i = 0; i < size; i++) ports.push({ client: await freePort(), peer: await freePort() });
  const initialCluster = ports.map((p, i) => `m${i}=http://127.0.0.1:${p.peer}`).join(',');
  const token = `wharf-test-${process.pid}-${Date.now()}`;
  const members = ports.map(({ client, peer }, i) => {
    const name = `m${i}`;
    const clientUrl = `http://127.0.0.1:${client}`;
    const peerUrl = `http://127.0.0.1:${peer}`;
    const args = [
      `--name=${name}`,
      `--data-dir=${join(baseDir, name)}`,
      `--listen-client-urls=${clientUrl}`,
      `--advertise-client-urls=${clientUrl}`,
      `--listen-peer-urls=${peerUrl}`,
      `--initial-advertise-peer-urls=${peerUrl}`,
      `--initial-cluster=${initialCluster}`,
      // Ignored once the data dir exists, so a restart rejoins the same cluster.
      `--initial-cluster-state=new`,
      `--initial-cluster-token=${token}`,
      '--logger=zap',
      '--log-outputs=stderr',
      '--log-level=warn',
    ];
    return new Member(name, args, client, baseDir);
  });
  for (const m of members) m.spawn();

  const stop = async (keepFiles = false): Promise<void> => {
    await Promise.all(members.map((m) => m.terminate()));
    if (ownsBase && !keepFiles) rmSync(baseDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + (options.readyTimeout ?? 30_000);
  for (;;) {
    const states = await Promise.all(members.map((m) => healthy(m.endpoint)));
    if (states.every(Boolean)) break;
    const dead = members.find((m) => !m.running);
    if (dead || Date.now() > deadline) {
      await stop(true);
      throw new Error(`etcd did not become healthy (${dead ? `${dead.name} exited` : 'timeout'}); logs in ${baseDir}`);
    }
    await sleep(100);
  }

  const leader = async (): Promise<EtcdMember> => {
    for (let i = 0; i < 100; i++) {
      for (const m of members) if (m.running && (await m.isLeader())) return m;
      await sleep(100);
    }
    throw new Error('etcd cluster has no leader');
  };
  return { endpoints: members.map((m) => m.endpoint), members, leader, stop: () => stop() };
}

async function withRetries<T>(start: () => Promise<T>): Promise<T> {
  // A port can be taken between freePort() and etcd's bind; try again then.
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await start();
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

/** One etcd member on random loopback ports. */
export async function startEtcd(
  options: StartEtcdOptions = {},
): Promise<{ endpoints: string[]; member: EtcdMember; stop(): Promise<void> }> {
  const cluster = await withRetries(() => startCluster(1, options));
  return { endpoints: cluster.endpoints, member: cluster.members[0] as EtcdMember, stop: cluster.stop };
}

/** A cluster of `size` members (3 for the usual quorum tests) on loopback. */
export function startEtcdCluster(size = 3, options: StartEtcdOptions = {}): Promise<EtcdCluster> {
  return withRetries(() => startCluster(size, options));
}
