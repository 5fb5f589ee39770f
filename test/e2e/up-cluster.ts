// Runs what `make up` runs — scripts/up.sh — inside fresh network, mount and
// PID namespaces with no default route, and gives the test a shell inside that
// network namespace. up.sh is PID 1 of the namespace: SIGTERM makes it stop
// the server cleanly, and its exit kills every process in the namespace,
// containers included, so nothing outlives the test. The bridge, pod IPs,
// netns mounts and nftables rules all live in namespaces that die with it.
//
//   test ──nsenter --net──▶ bash / kubectl / curl / poll.mjs ──▶ 127.0.0.1:<api>, NodePort
//   unshare --net --mount --pid ── up.sh (PID 1) ── wharf server ── conmon ── containers
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import readline from 'node:readline';
import { REPO } from '../harness/apiserver.js';
import { removePodCgroups } from '../harness/pod-cgroups.js';

export interface RunResult {
  code: number;
  output: string;
}

export interface PollResult {
  ok: boolean;
  status?: number;
  error?: string;
  version?: string;
  visits?: number;
}

export interface Poller {
  results: PollResult[];
  stop(): Promise<PollResult[]>;
}

export interface UpCluster {
  dir: string;
  dataDir: string;
  kubeconfig: string;
  /** Host PID of up.sh, the namespace's PID 1. */
  pid: number;
  /** up.sh's output so far. */
  output(): string;
  /** Resolves once up.sh reports every Deployment Available ("The shop is up"). */
  waitForShop(): Promise<void>;
  /** Runs a bash command inside the cluster's network namespace (cwd: the repo). */
  sh(command: string, timeoutMs?: number): Promise<RunResult>;
  /** Repeats `command` until `done(output)` or the timeout; returns the last result. */
  shUntil(command: string, done: (out: string) => boolean, timeoutMs?: number): Promise<RunResult>;
  /** GETs `url` inside the namespace every `intervalMs` until stopped. */
  poll(url: string, intervalMs: number): Poller;
  /** Ctrl-C: SIGINT to up.sh; resolves with its exit code once the namespace is gone. */
  interrupt(): Promise<number | null>;
  stop(): Promise<void>;
}

const POLL = join(REPO, 'test/e2e/bin/poll.mjs');

function nsenter(pid: number, cmd: string[]): string[] {
  return ['nsenter', `--net=/proc/${pid}/ns/net`, '--', ...cmd];
}

function collect(proc: ChildProcess, timeoutMs: number): Promise<RunResult> {
  return new Promise((resolve) => {
    let output = '';
    proc.stdout?.on('data', (c: Buffer) => (output += c.toString()));
    proc.stderr?.on('data', (c: Buffer) => (output += c.toString()));
    const timer = setTimeout(() => {
      output += `\n[killed after ${timeoutMs} ms]`;
      proc.kill('SIGKILL');
    }, timeoutMs);
    proc.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, output });
    });
  });
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
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`unshare (pid ${parent}) started no child`);
}

