// Opens a watch against the apiserver and collects its NDJSON events.
import { request as httpsRequest } from 'node:https';
import type { ApiServerProcess } from './apiserver.js';

export interface WatchEventRecord {
  type: string;
  object: any;
}

export interface OpenWatch {
  status: Promise<number>;
  events: WatchEventRecord[];
  /** Resolves when at least n events arrived (or rejects after timeoutMs). */
  waitFor(n: number, timeoutMs?: number): Promise<WatchEventRecord[]>;
  ended: Promise<void>;
  close(): void;
}

export function openWatch(api: Pick<ApiServerProcess, 'port' | 'token' | 'ca'>, path: string, headers: Record<string, string> = {}): OpenWatch {
  const events: WatchEventRecord[] = [];
  let waiters: Array<{ n: number; resolve: (e: WatchEventRecord[]) => void }> = [];
  let resolveStatus!: (s: number) => void;
  let resolveEnded!: () => void;
  const status = new Promise<number>((r) => (resolveStatus = r));
  const ended = new Promise<void>((r) => (resolveEnded = r));
  const req = httpsRequest({ host: '127.0.0.1', port: api.port, path, method: 'GET', ca: api.ca, headers: { authorization: `Bearer ${api.token}`, accept: 'application/json', ...headers } }, (res) => {
    resolveStatus(res.statusCode ?? 0);
    let buf = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buf += chunk;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl).trim();
        buf = buf.slice(nl + 1);
        if (!line) continue;
        events.push(JSON.parse(line) as WatchEventRecord);
      }
      const ready = waiters.filter((w) => events.length >= w.n);
      waiters = waiters.filter((w) => events.length < w.n);
      for (const w of ready) w.resolve(events);
    });
    res.on('end', () => resolveEnded());
    res.on('close', () => resolveEnded());
  });
  req.on('error', () => { resolveStatus(0); resolveEnded(); });
  req.end();
  return {
    status,
    events,
    ended,
    waitFor(n, timeoutMs = 10_000) {
      if (events.length >= n) return Promise.resolve(events);
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`only ${events.length} of ${n} events after ${timeoutMs} ms: ${JSON.stringify(events.map((e) => e.type))}`)), timeoutMs);
        waiters.push({ n, resolve: (e) => { clearTimeout(t); resolve(e); } });
      });
    },
    close() {
      req.destroy();
    },
  };
}
