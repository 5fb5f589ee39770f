import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { decodeHeaders, encodeHeaders, SPDY_DICTIONARY } from './portforward-spdy.js';
import { bridgePortForward, parsePortForwardPorts, PortForwardError } from './portforward.js';

describe('parsePortForwardPorts', () => {
  it('reads ports= and port=, repeated or comma separated', () => {
    expect(parsePortForwardPorts(new URLSearchParams('ports=80&ports=443,8080'))).toEqual([80, 443, 8080]);
    expect(parsePortForwardPorts(new URLSearchParams('port=5432'))).toEqual([5432]);
  });

  it('rejects a missing or invalid port', () => {
    expect(() => parsePortForwardPorts(new URLSearchParams(''))).toThrow(PortForwardError);
    expect(() => parsePortForwardPorts(new URLSearchParams('ports=0'))).toThrow(/between 1 and 65535/);
    expect(() => parsePortForwardPorts(new URLSearchParams('ports=70000'))).toThrow(/between 1 and 65535/);
    expect(() => parsePortForwardPorts(new URLSearchParams('ports=http'))).toThrow(/as a port/);
  });
});

describe('bridgePortForward', () => {
  let echo: net.Server;
  let echoPort: number;
  let wss: WebSocketServer;
  let wsPort: number;

  beforeAll(async () => {
    echo = net.createServer((s) => s.on('data', (d: Buffer) => s.end(`echo:${d.toString()}`)));
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
    echoPort = (echo.address() as AddressInfo).port;
    wss = new WebSocketServer({ port: 0, host: '127.0.0.1', handleProtocols: () => 'v4.channel.k8s.io' });
    await new Promise<void>((r) => wss.once('listening', r));
    wsPort = (wss.address() as AddressInfo).port;
    wss.on('connection', (ws, req) => {
      const ports = parsePortForwardPorts(new URL(req.url ?? '/', 'http://x').searchParams);
      bridgePortForward(ws, '127.0.0.1', ports);
    });
  });

  afterAll(async () => {
    await new Promise((r) => wss.close(r));
    await new Promise((r) => echo.close(r));
  });

  function session(ports: number[], send: (ws: WebSocket) => void): Promise<Buffer[]> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${wsPort}/?${ports.map((p) => `ports=${p}`).join('&')}`, ['v4.channel.k8s.io']);
      const frames: Buffer[] = [];
      ws.on('open', () => send(ws));
      ws.on('message', (d: Buffer) => frames.push(d));
      ws.on('close', () => resolve(frames));
      ws.on('error', reject);
    });
  }

  it('announces the port on both channels, then carries data to and from the port', async () => {
    const frames = await session([echoPort], (ws) => ws.send(Buffer.concat([Buffer.from([0]), Buffer.from('hello')])));
    const port = Buffer.alloc(2);
    port.writeUInt16LE(echoPort);
    expect(frames[0]).toEqual(Buffer.concat([Buffer.from([0]), port]));
    expect(frames[1]).toEqual(Buffer.concat([Buffer.from([1]), port]));
    const data = Buffer.concat(frames.slice(2).filter((f) => f[0] === 0).map((f) => f.subarray(1))).toString();
    expect(data).toBe('echo:hello');
  });

  it('reports a refused connection on the error channel', async () => {
    const closed = net.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const deadPort = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const frames = await session([deadPort], () => undefined);
    const errors = frames.slice(2).filter((f) => f[0] === 1).map((f) => f.subarray(1).toString());
    expect(errors.join('')).toMatch(/error forwarding port \d+ to pod 127\.0\.0\.1: .*ECONNREFUSED/);
  });
});

describe('SPDY framing helpers', () => {
  it('has the 1423-byte SPDY/3 dictionary and round-trips a header block', () => {
    expect(SPDY_DICTIONARY.length).toBe(1423);
    expect(SPDY_DICTIONARY.subarray(0, 11)).toEqual(Buffer.from('\0\0\0\x07options'));
    expect(SPDY_DICTIONARY.subarray(-6).toString()).toBe('enq=0.');
    const h = decodeHeaders(encodeHeaders({ streamtype: 'data', port: '8080', requestid: '0' }));
    expect([...h]).toEqual([
      ['streamtype', 'data'],
      ['port', '8080'],
      ['requestid', '0'],
    ]);
  });
});
