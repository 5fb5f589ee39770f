// One error class per failure. The apiserver turns each into a Kubernetes
// Status; clients turn a Status back into the same class, so code on both sides
// can `instanceof` the failure it cares about.
import type { Status, StatusCause, StatusDetails } from './meta.js';

export type StatusReason =
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Invalid'
  | 'BadRequest'
  | 'Gone'
  | 'Expired'
  | 'Forbidden'
  | 'Unauthorized'
  | 'MethodNotAllowed'
  | 'NotAcceptable'
  | 'UnsupportedMediaType'
  | 'RequestEntityTooLarge'
  | 'TooManyRequests'
  | 'Timeout'
  | 'ServiceUnavailable'
  | 'InternalError';

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly code: number,
    readonly reason: StatusReason,
    message: string,
    readonly details: StatusDetails = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  toStatus(): Status {
    const status: Status = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      code: this.code,
    };
    if (Object.keys(this.details).length > 0) status.details = this.details;
    return status;
  }

  /** Rebuilds the matching error class from a Status received over the wire. */
  static fromStatus(status: Partial<Status>, httpCode?: number): ApiError {
    const code = status.code ?? httpCode ?? 500;
    const reason = (status.reason ?? 'InternalError') as StatusReason;
    const message = status.message ?? `request failed with ${code}`;
    const details = status.details ?? {};
    const ctor = errorClasses[reason];
    if (ctor) {
      const err = Object.create(ctor.prototype) as ApiError;
      const plain = new ApiError(code, reason, message, details);
      Object.assign(err, plain);
      // Error's own message and stack are not enumerable: Object.assign skips them.
      Object.defineProperty(err, 'message', { value: message, writable: true, configurable: true });
      Object.defineProperty(err, 'stack', { value: plain.stack, writable: true, configurable: true });
      err.name = ctor.name;
      return err;
    }
    return new ApiError(code, reason, message, details);
  }
}

/** A resource described by `resource` (plural, with group: "deployments.apps") and name. */
function qualified(resource: string, group: string): string {
  return group ? `${resource}.${group}` : resource;
}

export class NotFoundError extends ApiError {
  override name = 'NotFoundError';
  constructor(resource: string, name: string, group = '', options?: { cause?: unknown }) {
    super(404, 'NotFound', `${qualified(resource, group)} "${name}" not found`, { name, group, kind: resource }, options);
  }
}

export class AlreadyExistsError extends ApiError {
  override name = 'AlreadyExistsError';
  constructor(resource: string, name: string, group = '') {
    super(409, 'AlreadyExists', `${qualified(resource, group)} "${name}" already exists`, { name, group, kind: resource });
  }
}

export class ConflictError extends ApiError {
  override name = 'ConflictError';
  constructor(resource: string, name: string, group = '', why = 'the object has been modified; please apply your changes to the latest version and try again') {
    super(409, 'Conflict', `Operation cannot be fulfilled on ${qualified(resource, group)} "${name}": ${why}`, { name, group, kind: resource });
  }
}

/** One invalid field: the path is what users need to find their mistake. */
export interface FieldError {
  type: 'FieldValueRequired' | 'FieldValueInvalid' | 'FieldValueNotSupported' | 'FieldValueDuplicate' | 'FieldValueForbidden' | 'FieldValueTooLong' | 'FieldValueTypeInvalid';
  field: string;
  message: string;
}

export function required(field: string, message = 'Required value'): FieldError {
  return { type: 'FieldValueRequired', field, message };
}
export function invalid(field: string, value: unknown, detail: string): FieldError {
  return { type: 'FieldValueInvalid', field, message: `Invalid value: ${JSON.stringify(value)}: ${detail}` };
}
export function notSupported(field: string, value: unknown, allowed: readonly string[]): FieldError {
  return { type: 'FieldValueNotSupported', field, message: `Unsupported value: ${JSON.stringify(value)}: supported values: ${allowed.map((a) => `"${a}"`).join(', ')}` };
}
export function duplicate(field: string, value: unknown): FieldError {
  return { type: 'FieldValueDuplicate', field, message: `Duplicate value: ${JSON.stringify(value)}` };
}
export function forbidden(field: string, detail: string): FieldError {
  return { type: 'FieldValueForbidden', field, message: `Forbidden: ${detail}` };
}
export function tooLong(field: string, max: number): FieldError {
  return { type: 'FieldValueTooLong', field, message: `Too long: must have at most ${max} bytes` };
}

export class InvalidError extends ApiError {
  override name = 'InvalidError';
  constructor(kind: string, name: string, readonly fieldErrors: FieldError[], group = '') {
    const causes: StatusCause[] = fieldErrors.map((e) => ({ reason: e.type, message: e.message, field: e.field }));
    const summary = fieldErrors.map((e) => `${e.field}: ${e.message}`).join(', ');
    const shown = fieldErrors.length > 1 ? `[${summary}]` : summary;
    super(422, 'Invalid', `${kind}${group ? `.${group}` : ''} "${name}" is invalid: ${shown}`, { name, group, kind, causes });
  }
}

export class BadRequestError extends ApiError {
  override name = 'BadRequestError';
  constructor(message: string, causes?: StatusCause[]) {
    super(400, 'BadRequest', message, causes ? { causes } : {});
  }
}

/** The requested resourceVersion is older than what the store still holds. */
export class GoneError extends ApiError {
  override name = 'GoneError';
  constructor(message = 'too old resource version') {
    super(410, 'Expired', message);
  }
}

export class UnauthorizedError extends ApiError {
  override name = 'UnauthorizedError';
  constructor(message = 'Unauthorized') {
    super(401, 'Unauthorized', message);
  }
}

export class ForbiddenError extends ApiError {
  override name = 'ForbiddenError';
  constructor(message: string) {
    super(403, 'Forbidden', message);
  }
}

export class MethodNotAllowedError extends ApiError {
  override name = 'MethodNotAllowedError';
  constructor(message: string) {
    super(405, 'MethodNotAllowed', message);
  }
}

export class UnsupportedMediaTypeError extends ApiError {
  override name = 'UnsupportedMediaTypeError';
  constructor(message: string) {
    super(415, 'UnsupportedMediaType', message);
  }
}

export class TooLargeError extends ApiError {
  override name = 'TooLargeError';
  constructor(message = 'Request entity too large: limit is 3145728') {
    super(413, 'RequestEntityTooLarge', message);
  }
}

export class InternalError extends ApiError {
  override name = 'InternalError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(500, 'InternalError', `Internal error occurred: ${message}`, {}, options);
  }
}

const errorClasses: Partial<Record<StatusReason, { prototype: ApiError; name: string }>> = {
  NotFound: NotFoundError,
  AlreadyExists: AlreadyExistsError,
  Conflict: ConflictError,
  Invalid: InvalidError,
  BadRequest: BadRequestError,
  Expired: GoneError,
  Gone: GoneError,
  Unauthorized: UnauthorizedError,
  Forbidden: ForbiddenError,
  MethodNotAllowed: MethodNotAllowedError,
  UnsupportedMediaType: UnsupportedMediaTypeError,
  RequestEntityTooLarge: TooLargeError,
  InternalError: InternalError,
};

export function isNotFound(err: unknown): boolean {
  return err instanceof ApiError && err.code === 404;
}
export function isConflict(err: unknown): boolean {
  return err instanceof ApiError && err.reason === 'Conflict';
}
export function isAlreadyExists(err: unknown): boolean {
  return err instanceof ApiError && err.reason === 'AlreadyExists';
}
export function isGone(err: unknown): boolean {
  return err instanceof ApiError && err.code === 410;
}
