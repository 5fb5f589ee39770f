// pods/portforward as kubectl ≥ 1.31 speaks it: SPDY/3.1 frames tunneled in
// binary WebSocket messages (subprotocol SPDY/3.1+portforward.k8s.io). Per
// forwarded connection the client opens two streams whose headers name them —
// `streamtype: error|data`, `port`, `requestid` — and the agent dials
// <podIP>:<port> once both have arrived. Only what port-forward uses is
// implemented: SYN_STREAM/SYN_REPLY, DATA with FIN, RST_STREAM, PING, GOAWAY;
// flow control frames are ignored, as the Go client does not need them.
import net from 'node:net';
import zlib from 'node:zlib';
import type { WebSocket } from 'ws';

export const SPDY_PORTFORWARD_PROTOCOL = 'SPDY/3.1+portforward.k8s.io';

const WORDS =
  'options head post put delete trace accept accept-charset accept-encoding accept-language accept-ranges age allow authorization cache-control connection content-base content-encoding content-language content-length content-location content-md5 content-range content-type date etag expect expires from host if-match if-modified-since if-none-match if-range if-unmodified-since last-modified location max-forwards pragma proxy-authenticate proxy-authorization range referer retry-after server te trailer transfer-encoding upgrade user-agent vary via warning www-authenticate method get status 200_OK version HTTP/1.1 url public set-cookie keep-alive origin';
const TAIL =
  '100101201202205206300302303304305306307402405406407408409410411412413414415416417502504505203 Non-Authoritative Information204 No Content301 Moved Permanently400 Bad Request401 Unauthorized403 Forbidden404 Not Found500 Internal Server Error501 Not Implemented503 Service UnavailableJan Feb Mar Apr May Jun Jul Aug Sept Oct Nov Dec 00:00:00 Mon, Tue, Wed, Thu, Fri, Sat, Sun, GMTchunked,text/html,image/png,image/jpg,image/gif,application/xml,application/xhtml+xml,text/plain,text/javascript,publicprivatemax-age=gzip,deflate,sdchcharset=utf-8charset=iso-8859-1,utf-,*,enq=0.';

/** SPDY/3's zlib preset dictionary (1423 bytes): length-prefixed header words, then a raw tail. */
export const SPDY_DICTIONARY: Buffer = Buffer.concat([
  ...WORDS.split(' ').map((w) => {
    const word = Buffer.from(w.replace('_', ' '));
    const len = Buffer.alloc(4);
    len.writeUInt32BE(word.length);
    return Buffer.concat([len, word]);
  }),
  Buffer.from(TAIL),
]);

const SYN_STREAM = 1;
const SYN_REPLY = 2;
const RST_STREAM = 3;
const PING = 6;
const GOAWAY = 7;
const FLAG_FIN = 1;

/** Runs a zlib stream (one per direction, its context shared by every header block) one sync-flushed chunk at a time. */
function flusher(z: zlib.Inflate | zlib.Deflate): (input: Buffer) => Promise<Buffer> {
  const out: Buffer[] = [];
  z.on('data', (d: Buffer) => out.push(d));
  let chain: Promise<unknown> = Promise.resolve();
  return (input) => {
    const run = chain.then(
      () =>
        new Promise<Buffer>((resolve, reject) => {
          z.once('error', reject);
          z.write(input);
          z.flush(zlib.constants.Z_SYNC_FLUSH, () => {
            z.removeListener('error', reject);
            resolve(Buffer.concat(out.splice(0)));
          });
        }),
    );
    chain = run.catch(() => undefined);
    return run;
  };
}

export function decodeHeaders(block: Buffer): Map<string, string> {
  const headers = new Map<string, string>();
  let o = 0;
  const n = block.readUInt32BE(o);
  o += 4;
  for (let i = 0; i < n; i++) {
    const kl = block.readUInt32BE(o);
    const k = block.subarray(o + 4, o + 4 + kl).toString();
    o += 4 + kl;
    const vl = block.readUInt32BE(o);
    headers.set(k.toLowerCase(), block.subarray(o + 4, o + 4 + vl).toString());
    o += 4 + vl;
  }
  return headers;
}

export function encodeHeaders(headers: Record<string, string>): Buffer {
  const parts: Buffer[] = [];
  const u32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n);
    return b;
  };
  const entries = Object.entries(headers);
  parts.push(u32(entries.length));
  for (const [k, v] of entries) parts.push(u32(Buffer.byteLength(k)), Buffer.from(k), u32(Buffer.byteLength(v)), Buffer.from(v));
  return Buffer.concat(parts);
}

function control(type: number, flags: number, body: Buffer): Buffer {
  const h = Buffer.alloc(8);
  h.writeUInt16BE(0x8003, 0);
  h.writeUInt16BE(type, 2);
  h.writeUInt32BE(body.length, 4);
  h[4] = flags;
  return Buffer.concat([h, body]);
}

