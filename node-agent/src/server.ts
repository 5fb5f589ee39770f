// The agent's own HTTP server, reached by the apiserver's pods/log and
// pods/exec proxy and by metrics consumers:
//   GET  /healthz, /livez, /readyz      no credentials
//   GET  /metrics                       Prometheus text
//   GET  /stats/summary                 node/pod/container CPU and memory
//   GET  /pods/<ns>/<name>/log?…        container logs (kubectl logs parameters)
//   GET  /pods/<ns>/<name>/exec?…       WebSocket upgrade, v5/v4.channel.k8s.io
//   GET  /pods/<ns>/<name>/portforward?ports=…  WebSocket upgrade, v4.channel.k8s.io
// Every other path requires `Authorization: Bearer <proxy token>` when a
// token is configured: the apiserver holds it, so only the apiserver gets in.
import { timingSafeEqual } from 'node:crypto';
import { promises as fs } from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Logger, Pod } from '@wharf/api';
import type { RuntimeClient } from '@wharf/proto';
import { WebSocketServer } from 'ws';
import { bridgeExec, bufferMessages, EXEC_PROTOCOLS, errorStatus, parseExecParams } from './exec.js';
import { defaultContainer, LogRequestError, parseLogParams, serveLogs } from './logs.js';
import { bridgeSpdyPortForward, SPDY_PORTFORWARD_PROTOCOL } from './portforward-spdy.js';
import { bridgePortForward, parsePortForwardPorts, podAddress, PORTFORWARD_PROTOCOLS, PortForwardError } from './portforward.js';
import type { CompiledOptions } from './options.js';
import { latestContainers, type RuntimeState } from './runtime-state.js';
import type { StatsProvider } from './stats.js';

export interface AgentServerDeps {
  options: CompiledOptions;
  runtime: RuntimeClient;
  state: RuntimeState;
  stats: StatsProvider;
  log: Logger;
  pod(namespace: string, name: string): Pod | undefined;
  /** Prometheus text for /metrics. */
  metrics(): string;
  /** True once the pod cache has synced and the node is registered. */
  ready(): boolean;
  /** False when the PLEG has not relisted for too long. */
  healthy(): boolean;
}

export interface AgentServer {
  port: number;
  close(): Promise<void>;
}

const SPDY_TOKEN = 'wharf-spdy-portforward';

const POD_PATH = /^\/pods\/([^/]+)\/([^/]+)\/(log|exec|portforward)$/;

function status(res: ServerResponse, code: number, message: string, reason = 'InternalError'): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(code, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code }));
}

