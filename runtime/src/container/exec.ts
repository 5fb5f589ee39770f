// Running extra processes in a container with `runc exec`, which joins the
// container's namespaces and cgroup and inherits its process spec (env, cwd,
// user). The exec'd process's host pid lands in a pid file so a timeout or a
// cancelled stream can kill that process itself, not only runc.
import { spawn, type ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DeadlineExceededError, InvalidArgumentError } from '../errors.js';
import { newId } from '../util/ids.js';
import { sharedSpawner, type Spawner } from '../util/spawner.js';
import type { Runc } from './runc.js';

const MAX_OUTPUT = 16 * 1024 * 1024;

export interface ExecProcess {
  child: ChildProcess;
  /** Kills the exec'd process (and with it runc exec). */
  kill(): Promise<void>;
  /** Resolves with the exit code (128+signal when killed by one). */
  exited: Promise<number>;
  /** Sets the terminal size (tty sessions only). */
  resize(width: number, height: number): Promise<void>;
  cleanup(): Promise<void>;
}

function shellQuote(arg: string): string {
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function spawnExec(runc: Runc, id: string, cmd: string[], tty: boolean): ExecProcess {
  if (cmd.length === 0 || !cmd[0]) throw new InvalidArgumentError('cmd is required');
  const pidFile = path.join(os.tmpdir(), `wharf-exec-${newId()}.pid`);
  const argv = runc.execArgv(id, cmd, { tty, pidFile });
  // runc needs a terminal of its own to relay a tty session; script(1) gives
  // it one without a native pty module. Resizing that terminal makes the
  // kernel send runc SIGWINCH, and runc resizes the container's.
  const child = tty
    ? spawn('script', ['-q', '-e', '-c', [runc.path, ...argv].map(shellQuote).join(' '), '/dev/null'], {
        stdio: ['pipe', 'pipe', 'pipe'],
        env: { ...process.env, SHELL: '/bin/sh', TERM: 'xterm' },
      })
    : spawn(runc.path, argv, { stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdin?.on('error', () => undefined);
  const exited = new Promise<number>((resolve) => {
    child.on('error', () => resolve(126));
    child.on('close', (code, signal) => resolve(code ?? 128 + (signal ? (os.constants.signals[signal] ?? 9) : 9)));
  });
  const kill = async (): Promise<void> => {
    const pid = Number(await fs.readFile(pidFile, 'utf8').catch(() => '0'));
    if (pid > 0) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
    child.kill('SIGKILL');
  };
  const resize = async (width: number, height: number): Promise<void> => {
    if (!tty || !child.pid) return;
    const pts = await terminalOfChild(child.pid);
    if (!pts) return;
    await new Promise<void>((resolve) => {
      const s = spawn('stty', ['-F', pts, 'rows', String(height), 'cols', String(width)], { stdio: 'ignore' });
      s.on('close', () => resolve());
      s.on('error', () => resolve());
    });
  };
  return { child, kill, exited, resize, cleanup: () => fs.rm(pidFile, { force: true }) };
}

/** The pty script(1) gave its child (runc): the child's stdin. */
async function terminalOfChild(scriptPid: number): Promise<string | undefined> {
  const children = await fs.readFile(`/proc/${scriptPid}/task/${scriptPid}/children`, 'utf8').catch(() => '');
  for (const pid of children.trim().split(/\s+/).filter(Boolean)) {
    const target = await fs.readlink(`/proc/${pid}/fd/0`).catch(() => '');
    if (target.startsWith('/dev/pts/')) return target;
  }
  return undefined;
}

export interface ExecSyncResult {
  stdout: Buffer;
  stderr: Buffer;
  exitCode: number;
}

export async function execSync(runc: Runc, id: string, cmd: string[], timeoutSec: number): Promise<ExecSyncResult> {
  const spawner = sharedSpawner();
  if (spawner) return execSyncViaHelper(spawner, runc, id, cmd, timeoutSec);
  const proc = spawnExec(runc, id, cmd, false);
  proc.child.stdin?.end();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  let size = 0;
  const collect = (into: Buffer[]) => (d: Buffer) => {
    size += d.length;
    if (size <= MAX_OUTPUT) into.push(d);
  };
  proc.child.stdout?.on('data', collect(out));
  proc.child.stderr?.on('data', collect(err));
  let timedOut = false;
  const timer =
    timeoutSec > 0
      ? setTimeout(() => {
          timedOut = true;
          void proc.kill();
        }, timeoutSec * 1000)
      : undefined;
  try {
    const exitCode = await proc.exited;
    if (timedOut) throw new DeadlineExceededError(`command ${JSON.stringify(cmd)} timed out after ${timeoutSec}s`);
    return { stdout: Buffer.concat(out), stderr: Buffer.concat(err), exitCode };
  } finally {
    if (timer) clearTimeout(timer);
    await proc.cleanup();
  }
}

/** ExecSync is what exec probes use, often: start runc through the small helper, not a fork of Node. */
async function execSyncViaHelper(spawner: Spawner, runc: Runc, id: string, cmd: string[], timeoutSec: number): Promise<ExecSyncResult> {
  if (cmd.length === 0 || !cmd[0]) throw new InvalidArgumentError('cmd is required');
  const pidFile = path.join(os.tmpdir(), `wharf-exec-${newId()}.pid`);
  let timedOut = false;
  let finished = false;
  // runc writes the pid file once the process exists; until then, try again.
  const killWhenKnown = (): void => {
    if (finished) return;
    fs.readFile(pidFile, 'utf8').then(
      (pid) => {
        try {
          process.kill(Number(pid), 'SIGKILL');
        } catch {
          /* already gone */
        }
      },
      () => void setTimeout(killWhenKnown, 50),
    );
  };
  const timer =
    timeoutSec > 0
      ? setTimeout(() => {
          timedOut = true;
          killWhenKnown();
        }, timeoutSec * 1000)
      : undefined;
  try {
    const r = await spawner.run(runc.path, runc.execArgv(id, cmd, { tty: false, pidFile }));
    if (timedOut) throw new DeadlineExceededError(`command ${JSON.stringify(cmd)} timed out after ${timeoutSec}s`);
    const exitCode = r.code ?? 128 + (r.signal ? (os.constants.signals[r.signal] ?? 9) : 9);
    return { stdout: r.stdout.subarray(0, MAX_OUTPUT), stderr: r.stderr.subarray(0, MAX_OUTPUT), exitCode };
  } finally {
    finished = true;
    if (timer) clearTimeout(timer);
    await fs.rm(pidFile, { force: true });
  }
}
