// The bidirectional Exec stream: the first client frame says what to run;
// later frames carry stdin, resizes and end-of-input; the server streams
// stdout/stderr and ends with the exit code. Cancelling the call kills the
// process.
import * as grpc from '@grpc/grpc-js';
import type * as P from '@wharf/proto';
import { spawnExec, type ExecProcess } from '../container/exec.js';
import { InvalidArgumentError } from '../errors.js';
import type { Runtime } from '../runtime.js';
import { toServiceError } from './unary.js';

export function execStream(rt: Runtime, call: grpc.ServerDuplexStream<P.ExecClientFrame, P.ExecServerFrame>): void {
  let proc: ExecProcess | undefined;
  let done = false;
  const fail = (err: unknown) => {
    if (done) return;
    done = true;
    void proc?.kill();
    call.emit('error', toServiceError(err));
  };
  call.on('data', (frame: P.ExecClientFrame) => {
    if (done) return;
    try {
      if (!proc) {
        if (frame.frame !== 'start' || !frame.start) throw new InvalidArgumentError('the first Exec frame must be start');
        proc = begin(rt, call, frame.start, () => (done = true));
        return;
      }
      switch (frame.frame) {
        case 'stdin':
          if (frame.stdin && frame.stdin.length > 0) proc.child.stdin?.write(frame.stdin);
          break;
        case 'close_stdin':
          proc.child.stdin?.end();
          break;
        case 'resize':
          if (frame.resize) void proc.resize(frame.resize.width, frame.resize.height);
          break;
        default:
          throw new InvalidArgumentError('start may only be sent once');
      }
    } catch (err) {
      fail(err);
    }
  });
  call.on('end', () => proc?.child.stdin?.end());
  call.on('cancelled', () => {
    done = true;
    void proc?.kill();
  });
  call.on('error', () => void proc?.kill());
}

function begin(
  rt: Runtime,
  call: grpc.ServerDuplexStream<P.ExecClientFrame, P.ExecServerFrame>,
  start: P.ExecStart,
  finished: () => void,
): ExecProcess {
  const r = rt.containers.get(start.container_id);
  rt.requireRunning(r);
  const proc = spawnExec(rt.containers.runc, r.id, start.cmd, start.tty);
  if (!start.stdin) proc.child.stdin?.end();
  proc.child.stdout?.on('data', (d: Buffer) => call.write({ stdout: d }));
  proc.child.stderr?.on('data', (d: Buffer) => call.write({ stderr: d }));
  void proc.exited.then(async (code) => {
    await proc.cleanup().catch(() => undefined);
    finished();
    if (call.cancelled || call.destroyed) return;
    call.write({ exit_code: code });
    call.end();
  });
  return proc;
}
