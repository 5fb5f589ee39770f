// `wharf port-forward`: listens on local ports and carries each accepted
// connection over its own WebSocket to pods/portforward, using Kubernetes'
// WebSocket port-forward framing: for the i-th requested port, channel 2i
// carries data and 2i+1 errors, and the first frame on each channel from the
// server is the port number (uint16, little endian).
import net from 'node:net';
import { resourcePath, R } from '@wharf/client';
import type { FlagSpec } from '../flags.js';
import { CliError } from '../verbs/cli-error.js';
import type { CliContext } from '../verbs/context.js';
import { resolvePod } from '../verbs/pods.js';
import { runVerb, strs } from '../verbs/run-verb.js';
import { connectWebSocket } from '../verbs/websocket.js';

const FLAGS: FlagSpec[] = [{ name: 'address', type: 'strings', default: ['localhost'] }];

export function run(args: string[]): Promise<number> {
  return runVerb(args, { usage: 'port-forward (POD | TYPE/NAME) [LOCAL_PORT:]REMOTE_PORT [...[LOCAL_PORT_N:]REMOTE_PORT_N] [flags]', flags: FLAGS, run: portForward });
}

export function parsePortSpec(spec: string): { local: number; remote: number } {
  const [a, b] = spec.split(':');
  const local = a === '' ? 0 : Number(a);
  const remote = Number(b ?? a);
  if (!Number.isInteger(local) || !Number.isInteger(remote) || remote < 1 || remote > 65535 || local < 0 || local > 65535) throw new CliError(`Error parsing local port '${spec}': not a valid port`);
  return { local, remote };
}

async function portForward(ctx: CliContext, { values, positional }: { values: Record<string, unknown>; positional: string[] }): Promise<number> {
  const [target, ...specs] = positional;
  if (!target || specs.length === 0) throw new CliError('TYPE/NAME and list of ports are required for port-forward');
  const pod = await resolvePod(ctx, target);
  if (pod['status']?.phase !== 'Running') throw new CliError(`unable to forward port because pod is not running. Current status=${pod['status']?.phase ?? 'Unknown'}`);
  const addresses = strs(values as Parameters<typeof strs>[0], 'address').map((a) => (a === 'localhost' ? '127.0.0.1' : a));
  const servers: net.Server[] = [];
  for (const { local, remote } of specs.map(parsePortSpec)) {
    for (const address of addresses) {
      const server = net.createServer((socket) => {
        const path = `${resourcePath(R.pods, pod.metadata.namespace, pod.metadata.name, 'portforward')}?ports=${remote}`;
        process.stdout.write(`Handling connection for ${local || remote}\n`);
        connectWebSocket(ctx.config, path, ['v4.channel.k8s.io', 'portforward.k8s.io']).then(
          (ws) => bridge(ws, socket),
          (err: Error) => {
            process.stderr.write(`E1126 portforward.go: "Unhandled Error" err="error creating error stream for port ${local}->${remote}: ${err.message}"\n`);
            socket.destroy();
          },
        );
      });
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(local, address, () => resolve());
      });
      const actual = (server.address() as net.AddressInfo).port;
      process.stdout.write(`Forwarding from ${address}:${actual} -> ${remote}\n`);
      servers.push(server);
    }
  }
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  for (const s of servers) s.close();
  return 0;
}

function bridge(ws: import('ws').WebSocket, socket: net.Socket): void {
  const seenPortFrame = new Set<number>();
  ws.on('message', (raw: Buffer) => {
    const msg = Buffer.isBuffer(raw) ? raw : Buffer.from(raw as ArrayBuffer);
    if (msg.length === 0) return;
    const ch = msg[0]!;
    let body = msg.subarray(1);
    if (!seenPortFrame.has(ch)) {
      seenPortFrame.add(ch);
      body = body.subarray(2);
    }
    if (body.length === 0) return;
    if (ch === 0) socket.write(body);
    else if (ch === 1) process.stderr.write(`error forwarding port: ${body.toString('utf8')}\n`);
  });
  socket.on('data', (d: Buffer) => ws.send(Buffer.concat([Buffer.from([0]), d])));
  socket.on('end', () => ws.close());
  socket.on('error', () => ws.close());
  ws.on('close', () => socket.end());
  ws.on('error', () => socket.destroy());
}
