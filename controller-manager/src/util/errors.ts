// Error classifications controllers share.
import { ApiError } from '@wharf/api';

/** A create refused because its namespace is being deleted: nothing to retry. */
export function isNamespaceTerminating(err: unknown): boolean {
  if (!(err instanceof ApiError) || err.code !== 403) return false;
  return err.details.causes?.some((c) => c.reason === 'NamespaceTerminating') === true || /being terminated/.test(err.message);
}
