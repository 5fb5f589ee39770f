// pods/portforward over WebSocket with Kubernetes' channel protocol (the
// kubelet's v4.channel.k8s.io flavour): for the i-th requested port, channel
// 2i carries data both ways and 2i+1 carries error text from the server. The
// server's first frame on each of its channels is the port (uint16, little
// endian) so the client can tell the streams apart; client frames carry no
// such prefix. The agent lives in the node's network namespace, so forwarding
// is a plain TCP connection to <podIP>:<port> per port.
import net from 'node:net';
import type { RuntimeClient } from '@wharf/proto';
import type { WebSocket } from 'ws';
import type { RuntimePod } from './runtime-state.js';
import { QUICK } from './util/deadlines.js';

export const PORTFORWARD_PROTOCOLS = ['v4.channel.k8s.io'];

/** A bad or missing port list, or a pod that cannot be reached. */
export class PortForwardError extends Error {
  override name = 'PortForwardError';
  constructor(
    readonly code: number,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * The ports to forward: `ports=` as clients send it to the apiserver, and
 * `port=` as the kubelet accepts it; each may repeat or hold a comma list.
 */
export function parsePortForwardPorts(q: URLSearchParams): number[] {
  const raw = [...q.getAll('ports'), ...q.getAll('port')];
  if (raw.length === 0) throw new PortForwardError(400, 'query parameter "port" is required');
  const ports: number[] = [];
  for (const value of raw) {
    for (const p of value.split(',')) {
      const n = /^\d+$/.test(p.trim()) ? Number(p.trim()) : NaN;
      if (!Number.isInteger(n) || n < 1 || n > 65535) throw new PortForwardError(400, `unable to parse "${p}" as a port: must be between 1 and 65535`);
      ports.push(n);
    }
  }
  return ports;
}

/** The pod's address as seen from the node: its sandbox IP, or loopback for a pod on the node's network. */
export async function podAddress(runtime: RuntimeClient, rp: RuntimePod | undefined, fallback: string | undefined): Promise<string> {
  const sandbox = rp?.sandboxes.find((s) => s.state === 'SANDBOX_READY') ?? rp?.sandboxes[0];
  if (sandbox) {
    const res = await runtime.podSandboxStatus({ pod_sandbox_id: sandbox.id }, QUICK);
    if (res.status?.linux?.namespaces?.options?.network === 'NODE') return '127.0.0.1';
    const ip = res.status?.network?.ip;
    if (ip) return ip;
  }
  if (fallback) return fallback;
  throw new PortForwardError(503, 'pod has no IP address yet');
}

function portBytes(port: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(port);
  return b;
}

function frame(channel: number, data: Buffer | string): Buffer {
  return Buffer.concat([Buffer.from([channel]), typeof data === 'string' ? Buffer.from(data) : data]);
}

export interface BridgeOptions {
  /** Opens the connection for one port (tests may point it elsewhere). */
  connect?: (host: string, port: number) => net.Socket;
}

/**
 * Bridges an accepted WebSocket to one TCP connection per port. The
 * WebSocket closes once every connection has ended; a client that goes away
 * ends the connections.
 */
export function bridgePortForward(ws: WebSocket, host: string, ports: number[], opts: BridgeOptions = {}): void {
  const connect = opts.connect ?? ((h: string, p: number) => net.connect(p, h));
  const sockets: net.Socket[] = [];
  let open = ports.length;
  const ended = () => {
    open -= 1;
    if (open === 0 && ws.readyState === ws.OPEN) ws.close(1000);
  };
  ports.forEach((port, i) => {
    ws.send(frame(2 * i, portBytes(port)));
    ws.send(frame(2 * i + 1, portBytes(port)));
    const socket = connect(host, port);
    sockets.push(socket);
    socket.on('data', (d: Buffer) => {
      if (ws.readyState === ws.OPEN) ws.send(frame(2 * i, d));
    });
    socket.on('error', (err) => {
      if (ws.readyState === ws.OPEN) ws.send(frame(2 * i + 1, `error forwarding port ${port} to pod ${host}: ${err.message}`));
    });
    socket.once('close', ended);
  });
  ws.on('message', (raw: Buffer | ArrayBuffer | Buffer[]) => {
    const msg = Buffer.isBuffer(raw) ? raw : Array.isArray(raw) ? Buffer.concat(raw) : Buffer.from(raw);
    if (msg.length < 2) return;
    const ch = msg[0]!;
    // Only data channels are writable by the client.
    const socket = ch % 2 === 0 ? sockets[ch / 2] : undefined;
    if (socket && !socket.destroyed) socket.write(msg.subarray(1));
  });
  const stop = () => {
    for (const s of sockets) s.destroy();
  };
  ws.on('close', stop);
  ws.on('error', stop);
}