export async function startAgentServer(d: AgentServerDeps): Promise<AgentServer> {
  const token = d.options.proxyToken;
  const authorized = (req: IncomingMessage): boolean => {
    if (!token) return true;
    const got = Buffer.from(req.headers.authorization ?? '');
    const want = Buffer.from(`Bearer ${token}`);
    return got.length === want.length && timingSafeEqual(got, want);
  };
  const requests = new Set<AbortController>();

  const onRequest = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://agent');
    if (url.pathname === '/healthz' || url.pathname === '/livez') {
      const ok = d.healthy();
      res.writeHead(ok ? 200 : 500, { 'content-type': 'text/plain' }).end(ok ? 'ok' : 'pleg: runtime not relisted for 3 minutes');
      return;
    }
    if (url.pathname === '/readyz') {
      const ok = d.ready();
      res.writeHead(ok ? 200 : 503, { 'content-type': 'text/plain' }).end(ok ? 'ok' : 'not ready');
      return;
    }
    if (!authorized(req)) return status(res, 401, 'Unauthorized', 'Unauthorized');
    if (url.pathname === '/metrics') {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(d.metrics());
      return;
    }
    if (url.pathname === '/stats/summary') {
      const summary = await d.stats.summary();
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(summary));
      return;
    }
    const m = POD_PATH.exec(url.pathname);
    if (!m || m[3] !== 'log') return status(res, 404, `${url.pathname} not found`, 'NotFound');
    const pod = d.pod(decodeURIComponent(m[1]!), decodeURIComponent(m[2]!));
    if (!pod) return status(res, 404, `pods "${decodeURIComponent(m[2]!)}" not found`, 'NotFound');
    const abort = new AbortController();
    requests.add(abort);
    res.on('close', () => abort.abort());
    try {
      await serveLogs(res, pod, parseLogParams(url.searchParams), d.options.rootDir, d.state, abort.signal);
    } finally {
      requests.delete(abort);
    }
  };

  const wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (protocols) => EXEC_PROTOCOLS.find((p) => protocols.has(p)) ?? false,
  });
  const pfWss = new WebSocketServer({
    noServer: true,
    handleProtocols: (protocols) => [...PORTFORWARD_PROTOCOLS, SPDY_TOKEN].find((p) => protocols.has(p)) ?? false,
  });
  // ws refuses subprotocols that are not HTTP tokens, and kubectl's contains '/': it is
  // swapped for a token on the way in and restored in the 101 response.
  pfWss.on('headers', (headers: string[]) => {
    const i = headers.findIndex((h) => h.toLowerCase() === `sec-websocket-protocol: ${SPDY_TOKEN}`);
    if (i >= 0) headers[i] = `Sec-WebSocket-Protocol: ${SPDY_PORTFORWARD_PROTOCOL}`;
  });
  const onUpgrade = (req: IncomingMessage, socket: Socket, head: Buffer): void => {
    const url = new URL(req.url ?? '/', 'http://agent');
    const m = POD_PATH.exec(url.pathname);
    const reject = (code: number, text: string) => {
      socket.end(`HTTP/1.1 ${code} ${http.STATUS_CODES[code]}\r\ncontent-type: text/plain\r\ncontent-length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
    };
    if (!authorized(req)) return reject(401, 'Unauthorized');
    if (!m || m[3] === 'log') return reject(404, 'not found');
    const pod = d.pod(decodeURIComponent(m[1]!), decodeURIComponent(m[2]!));
    if (!pod) return reject(404, `pods "${decodeURIComponent(m[2]!)}" not found`);
    if (m[3] === 'portforward') {
      // Resolve the pod's address before the upgrade so failures answer with a plain HTTP status.
      void (async () => {
        // kubectl tunnels SPDY, whose streams name their ports; the channel protocol lists them in the query.
        const offered = String(req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
        const spdy = offered.includes(SPDY_PORTFORWARD_PROTOCOL);
        if (spdy) req.headers['sec-websocket-protocol'] = SPDY_TOKEN;
        const ports = spdy && !url.searchParams.has('ports') && !url.searchParams.has('port') ? [] : parsePortForwardPorts(url.searchParams);
        const host = await podAddress(d.runtime, await d.state.pod(pod.metadata.uid!), pod.status?.podIP);
        pfWss.handleUpgrade(req, socket, head, (ws) => (ws.protocol === SPDY_TOKEN ? bridgeSpdyPortForward(ws, host) : bridgePortForward(ws, host, ports)));
      })().catch((err: unknown) => reject(err instanceof PortForwardError ? err.code : 500, err instanceof Error ? err.message : String(err)));
      return;
    }
    const params = parseExecParams(url.searchParams);
    wss.handleUpgrade(req, socket, head, (ws) => {
      const messages = bufferMessages(ws);
      void (async () => {
        try {
          if (params.command.length === 0) throw new Error('you must specify at least 1 command');
          const name = defaultContainer(pod, params.container);
          const rp = await d.state.pod(pod.metadata.uid!);
          const { current } = latestContainers(rp, name);
          if (!current || current.state !== 'CONTAINER_RUNNING') throw new Error(`container ${name} is not running`);
          bridgeExec(ws, messages, d.runtime, current.id, params);
        } catch (err) {
          ws.send(Buffer.concat([Buffer.from([3]), Buffer.from(errorStatus(err instanceof Error ? err.message : String(err)))]));
          ws.close(1000);
        }
      })();
    });
  };

  const server = http.createServer((req, res) => {
    onRequest(req, res).catch((err: unknown) => {
      if (err instanceof LogRequestError) return status(res, err.code, err.message, 'BadRequest');
      d.log.warn('request failed', { url: req.url, err });
      status(res, 500, err instanceof Error ? err.message : String(err));
    });
  });
  server.on('upgrade', onUpgrade);
  const listen = d.options.listen!;
  if (listen.kind === 'unix') await fs.rm(listen.path, { force: true });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    if (listen.kind === 'unix') server.listen(listen.path, resolve);
    else server.listen(listen.port, listen.host, resolve);
  });
  const addr = server.address();
  const port = addr && typeof addr === 'object' ? (addr as AddressInfo).port : 0;
  if (!token && listen.kind === 'tcp' && !/^(127\.|::1$|localhost$)/.test(listen.host)) {
    d.log.warn('agent server accepts callers without credentials on a non-loopback address; set --proxy-token-file', { host: listen.host });
  }
  d.log.info('agent server listening', { listen: listen.kind === 'unix' ? listen.path : `${listen.host}:${port}` });
  return {
    port,
    async close() {
      for (const r of requests) r.abort();
      for (const c of wss.clients) c.terminate();
      for (const c of pfWss.clients) c.terminate();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
