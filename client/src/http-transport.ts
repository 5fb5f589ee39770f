// One keep-alive agent per RestConfig: connection reuse is what makes
// thousands of small requests (bindings, pod creates) cheap.
import http from 'node:http';
import https from 'node:https';
import type { RestConfig } from './kubeconfig.js';

export class ConnectionError extends Error {
  override name = 'ConnectionError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export class HttpTransport {
  readonly url: URL;
  private readonly agent: http.Agent;
  private readonly isHttps: boolean;

  constructor(readonly config: RestConfig) {
    this.url = new URL(config.server);
    this.isHttps = this.url.protocol === 'https:';
    const base = { keepAlive: true, maxSockets: config.maxSockets, keepAliveMsecs: 10_000 };
    this.agent = this.isHttps
      ? new https.Agent({
          ...base,
          ...(config.ca ? { ca: config.ca } : {}),
          ...(config.cert ? { cert: config.cert } : {}),
          ...(config.key ? { key: config.key } : {}),
          rejectUnauthorized: !config.insecureSkipTLSVerify,
        })
      : new http.Agent(base);
  }

  private headers(extra: Record<string, string>): Record<string, string> {
    const h: Record<string, string> = { Accept: 'application/json', 'User-Agent': this.config.userAgent, ...extra };
    if (this.config.token) h['Authorization'] = `Bearer ${this.config.token}`;
    return h;
  }

  /** Starts a request and resolves with the response stream (used directly by watch). */
  open(method: string, path: string, body: Buffer | undefined, headers: Record<string, string>, timeoutMs: number): { req: http.ClientRequest; res: Promise<http.IncomingMessage> } {
    const mod = this.isHttps ? https : http;
    const req = mod.request({
      protocol: this.url.protocol,
      hostname: this.url.hostname,
      port: this.url.port,
      method,
      path: this.url.pathname.replace(/\/$/, '') + path,
      agent: this.agent,
      headers: this.headers(body ? { ...headers, 'Content-Length': String(body.length) } : headers),
    });
    const res = new Promise<http.IncomingMessage>((resolve, reject) => {
      req.once('response', resolve);
      req.once('error', (err) => reject(new ConnectionError(`${method} ${path}: ${err.message}`, { cause: err })));
      if (timeoutMs > 0) {
        req.setTimeout(timeoutMs, () => req.destroy(new Error(`timed out after ${timeoutMs} ms`)));
      }
    });
    req.end(body);
    return { req, res };
  }

  async request(method: string, path: string, body?: Buffer, headers: Record<string, string> = {}): Promise<HttpResponse> {
    const { req, res } = this.open(method, path, body, headers, this.config.timeoutMs);
    const msg = await res;
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of msg) chunks.push(chunk as Buffer);
    } catch (err) {
      req.destroy();
      throw new ConnectionError(`${method} ${path}: response aborted`, { cause: err });
    }
    return { status: msg.statusCode ?? 0, headers: msg.headers, body: Buffer.concat(chunks) };
  }

  close(): void {
    this.agent.destroy();
  }
}
