// pods/exec over WebSocket with Kubernetes' channel protocol: every binary
// message starts with a channel byte — 0 stdin, 1 stdout, 2 stderr, 3 the
// final Status, 4 terminal resize — and v5 adds 255 <channel> to close a
// channel (stdin EOF). Bridged to the runtime's bidirectional Exec stream.
import type { RuntimeClient } from '@wharf/proto';
import type { WebSocket } from 'ws';

export const EXEC_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];

export interface ExecParams {
  command: string[];
  container?: string | undefined;
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

export function parseExecParams(q: URLSearchParams): ExecParams {
  const bool = (k: string) => q.get(k) === 'true' || q.get(k) === '1';
  return {
    command: q.getAll('command'),
    container: q.get('container') ?? undefined,
    stdin: bool('stdin'),
    stdout: q.has('stdout') ? bool('stdout') : true,
    stderr: q.has('stderr') ? bool('stderr') : true,
    tty: bool('tty'),
  };
}

/** The Status Kubernetes sends on channel 3 when the command ends. */
export function exitStatus(code: number, command: string[]): string {
  if (code === 0) return JSON.stringify({ metadata: {}, status: 'Success' });
  return JSON.stringify({
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${command.join(' ')}], exit code ${code}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
  });
}

export function errorStatus(message: string): string {
  return JSON.stringify({ metadata: {}, status: 'Failure', message, reason: 'InternalError', code: 500 });
}

function frame(channel: number, data: Buffer | string): Buffer {
  const body = typeof data === 'string' ? Buffer.from(data) : data;
  return Buffer.concat([Buffer.from([channel]), body]);
}

/**
 * Collects client messages from the moment the socket opens: the client may
 * send stdin (and its close) before the container is looked up.
 */
export function bufferMessages(ws: WebSocket): { take(handler: (msg: Buffer) => void): void } {
  const early: Buffer[] = [];
  let handler: ((msg: Buffer) => void) | undefined;
  ws.on('message', (raw: Buffer) => {
    const msg = Buffer.isBuffer(raw) ? raw : Buffer.from(raw);
    if (handler) handler(msg);
    else early.push(msg);
  });
  return {
    take(h) {
      handler = h;
      for (const m of early.splice(0)) h(m);
    },
  };
}

export function bridgeExec(ws: WebSocket, messages: ReturnType<typeof bufferMessages>, runtime: RuntimeClient, containerId: string, p: ExecParams): void {
  const v5 = ws.protocol === 'v5.channel.k8s.io';
  const session = runtime.exec({ container_id: containerId, cmd: p.command, tty: p.tty, stdin: p.stdin });
  let closed = false;
  messages.take((msg) => {
    if (msg.length === 0) return;
    const ch = msg[0]!;
    const body = msg.subarray(1);
    if (ch === 0 && p.stdin) {
      if (body.length) session.write(body);
    } else if (ch === 4) {
      try {
        const size = JSON.parse(body.toString('utf8')) as { Width?: number; Height?: number };
        if (size.Width && size.Height) {
          const { Width: w, Height: h } = size;
          session.resize(w, h);
          // The first size often arrives before the runtime has the terminal; repeating it is harmless.
          for (const ms of [150, 500]) setTimeout(() => !closed && session.resize(w, h), ms).unref();
        }
      } catch {
        // A malformed resize is ignored, as the kubelet does.
      }
    } else if (ch === 255 && v5 && body[0] === 0) {
      session.closeStdin();
    }
  });
  ws.on('close', () => {
    closed = true;
    session.stop();
  });
  void (async () => {
    try {
      for await (const f of session.output) {
        if (closed) break;
        if (f.stdout && p.stdout) ws.send(frame(1, f.stdout));
        if (f.stderr && (p.stderr || p.tty)) ws.send(frame(p.tty ? 1 : 2, f.stderr));
      }
      const code = await session.exitCode;
      if (!closed) ws.send(frame(3, exitStatus(code, p.command)));
    } catch (err) {
      if (!closed) ws.send(frame(3, errorStatus(err instanceof Error ? err.message : String(err))));
    }
    if (!closed) ws.close(1000);
  })();
}
