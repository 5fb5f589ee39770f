// The apiserver side of pods/log, pods/exec and pods/portforward: find the pod's node, then
// forward the request to that node's agent with the proxy token — a plain
// streamed HTTP request for logs, a raw byte pipe after the WebSocket upgrade
// for exec (the agent speaks the channel protocol end to end, so the
// apiserver never parses frames).
//
// Wiring (apiserver): registerNodeProxy(connectHandlers, { resolveNode }).
// pods/exec arrives as an HTTP Upgrade: the server's 'upgrade' event must call
// the same route() with `req` (its socket is the client connection) and, if
// it has one, `head` — the handler then owns the socket. The agent trusts
// only requests carrying `Authorization: Bearer <token>` (its
// --proxy-token-file); NodeEndpoint.token is that token.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { ApiError, findResource, type KubeObject, type Node, type Pod, type ResourceInfo } from '@wharf/api';

export interface NodeEndpoint {
  /** Host (or IP) and port of the agent's server, or a unix socket path. */
  host?: string;
  port?: number;
  socketPath?: string;
  token?: string;
}

/** The slice of the apiserver's RouteContext the proxy needs. */
export interface NodeProxyContext {
  req: IncomingMessage;
  res?: ServerResponse;
  head?: Buffer;
  registry: { get(info: ResourceInfo, namespace: string | undefined, name: string): Promise<KubeObject> };
}

export interface NodeProxyOptions {
  /** Where a node's agent listens; given the Node object too (the default reads InternalIP and kubeletEndpoint). */
  resolveNode?: (nodeName: string, node: Node | undefined) => Promise<NodeEndpoint> | NodeEndpoint;
  /** Token sent to every agent when resolveNode gives none. */
  token?: string;
}

const POD_SUB = /\/namespaces\/([^/]+)\/pods\/([^/]+)\/(log|exec|portforward)\/?$/;

export function nodeEndpointFromNode(node: Node): NodeEndpoint {
  const addr = node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address ?? node.status?.addresses?.[0]?.address;
  const port = node.status?.daemonEndpoints?.kubeletEndpoint?.Port;
  if (!addr || !port) throw new ProxyError(503, `node ${node.metadata.name} has no reachable agent endpoint`);
  return { host: addr, port };
}

/** An ApiError, so the apiserver answers with the matching Status. */
export class ProxyError extends ApiError {
  override name = 'ProxyError';
  constructor(code: number, message: string, options?: { cause?: unknown }) {
    super(code, code === 404 ? 'NotFound' : code === 400 ? 'BadRequest' : code === 503 ? 'ServiceUnavailable' : 'InternalError', message, {}, options);
  }
}

function statusBody(code: number, message: string): string {
  const reason = code === 404 ? 'NotFound' : code === 400 ? 'BadRequest' : code === 503 ? 'ServiceUnavailable' : 'InternalError';
  return JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });
}

export function registerNodeProxy(handlers: Map<string, (rc: never) => Promise<void>>, options: NodeProxyOptions = {}): void {
  const pods = findResource('', 'v1', 'pods')!;
  const nodes = findResource('', 'v1', 'nodes')!;
  const target = async (rc: NodeProxyContext): Promise<{ ep: NodeEndpoint; path: string }> => {
    const url = new URL(rc.req.url ?? '/', 'http://apiserver');
    const m = POD_SUB.exec(url.pathname);
    if (!m) throw new ProxyError(404, `${url.pathname} not found`);
    const [ns, name, sub] = [decodeURIComponent(m[1]!), decodeURIComponent(m[2]!), m[3]!];
    const pod = (await rc.registry.get(pods, ns, name)) as Pod;
    const nodeName = pod.spec?.nodeName;
    if (!nodeName) throw new ProxyError(400, `pod ${name} does not have a host assigned`);
    const node = (await rc.registry.get(nodes, undefined, nodeName).catch(() => undefined)) as Node | undefined;
    const ep = options.resolveNode ? await options.resolveNode(nodeName, node) : node ? nodeEndpointFromNode(node) : undefined;
    if (!ep) throw new ProxyError(503, `node ${nodeName} not found`);
    return { ep: { ...ep, token: ep.token ?? options.token ?? '' }, path: `/pods/${encodeURIComponent(ns)}/${encodeURIComponent(name)}/${sub}${url.search}` };
  };

  const log = async (rc: NodeProxyContext): Promise<void> => {
    const { ep, path } = await target(rc);
    const res = rc.res!;
    await new Promise<void>((resolve, reject) => {
      const out = http.request(
        { host: ep.host, port: ep.port, socketPath: ep.socketPath, path, method: 'GET', headers: ep.token ? { authorization: `Bearer ${ep.token}` } : {} },
        (up) => {
          res.writeHead(up.statusCode ?? 502, { 'content-type': up.headers['content-type'] ?? 'text/plain', 'cache-control': 'no-cache' });
          up.pipe(res);
          up.on('end', resolve);
          up.on('error', reject);
        },
      );
      out.on('error', (err) => reject(new ProxyError(503, `error dialing node agent: ${err.message}`, { cause: err })));
      // A client that goes away ends the agent-side follow too.
      res.on('close', () => out.destroy());
      out.end();
    });
  };

  const exec = async (rc: NodeProxyContext): Promise<void> => {
    const client: Duplex = rc.req.socket;
    let resolved: { ep: NodeEndpoint; path: string };
    try {
      resolved = await target(rc);
    } catch (err) {
      const code = err instanceof ProxyError ? err.code : ((err as { code?: number }).code ?? 500);
      const body = statusBody(typeof code === 'number' ? code : 500, err instanceof Error ? err.message : String(err));
      client.end(`HTTP/1.1 ${code} ${http.STATUS_CODES[code as number] ?? 'Error'}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
      return;
    }
    const { ep, path } = resolved;
    const upstream = ep.socketPath ? net.connect(ep.socketPath) : net.connect(ep.port!, ep.host!);
    const forward = ['upgrade', 'connection', 'sec-websocket-key', 'sec-websocket-version', 'sec-websocket-protocol', 'sec-websocket-extensions'];
    const lines = [`GET ${path} HTTP/1.1`, `host: ${ep.host ?? 'localhost'}`];
    for (const h of forward) {
      const v = rc.req.headers[h];
      if (v !== undefined) lines.push(`${h}: ${Array.isArray(v) ? v.join(', ') : v}`);
    }
    if (ep.token) lines.push(`authorization: Bearer ${ep.token}`);
    await new Promise<void>((resolve) => {
      upstream.once('connect', () => {
        upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
        if (rc.head?.length) upstream.write(rc.head);
        upstream.pipe(client);
        client.pipe(upstream);
      });
      const done = () => {
        upstream.destroy();
        client.destroy();
        resolve();
      };
      upstream.once('error', (err) => {
        const body = statusBody(503, `error dialing node agent: ${err.message}`);
        client.end(`HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
        resolve();
      });
      upstream.once('close', done);
      client.once('close', done);
      client.once('error', done);
    });
  };

  handlers.set('pods/log', log as (rc: never) => Promise<void>);
  handlers.set('pods/exec', exec as (rc: never) => Promise<void>);
  // Port-forward is the same raw pipe after the upgrade; the agent dials the pod.
  handlers.set('pods/portforward', exec as (rc: never) => Promise<void>);
}
