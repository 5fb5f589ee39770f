// Adapts async functions to grpc-js unary handlers and turns thrown errors
// into gRPC statuses: typed runtime and image errors carry their own code;
// anything else is INTERNAL with its message.
import * as grpc from '@grpc/grpc-js';
import { RuntimeError } from '../errors.js';
import { ImageError } from '../images/index.js';
import type { Logger } from '../util/logger.js';

export function toServiceError(err: unknown): Partial<grpc.StatusObject> {
  if (err instanceof RuntimeError) return { code: err.code, details: err.message };
  if (err instanceof ImageError) {
    const code = (grpc.status as unknown as Record<string, grpc.status>)[err.code] ?? grpc.status.INTERNAL;
    return { code, details: err.message };
  }
  return { code: grpc.status.INTERNAL, details: err instanceof Error ? err.message : String(err) };
}

export function unary<Req, Res>(method: string, log: Logger, fn: (req: Req) => Promise<Res>): grpc.handleUnaryCall<Req, Res> {
  return (call, callback) => {
    fn(call.request).then(
      (res) => callback(null, res),
      (err: unknown) => {
        const status = toServiceError(err);
        if (status.code === grpc.status.INTERNAL) log.error('request failed', { method, error: status.details });
        callback(status, null);
      },
    );
  };
}
