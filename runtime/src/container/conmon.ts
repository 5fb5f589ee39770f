// Starts a container's monitor. conmon double-forks, runs `runc create`,
// copies the container's stdio into a CRI-format log file, writes the exit
// code to <exit-dir>/<id> and outlives the runtime. It reports the container
// pid (or the create error) on the pipe named by _OCI_SYNCPIPE the moment
// runc create returns, so nothing polls.
import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import type { Readable } from 'node:stream';
import { RuntimeError } from '../errors.js';
import { sharedSpawner } from '../util/spawner.js';

export interface ConmonLaunch {
  conmonPath: string;
  runcPath: string;
  runcRoot: string;
  id: string;
  bundleDir: string;
  logPath: string;
  exitDir: string;
  /** conmon's per-container directory: pid files, `oom` marker, attach sockets. */
  persistDir: string;
  stdin: boolean;
  tty: boolean;
}

export interface ConmonStarted {
  pid: number;
  /** Emits 'close' when conmon exits, i.e. after the container exited. */
  syncPipe: EventEmitter;
}

export class ConmonError extends RuntimeError {
  override name = 'ConmonError';
}

export function startConmon(o: ConmonLaunch): Promise<ConmonStarted> {
  const args = [
    '--api-version', '1',
    '-c', o.id,
    '-u', o.id,
    '-n', o.id,
    '-r', o.runcPath,
    '-b', o.bundleDir,
    '-p', `${o.persistDir}/pid`,
    '-P', `${o.persistDir}/conmon.pid`,
    '-l', `k8s-file:${o.logPath}`,
    '--exit-dir', o.exitDir,
    '-0', o.persistDir,
    '--socket-dir-path', o.persistDir,
    '--runtime-arg', `--root=${o.runcRoot}`,
    '--log-level', 'error',
    // conmon would fsync the log at every exit: milliseconds per container
    // for a guarantee only a power loss could need.
    '--no-sync-log',
    ...(o.stdin ? ['-i'] : []),
    ...(o.tty ? ['-t'] : []),
  ];
  const spawner = sharedSpawner();
  if (spawner) {
    const { exited, sync } = spawner.runWithSyncPipe(o.conmonPath, args);
    exited.catch(() => sync.emit('close'));
    return readSyncMessage(sync, () => '');
  }
  const child = spawn(o.conmonPath, args, {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', _OCI_SYNCPIPE: '3' },
    // Its own session: a signal to the runtime's process group must not reach it.
    detached: true,
  });
  child.unref();
  const stderr: Buffer[] = [];
  child.stderr?.on('data', (d: Buffer) => stderr.push(d));
  const sync = child.stdio[3] as Readable;
  sync.on('error', () => undefined);
  child.on('error', (err) => sync.destroy(err));
  return readSyncMessage(sync, () => Buffer.concat(stderr).toString().trim()).then((started) => {
    child.stderr?.destroy();
    (sync as Readable & { unref?: () => void }).unref?.();
    return started;
  });
}

/** Reads conmon's first sync message: `{"data": pid}`, or a negative data with the create error. */
function readSyncMessage(sync: EventEmitter, stderr: () => string): Promise<ConmonStarted> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    let done = false;
    const fail = (msg: string) => {
      if (done) return;
      done = true;
      reject(new ConmonError(msg));
    };
    sync.on('data', (d: Buffer) => {
      if (done) return;
      buffered += d.toString();
      const nl = buffered.indexOf('\n');
      if (nl < 0) return;
      let parsed: { data?: number; message?: string };
      try {
        parsed = JSON.parse(buffered.slice(0, nl)) as { data?: number; message?: string };
      } catch {
        return fail(`conmon wrote an unreadable sync message: ${buffered.slice(0, nl)}`);
      }
      if (typeof parsed.data === 'number' && parsed.data > 0) {
        done = true;
        resolve({ pid: parsed.data, syncPipe: sync });
      } else {
        fail(`container create failed: ${parsed.message ?? stderr()}`);
      }
    });
    sync.on('close', () => fail(`conmon exited before reporting a pid: ${stderr()}`));
  });
}
