// Two "machines" on one box for multi-node tests: each host is a fresh
// network, mount and PID namespace with only `lo` and one end of a veth pair
// to the other host, and no default route, so no packet can leave the
// namespaces the test made. The hosts share the filesystem (data dirs, tokens,
// the CA), but each has its own overlay mounts, bridges, nftables and ports.
//
//   host A (10.99.0.1/24) ──veth── host B (10.99.0.2/24)
//
// A host's PID 1 is a bash loop that only reaps orphans; killing it ends the
// PID namespace, which takes every process of the host — wharf, conmon and the
// containers — with it, and the mount and network namespaces die with them.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removePodCgroups } from '../harness/pod-cgroups.js';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A long-running process inside a host (wharf server, wharf agent). */
export interface HostProcess {
  name: string;
  /** Host-side PID of the process itself (not of the nsenter wrapping it). */
  pid: number;
  exited: Promise<number | null>;
  /** Its stdout and stderr so far. */
  log(): string;
  kill(signal: NodeJS.Signals): void;
}

export interface Host {
  name: string;
  ip: string;
  /** Host PID of the namespace's PID 1. */
  pid: number;
  dataDir: string;
  stateDir: string;
  /** Runs a command to completion inside the host's network namespace. */
  run(cmd: string[], opts?: { timeoutMs?: number; env?: Record<string, string> }): Promise<RunResult>;
  /** Starts a long-running command inside the host's network, mount and PID namespaces. */
  start(name: string, cmd: string[]): Promise<HostProcess>;
}

export interface Hosts {
  dir: string;
  hosts: Host[];
  /** Kills every process of every host and removes what they left (cgroups, dirs). */
  cleanup(): Promise<void>;
}

const PREFIX = '10.99.0';

function wait(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function childPid(parent: number, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const kids = readFileSync(`/proc/${parent}/task/${parent}/children`, 'utf8').trim();
      if (kids) return Number(kids.split(' ')[0]);
    } catch {
      // Not there yet.
    }
    await wait(20);
  }
  throw new Error(`pid ${parent} started no child within ${timeoutMs} ms`);
}

function collect(proc: ChildProcess, timeoutMs: number): Promise<RunResult> {
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    proc.stdout?.on('data', (c: Buffer) => (stdout += c.toString()));
    proc.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => {
      stderr += `\n[killed after ${timeoutMs} ms]`;
      proc.kill('SIGKILL');
    }, timeoutMs);
    proc.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

function runOnHost(cmd: string[], timeoutMs = 30_000): Promise<RunResult> {
  return collect(spawn(cmd[0]!, cmd.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] }), timeoutMs);
}

async function must(cmd: string[]): Promise<void> {
  const r = await runOnHost(cmd);
  if (r.code !== 0) throw new Error(`${cmd.join(' ')} failed (${r.code}): ${r.stderr}`);
}

/**
 * Makes two hosts, the first at 10.99.0.1/24 and the second at 10.99.0.2/24,
 * joined by a veth pair. Directories live under one temp dir:
 * <dir>/<name>/data and <dir>/<name>/run.
 */
export async function startHosts(names: [string, string]): Promise<Hosts> {
  const dir = mkdtempSync(join(tmpdir(), 'wharf-multinode-'));
  const inits: ChildProcess[] = [];
  const procs: ChildProcess[] = [];
  const hosts: Host[] = [];

  const cleanup = async (): Promise<void> => {
    for (const p of procs) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
    const gone = inits.map((init) => (init.exitCode !== null || init.signalCode !== null ? Promise.resolve() : new Promise<void>((r) => init.once('exit', () => r()))));
    for (const h of hosts) {
      try {
        process.kill(h.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    for (const init of inits) if (init.exitCode === null && init.signalCode === null) init.kill('SIGKILL');
    await Promise.race([Promise.all(gone), wait(10_000)]);
    // Processes of a dead PID namespace are reaped asynchronously; give them a moment.
    for (let i = 0; i < 20; i++) {
      for (const h of hosts) removePodCgroups(h.stateDir);
      await wait(100);
    }
    if (process.env['WHARF_KEEP_TEST_DIRS'] === '1') process.stderr.write(`kept ${dir}\n`);
    else rmSync(dir, { recursive: true, force: true });
  };

  try {
    for (const [i, name] of names.entries()) {
      const hostDir = join(dir, name);
      const dataDir = join(hostDir, 'data');
      const stateDir = join(hostDir, 'run');
      mkdirSync(dataDir, { recursive: true });
      mkdirSync(stateDir, { recursive: true });
      // PID 1 only reaps: containers' conmons are reparented to it when an agent is SIGKILLed.
      const init = spawn('unshare', ['--net', '--mount', '--pid', '--fork', '--mount-proc', '--', 'bash', '-c', 'ip link set lo up && while :; do sleep 3600 & wait; done'], { stdio: 'ignore' });
      inits.push(init);
      const pid = await childPid(init.pid!, 5000);
      const ip = `${PREFIX}.${i + 1}`;
      hosts.push({
        name,
        ip,
        pid,
        dataDir,
        stateDir,
        run(cmd, opts = {}) {
          const proc = spawn('nsenter', [`--net=/proc/${pid}/ns/net`, '--', ...cmd], { env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
          return collect(proc, opts.timeoutMs ?? 30_000);
        },
        async start(procName, cmd) {
          const logPath = join(hostDir, `${procName}.log`);
          const fd = openSync(logPath, 'a');
          // nsenter forks into the PID namespace; the child is the process itself.
          const proc = spawn('nsenter', ['--target', String(pid), '--net', '--mount', '--pid', '--', ...cmd], { stdio: ['ignore', fd, fd] });
          closeSync(fd);
          procs.push(proc);
          const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
          const self = await childPid(proc.pid!, 5000);
          return {
            name: procName,
            pid: self,
            exited,
            log: () => readFileSync(logPath, 'utf8'),
            kill(signal) {
              try {
                process.kill(self, signal);
              } catch {
                // Already gone.
              }
            },
          };
        },
      });
    }
    // The veth is made in the first host and its peer moved straight into the
    // second: neither end ever exists in the machine's own namespace.
    const [a, b] = hosts as [Host, Host];
    const inA = ['nsenter', `--net=/proc/${a.pid}/ns/net`, '--', 'ip'];
    const inB = ['nsenter', `--net=/proc/${b.pid}/ns/net`, '--', 'ip'];
    await must([...inA, 'link', 'add', 'mn0', 'type', 'veth', 'peer', 'name', 'mn0', 'netns', String(b.pid)]);
    await must([...inA, 'addr', 'add', `${a.ip}/24`, 'dev', 'mn0']);
    await must([...inA, 'link', 'set', 'mn0', 'up']);
    await must([...inB, 'addr', 'add', `${b.ip}/24`, 'dev', 'mn0']);
    await must([...inB, 'link', 'set', 'mn0', 'up']);
    // The safety rule, checked rather than assumed: no host has a default route.
    for (const h of hosts) {
      const r = await runOnHost(['nsenter', `--net=/proc/${h.pid}/ns/net`, '--', 'ip', 'route', 'show', 'default']);
      if (r.code !== 0 || r.stdout.trim() !== '') throw new Error(`host ${h.name} has a default route: ${r.stdout}${r.stderr}`);
    }
  } catch (err) {
    await cleanup();
    throw err;
  }
  return { dir, hosts, cleanup };
}