/** Starts scripts/up.sh in its own namespaces; resolves once the node is Ready and up.sh deploys the shop. */
export async function startUp(opts: { timeoutMs?: number; port?: number } = {}): Promise<UpCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'wharf-up-'));
  const dataDir = join(dir, 'data');
  const stateDir = join(dir, 'run');
  const port = opts.port ?? 20000 + Math.floor(Math.random() * 20000);
  const timeoutMs = opts.timeoutMs ?? 150_000;
  const unshare = spawn('unshare', ['--net', '--mount', '--pid', '--fork', '--mount-proc', '--', 'bash', '-c', 'ip link set lo up && exec "$0"', join(REPO, 'scripts/up.sh')], {
    cwd: REPO,
    env: { ...process.env, WHARF_DATA_DIR: dataDir, WHARF_STATE_DIR: stateDir, WHARF_LISTEN: `127.0.0.1:${port}`, WHARF_UP_TIMEOUT: String(Math.floor(timeoutMs / 1000)) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let upExit: number | null = null;
  const exited = new Promise<number | null>((r) =>
    unshare.once('exit', (code) => {
      upExit = code;
      r(code);
    }),
  );
  let nodeReady!: () => void;
  let shopUp!: () => void;
  const nodeReadyP = new Promise<void>((r) => (nodeReady = r));
  const shopUpP = new Promise<void>((r) => (shopUp = r));
  for (const stream of [unshare.stdout!, unshare.stderr!]) {
    readline.createInterface({ input: stream }).on('line', (line) => {
      out += `${line}\n`;
      if (line.startsWith('==> deploying')) nodeReady();
      if (line.startsWith('The shop is up')) shopUp();
    });
  }
  const failed = exited.then((code) => {
    throw new Error(`scripts/up.sh exited with ${code}:\n${out}`);
  });
  failed.catch(() => {});
  const within = (p: Promise<void>, what: string) =>
    Promise.race([p, failed, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`scripts/up.sh: ${what} not within ${timeoutMs} ms:\n${out}`)), timeoutMs).unref())]);
  const pid = await childPid(unshare.pid!, 5000);

  const pollers = new Set<ChildProcess>();
  const cluster: UpCluster = {
    dir,
    dataDir,
    kubeconfig: join(dataDir, 'kubeconfig'),
    pid,
    output: () => out,
    waitForShop: () => Promise.resolve(),
    sh(command, ms = 60_000) {
      const [cmd, ...args] = nsenter(pid, ['bash', '-c', `shopt -s expand_aliases\n${command}`]);
      const proc = spawn(cmd!, args, { cwd: REPO, env: { ...process.env, KUBECONFIG: join(dataDir, 'kubeconfig') }, stdio: ['ignore', 'pipe', 'pipe'] });
      return collect(proc, ms);
    },
    async shUntil(command, done, ms = 60_000) {
      const deadline = Date.now() + ms;
      for (;;) {
        const r = await cluster.sh(command);
        if (r.code === 0 && done(r.output)) return r;
        if (Date.now() > deadline) return r;
        await new Promise((res) => setTimeout(res, 500));
      }
    },
    poll(url, intervalMs) {
      const [cmd, ...args] = nsenter(pid, [process.execPath, POLL, url, String(intervalMs)]);
      const proc = spawn(cmd!, args, { stdio: ['pipe', 'pipe', 'inherit'] });
      pollers.add(proc);
      const results: PollResult[] = [];
      readline.createInterface({ input: proc.stdout! }).on('line', (line) => {
        try {
          results.push(JSON.parse(line) as PollResult);
        } catch {
          // Not one of ours.
        }
      });
      const closed = new Promise<void>((r) => proc.once('close', () => r()));
      return {
        results,
        async stop() {
          proc.stdin!.end();
          await closed;
          pollers.delete(proc);
          return results;
        },
      };
    },
    async interrupt() {
      if (unshare.exitCode === null) process.kill(pid, 'SIGINT');
      const timer = setTimeout(() => {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }, 30_000);
      await exited;
      clearTimeout(timer);
      return upExit;
    },
    async stop() {
      for (const p of pollers) p.kill('SIGKILL');
      // SIGTERM to up.sh: it stops the server (drain) and exits, which ends the namespace.
      if (unshare.exitCode === null) {
        try {
          process.kill(pid, 'SIGTERM');
        } catch {
          // Already gone.
        }
        const timer = setTimeout(() => {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            // Already gone.
          }
        }, 20_000);
        await exited;
        clearTimeout(timer);
      }
      // Processes of a dead PID namespace are killed asynchronously; give them a moment.
      for (let i = 0; i < 20; i++) {
        removePodCgroups(stateDir);
        await new Promise((r) => setTimeout(r, 100));
      }
      if (process.env['WHARF_KEEP_TEST_DIRS'] === '1') process.stderr.write(`kept ${dir}\n`);
      else rmSync(dir, { recursive: true, force: true });
    },
  };
  cluster.waitForShop = () => within(shopUpP, 'the shop up');
  try {
    await within(nodeReadyP, 'the node Ready');
  } catch (err) {
    await cluster.stop();
    throw err;
  }
  return cluster;
}
