// WebSocket connections to the apiserver's streaming subresources (exec,
// portforward), authenticated the way the REST client is.
import WebSocket from 'ws';
import type { RestConfig } from '@wharf/client';
import { apiError } from './api.js';

export function connectWebSocket(config: RestConfig, path: string, protocols: string[]): Promise<WebSocket> {
  const url = config.server.replace(/^http/, 'ws') + path;
  const headers: Record<string, string> = { 'User-Agent': config.userAgent };
  if (config.token) headers['Authorization'] = `Bearer ${config.token}`;
  const ws = new WebSocket(url, protocols, {
    headers,
    ...(config.ca ? { ca: config.ca } : {}),
    ...(config.cert ? { cert: config.cert } : {}),
    ...(config.key ? { key: config.key } : {}),
    rejectUnauthorized: !config.insecureSkipTLSVerify,
    perMessageDeflate: false,
  });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let status: Record<string, unknown> = { message: text.trim() || `upgrade failed with ${res.statusCode}` };
        try {
          const parsed = JSON.parse(text) as Record<string, unknown>;
          if (parsed['kind'] === 'Status') status = parsed;
        } catch {
          // plain-text answer
        }
        reject(apiError(status, res.statusCode));
      });
    });
    ws.once('error', reject);
  });
}
