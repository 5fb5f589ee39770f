// `wharf version`: client and server versions, as kubectl prints them.
import type { FlagSpec } from '../flags.js';
import { toJson, toYaml } from '../printers/object-printer.js';
import { formatError } from '../verbs/format-error.js';
import type { CliContext } from '../verbs/context.js';
import { bool, runVerb, str } from '../verbs/run-verb.js';

export const CLIENT_VERSION = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.0-wharf.0.1.0',
  gitCommit: 'wharf',
  gitTreeState: 'clean',
  buildDate: '2026-11-26T00:00:00Z',
  goVersion: `node${process.versions.node}`,
  compiler: 'tsc',
  platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
};

const FLAGS: FlagSpec[] = [
  { name: 'client', type: 'boolean' },
  { name: 'output', short: 'o', type: 'string' },
];

export function run(args: string[]): Promise<number> {
  return runVerb(args, { usage: 'version [flags]', flags: FLAGS, run: version });
}

async function version(ctx: CliContext, { values }: { values: Record<string, unknown> }): Promise<number> {
  const v = values as Parameters<typeof str>[0];
  let server: Record<string, string> | undefined;
  let error: unknown;
  if (!bool(v, 'client')) {
    try {
      server = await ctx.request<Record<string, string>>('GET', '/version');
    } catch (err) {
      error = err;
    }
  }
  const out = str(v, 'output');
  if (out === 'json' || out === 'yaml') {
    const doc = { clientVersion: CLIENT_VERSION, ...(server ? { serverVersion: server } : {}) };
    process.stdout.write(out === 'json' ? toJson(doc).replace(/ {4}/g, '  ') : toYaml(doc));
  } else {
    process.stdout.write(`Client Version: ${CLIENT_VERSION.gitVersion}\n`);
    if (server) process.stdout.write(`Server Version: ${server['gitVersion']}\n`);
  }
  if (error) {
    process.stderr.write(`${formatError(error)}\n`);
    return 1;
  }
  return 0;
}
