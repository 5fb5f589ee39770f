// `wharf exec`: pods/exec over WebSocket with the v5.channel.k8s.io protocol
// (channel byte 0 stdin, 1 stdout, 2 stderr, 3 status, 4 resize; 255 closes a
// channel). With -t the local terminal goes into raw mode and resizes follow.
import { spawnSync } from 'node:child_process';
import { resourcePath, R } from '@wharf/client';
import type { FlagSpec } from '../flags.js';
import { CliError, ReportedError } from '../verbs/cli-error.js';
import type { CliContext } from '../verbs/context.js';
import { pickContainer, resolvePod } from '../verbs/pods.js';
import { bool, runVerb, str } from '../verbs/run-verb.js';
import { connectWebSocket } from '../verbs/websocket.js';

const FLAGS: FlagSpec[] = [
  { name: 'stdin', short: 'i', type: 'boolean' },
  { name: 'tty', short: 't', type: 'boolean' },
  { name: 'container', short: 'c', type: 'string' },
  { name: 'quiet', short: 'q', type: 'boolean' },
];

export function run(args: string[]): Promise<number> {
  return runVerb(args, { usage: 'exec (POD | TYPE/NAME) [-c CONTAINER] [flags] -- COMMAND [args...]', flags: FLAGS, run: exec });
}

interface ExecStatus {
  status?: string;
  message?: string;
  reason?: string;
  details?: { causes?: Array<{ reason?: string; message?: string }> };
}

async function exec(ctx: CliContext, { values, positional, rest }: { values: Record<string, unknown>; positional: string[]; rest: string[] }): Promise<number> {
  const v = values as Parameters<typeof str>[0];
  const [target, ...inline] = positional;
  const command = rest.length ? rest : inline;
  if (!target) throw new CliError('pod or type/name must be specified');
  if (command.length === 0) throw new CliError('you must specify at least one command for the container');
  const pod = await resolvePod(ctx, target);
  if (pod['status']?.phase === 'Succeeded' || pod['status']?.phase === 'Failed') throw new CliError(`cannot exec into a container in a completed pod; current phase is ${pod['status'].phase}`);
  const container = pickContainer(pod, str(v, 'container'), bool(v, 'quiet'));
  const stdin = bool(v, 'stdin');
  let tty = bool(v, 'tty');
  if (tty && !stdin) {
    if (!bool(v, 'quiet')) process.stderr.write('Unable to use a TTY - input is not a terminal or the right kind of file\n');
    tty = false;
  }
  if (tty && !process.stdin.isTTY) {
    if (!bool(v, 'quiet')) process.stderr.write('Unable to use a TTY - input is not a terminal or the right kind of file\n');
    tty = false;
  }
  const params = new URLSearchParams();
  for (const c of command) params.append('command', c);
  params.set('container', container);
  if (stdin) params.set('stdin', 'true');
  params.set('stdout', 'true');
  params.set('stderr', String(!tty));
  if (tty) params.set('tty', 'true');
  const path = `${resourcePath(R.pods, pod.metadata.namespace, pod.metadata.name, 'exec')}?${params.toString()}`;
  const ws = await connectWebSocket(ctx.config, path, ['v5.channel.k8s.io', 'v4.channel.k8s.io']);
  const v5 = ws.protocol === 'v5.channel.k8s.io';
  let status: ExecStatus | undefined;
  const restore: Array<() => void> = [];
  if (tty) {
    // libuv's raw mode keeps output post-processing (\n -> \r\n) on; the remote
    // terminal already does that, so switch it off like kubectl's raw mode does.
    const saved = spawnSync('stty', ['-g'], { stdio: ['inherit', 'pipe', 'ignore'] }).stdout?.toString().trim();
    process.stdin.setRawMode(true);
    spawnSync('stty', ['-opost'], { stdio: ['inherit', 'pipe', 'pipe'] });
    restore.push(() => {
      process.stdin.setRawMode(false);
      if (saved) spawnSync('stty', [saved], { stdio: ['inherit', 'ignore', 'ignore'] });
    });
    const resize = () => ws.send(Buffer.concat([Buffer.from([4]), Buffer.from(JSON.stringify({ Width: process.stdout.columns ?? 80, Height: process.stdout.rows ?? 24 }))]));
    resize();
    process.stdout.on('resize', resize);
    restore.push(() => process.stdout.off('resize', resize));
  }
  if (stdin) {
    const onData = (d: Buffer) => ws.send(Buffer.concat([Buffer.from([0]), d]));
    const onEnd = () => {
      // v5 can close stdin alone; v4 has no way to say EOF but closing the socket.
      if (v5) ws.send(Buffer.from([255, 0]));
    };
    process.stdin.on('data', onData);
    process.stdin.once('end', onEnd);
    restore.push(() => {
      process.stdin.off('data', onData);
      process.stdin.off('end', onEnd);
      process.stdin.pause();
    });
  }
  await new Promise<void>((resolve, reject) => {
    ws.on('message', (raw: Buffer) => {
      const msg = Buffer.isBuffer(raw) ? raw : Buffer.from(raw as ArrayBuffer);
      if (msg.length === 0) return;
      const ch = msg[0]!;
      const body = msg.subarray(1);
      if (ch === 1) process.stdout.write(body);
      else if (ch === 2) process.stderr.write(body);
      else if (ch === 3) {
        try {
          status = JSON.parse(body.toString('utf8')) as ExecStatus;
        } catch {
          status = { status: 'Failure', message: body.toString('utf8') };
        }
      }
    });
    ws.once('close', () => resolve());
    ws.once('error', reject);
  }).finally(async () => {
    // Output still queued for a slow terminal must be written in raw mode too.
    await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
    for (const r of restore) r();
  });
  if (!status || status.status === 'Success') return 0;
  if (status.reason === 'NonZeroExitCode') {
    const code = Number(status.details?.causes?.find((c) => c.reason === 'ExitCode')?.message ?? 1);
    if (!tty) process.stderr.write(`command terminated with exit code ${code}\n`);
    throw new ReportedError(code);
  }
  throw new CliError(status.message ?? 'exec failed');
}
