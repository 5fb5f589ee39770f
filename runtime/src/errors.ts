// One error class per failure the runtime reports; each carries the gRPC
// status code the server answers with, so handlers never map by hand.
import { status } from '@grpc/grpc-js';

export class RuntimeError extends Error {
  override name = 'RuntimeError';
  readonly code: status = status.INTERNAL;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export class NotFoundError extends RuntimeError {
  override name = 'NotFoundError';
  override readonly code = status.NOT_FOUND;
}

export class InvalidArgumentError extends RuntimeError {
  override name = 'InvalidArgumentError';
  override readonly code = status.INVALID_ARGUMENT;
}

export class FailedPreconditionError extends RuntimeError {
  override name = 'FailedPreconditionError';
  override readonly code = status.FAILED_PRECONDITION;
}

export class AlreadyExistsError extends RuntimeError {
  override name = 'AlreadyExistsError';
  override readonly code = status.ALREADY_EXISTS;
}

export class DeadlineExceededError extends RuntimeError {
  override name = 'DeadlineExceededError';
  override readonly code = status.DEADLINE_EXCEEDED;
}

export class ResourceExhaustedError extends RuntimeError {
  override name = 'ResourceExhaustedError';
  override readonly code = status.RESOURCE_EXHAUSTED;
}

/** A helper program (runc, conmon, ip, mount…) failed. */
export class CommandError extends RuntimeError {
  override name = 'CommandError';
  constructor(
    readonly command: string,
    readonly exitCode: number | null,
    readonly stderr: string,
    options?: { cause?: unknown },
  ) {
    super(`${command} failed (exit ${exitCode ?? 'signal'}): ${stderr.trim() || 'no output'}`, options);
  }
}
