// Turns any failure into the line kubectl would print, so scripts that grep
// kubectl's messages work unchanged against wharf.
import { ApiError } from '@wharf/api';
import { ConnectionError, KubeconfigError } from '@wharf/client';
import { CliError } from './cli-error.js';
import { paint } from '../printers/color.js';

export function formatError(err: unknown, stream: NodeJS.WriteStream = process.stderr): string {
  if (err instanceof ApiError) return formatApiError(err, stream);
  if (err instanceof CliError) return `${paint('error:', 'red', stream)} ${err.message}`;
  if (err instanceof KubeconfigError) return `${paint('error:', 'red', stream)} ${err.message}`;
  if (err instanceof ConnectionError) {
    const cause = err.cause as { code?: string } | undefined;
    if (cause?.code === 'ECONNREFUSED') {
      const host = /connect ECONNREFUSED (\S+)/.exec(String((err.cause as Error).message))?.[1] ?? 'the server';
      return `The connection to the server ${host} was refused - did you specify the right host or port?`;
    }
    return `Unable to connect to the server: ${(err.cause as Error | undefined)?.message ?? err.message}`;
  }
  return `${paint('error:', 'red', stream)} ${err instanceof Error ? err.message : String(err)}`;
}

export function formatApiError(err: ApiError, stream: NodeJS.WriteStream = process.stderr): string {
  if (err.reason === 'Invalid' && err.details.kind) {
    // kubectl rewrites validation failures as `The Kind "name" is invalid: …`.
    const causes = err.details.causes ?? [];
    const body = causes.length
      ? causes.map((c) => `* ${c.field ? `${c.field}: ` : ''}${c.message ?? ''}`).join('\n')
      : err.message;
    const kind = err.details.kind;
    if (causes.length === 1) return `The ${kind} "${err.details.name ?? ''}" is invalid: ${causes[0]!.field ? `${causes[0]!.field}: ` : ''}${causes[0]!.message ?? ''}`;
    return `The ${kind} "${err.details.name ?? ''}" is invalid: \n${body}`;
  }
  return `${paint('Error from server', 'red', stream)} (${err.reason}): ${err.message}`;
}
