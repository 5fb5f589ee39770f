// Writing answers: JSON bodies, Status objects for errors, gzip when the client
// asks for it and the body is large enough to be worth it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { ApiError, InternalError, type KubeObject, type Status } from '@wharf/api';
import { writtenJsonOf } from '../cache/cached-object.js';

const GZIP_THRESHOLD = 128 * 1024;

export function writeBody(req: IncomingMessage, res: ServerResponse, code: number, body: string, contentType = 'application/json'): void {
  res.statusCode = code;
  res.setHeader('Content-Type', contentType);
  res.setHeader('Cache-Control', 'no-cache, private');
  if (body.length >= GZIP_THRESHOLD && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
    const zipped = gzipSync(body, { level: 1 });
    res.setHeader('Content-Encoding', 'gzip');
    res.setHeader('Content-Length', zipped.length);
    res.end(req.method === 'HEAD' ? undefined : zipped);
    return;
  }
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(req.method === 'HEAD' ? undefined : body);
}

export function writeJson(req: IncomingMessage, res: ServerResponse, code: number, value: unknown): void {
  writeBody(req, res, code, JSON.stringify(value));
}

/** The answer to a write: the object's stored text when the registry kept it, else its JSON. */
export function writeObject(req: IncomingMessage, res: ServerResponse, code: number, obj: KubeObject): void {
  writeBody(req, res, code, writtenJsonOf(obj) ?? JSON.stringify(obj));
}

export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  return new InternalError(err instanceof Error ? err.message : String(err), { cause: err });
}

export function writeError(req: IncomingMessage, res: ServerResponse, err: unknown): number {
  const apiErr = toApiError(err);
  const status: Status = apiErr.toStatus();
  if (res.headersSent) {
    res.destroy();
    return apiErr.code;
  }
  writeJson(req, res, apiErr.code, status);
  return apiErr.code;
}

export function successStatus(details?: Status['details']): Status {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 200, ...(details ? { details } : {}) };
}
