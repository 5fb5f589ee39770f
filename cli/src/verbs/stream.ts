// Streaming GETs (watch, logs -f): the response body as it arrives, with error
// answers turned into ApiErrors before the first byte is handed out.
import type { Status } from '@wharf/api';
import { apiError } from './api.js';
import type { CliContext } from './context.js';

export interface OpenStream {
  chunks: AsyncIterable<Buffer>;
  stop(): void;
}

export async function openStream(ctx: CliContext, path: string, headers: Record<string, string> = {}): Promise<OpenStream> {
  const { req, res } = ctx.client.transport.open('GET', path, undefined, headers, 0);
  const msg = await res;
  if ((msg.statusCode ?? 0) >= 400) {
    const parts: Buffer[] = [];
    for await (const c of msg) parts.push(c as Buffer);
    const text = Buffer.concat(parts).toString('utf8');
    let status: Partial<Status> = { message: text.trim() || `the server could not find the requested resource` };
    try {
      const parsed = JSON.parse(text) as Status;
      if (parsed.kind === 'Status') status = parsed;
    } catch {
      // plain text error
    }
    throw apiError(status, msg.statusCode);
  }
  let stopped = false;
  async function* chunks(): AsyncGenerator<Buffer> {
    try {
      for await (const c of msg) yield c as Buffer;
    } catch (err) {
      if (!stopped) throw err;
    }
  }
  return {
    chunks: chunks(),
    stop() {
      stopped = true;
      req.destroy();
    },
  };
}

/** Newline-delimited JSON values from a stream (watch events). */
export async function* jsonLines<T>(chunks: AsyncIterable<Buffer>): AsyncGenerator<T> {
  let buf = '';
  for await (const c of chunks) {
    buf += c.toString('utf8');
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl).trim();
      buf = buf.slice(nl + 1);
      if (line) yield JSON.parse(line) as T;
    }
  }
  if (buf.trim()) yield JSON.parse(buf) as T;
}

export function query(params: Record<string, string | number | boolean | undefined>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '' && v !== false) parts.push(`${k}=${encodeURIComponent(String(v))}`);
  return parts.length ? `?${parts.join('&')}` : '';
}