function data(streamId: number, flags: number, body: Buffer): Buffer {
  const h = Buffer.alloc(8);
  h.writeUInt32BE(streamId & 0x7fffffff, 0);
  h.writeUInt32BE(body.length, 4);
  h[4] = flags;
  return Buffer.concat([h, body]);
}

interface Pair {
  port: number;
  dataId?: number;
  errorId?: number;
  socket?: net.Socket;
}

/** Serves one tunneled SPDY connection, dialing `host` for every stream pair the client opens. */
export function bridgeSpdyPortForward(ws: WebSocket, host: string, connect: (h: string, p: number) => net.Socket = (h, p) => net.connect(p, h)): void {
  const inflate = flusher(zlib.createInflate({ dictionary: SPDY_DICTIONARY }));
  const deflate = flusher(zlib.createDeflate({ dictionary: SPDY_DICTIONARY }));
  const pairs = new Map<string, Pair>();
  const byStream = new Map<number, Pair>();
  const send = (frame: Buffer) => {
    if (ws.readyState === ws.OPEN) ws.send(frame);
  };
  // Frames leave in order even though header compression is asynchronous.
  let outChain: Promise<unknown> = Promise.resolve();
  const sendOrdered = (make: () => Promise<Buffer> | Buffer) => {
    outChain = outChain.then(make).then(send, () => undefined);
  };
  const reply = (id: number) =>
    sendOrdered(async () => {
      const body = Buffer.alloc(4);
      body.writeUInt32BE(id);
      return control(SYN_REPLY, 0, Buffer.concat([body, await deflate(encodeHeaders({}))]));
    });
  const fin = (id: number) => sendOrdered(() => data(id, FLAG_FIN, Buffer.alloc(0)));

  const start = (p: Pair) => {
    const socket = connect(host, p.port);
    p.socket = socket;
    socket.on('data', (d: Buffer) => sendOrdered(() => data(p.dataId!, 0, d)));
    socket.once('end', () => fin(p.dataId!));
    socket.on('error', (err) => {
      sendOrdered(() => data(p.errorId!, 0, Buffer.from(`error forwarding port ${p.port} to pod ${host}: ${err.message}`)));
    });
    socket.once('close', () => {
      // The client reads the error stream to its end before it lets the connection go.
      fin(p.errorId!);
    });
  };

  let buffered = Buffer.alloc(0);
  let inChain: Promise<unknown> = Promise.resolve();
  const onFrame = async (frame: Buffer): Promise<void> => {
    const isControl = (frame[0]! & 0x80) !== 0;
    const flags = frame[4]!;
    const body = frame.subarray(8);
    if (!isControl) {
      const p = byStream.get(frame.readUInt32BE(0) & 0x7fffffff);
      if (p?.socket && p.dataId === frame.readUInt32BE(0)) {
        if (body.length) p.socket.write(body);
        if (flags & FLAG_FIN) p.socket.end();
      }
      return;
    }
    const type = frame.readUInt16BE(2);
    if (type === SYN_STREAM) {
      const id = body.readUInt32BE(0) & 0x7fffffff;
      const headers = decodeHeaders(await inflate(body.subarray(10)));
      const port = Number(headers.get('port'));
      const key = headers.get('requestid') ?? String(port);
      const kind = headers.get('streamtype');
      if (!Number.isInteger(port) || port < 1 || port > 65535 || (kind !== 'data' && kind !== 'error')) {
        const rst = Buffer.alloc(8);
        rst.writeUInt32BE(id, 0);
        rst.writeUInt32BE(1, 4);
        sendOrdered(() => control(RST_STREAM, 0, rst));
        return;
      }
      const p = pairs.get(key) ?? { port };
      pairs.set(key, p);
      byStream.set(id, p);
      if (kind === 'data') p.dataId = id;
      else p.errorId = id;
      reply(id);
      if (p.dataId !== undefined && p.errorId !== undefined && !p.socket) start(p);
    } else if (type === RST_STREAM) {
      const p = byStream.get(body.readUInt32BE(0) & 0x7fffffff);
      p?.socket?.destroy();
    } else if (type === PING) {
      sendOrdered(() => control(PING, 0, body));
    } else if (type === GOAWAY) {
      ws.close(1000);
    }
  };
  ws.on('message', (raw: Buffer | ArrayBuffer | Buffer[]) => {
    const msg = Buffer.isBuffer(raw) ? raw : Array.isArray(raw) ? Buffer.concat(raw) : Buffer.from(raw);
    buffered = Buffer.concat([buffered, msg]);
    while (buffered.length >= 8) {
      const len = buffered.readUInt32BE(4) & 0xffffff;
      if (buffered.length < 8 + len) break;
      const frame = buffered.subarray(0, 8 + len);
      buffered = buffered.subarray(8 + len);
      inChain = inChain.then(() => onFrame(frame)).catch(() => {
        ws.close(1002);
      });
    }
  });
  const stop = () => {
    for (const p of byStream.values()) p.socket?.destroy();
  };
  ws.on('close', stop);
  ws.on('error', stop);
}
