// Turning a Status received over the wire back into a typed ApiError.
import type { ApiError } from '@wharf/api';

/** fromStatus builds the error with Object.assign, which skips the non-enumerable `message`: restore it. */
export function withMessage(err: ApiError, message: string | undefined): ApiError {
  if (!err.message && message) Object.defineProperty(err, 'message', { value: message, writable: true, configurable: true });
  return err;
}
