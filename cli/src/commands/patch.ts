// `wharf patch`: strategic (default), merge or json patches given with -p
// (JSON or YAML) or --patch-file.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { FlagSpec } from '../flags.js';
import { parseOutputFormat, printObjects } from '../printers/object-printer.js';
import type { PatchKind } from '../verbs/api.js';
import { CliError, ReportedError } from '../verbs/cli-error.js';
import type { CliContext } from '../verbs/context.js';
import { formatError } from '../verbs/format-error.js';
import { qualifiedName } from '../verbs/resource-args.js';
import { runVerb, str } from '../verbs/run-verb.js';
import { resolveTargets } from '../verbs/targets.js';

const FLAGS: FlagSpec[] = [
  { name: 'patch', short: 'p', type: 'string' },
  { name: 'patch-file', type: 'string' },
  { name: 'type', type: 'string', default: 'strategic' },
  { name: 'subresource', type: 'string' },
  { name: 'output', short: 'o', type: 'string' },
  { name: 'dry-run', type: 'string' },
];

export function run(args: string[]): Promise<number> {
  return runVerb(args, { usage: "patch (-f FILENAME | TYPE NAME) [-p PATCH|--patch-file FILE] [--type strategic|merge|json]", flags: FLAGS, run: patch });
}

async function patch(ctx: CliContext, { values, positional }: { values: Record<string, unknown>; positional: string[] }): Promise<number> {
  const v = values as Parameters<typeof str>[0];
  const type = str(v, 'type') as PatchKind;
  if (!['strategic', 'merge', 'json'].includes(type)) throw new CliError(`--type must be one of [json merge strategic], not "${type}"`);
  const text = str(v, 'patch') ?? (str(v, 'patch-file') ? readFileSync(str(v, 'patch-file')!, 'utf8') : undefined);
  if (text === undefined) throw new CliError('must specify --patch or --patch-file containing the contents of the patch');
  let body: unknown;
  try {
    body = parseYaml(text);
  } catch (err) {
    throw new CliError(`unable to parse "${text}": ${(err as Error).message.split('\n')[0]}`);
  }
  const format = parseOutputFormat(str(v, 'output'));
  const targets = await resolveTargets(ctx, positional);
  let failed = false;
  for (const t of targets) {
    try {
      const before = await ctx.api.get(t.info, t.namespace, t.name, str(v, 'subresource'));
      const after = await ctx.api.patch(t.info, t.namespace, t.name, type, body, { fieldManager: 'wharf-patch', dryRun: str(v, 'dry-run') === 'server' ? 'All' : undefined }, str(v, 'subresource'));
      if (format.kind !== 'table') process.stdout.write(printObjects([after], format, true));
      else process.stdout.write(`${qualifiedName(t.info, t.name)} patched${before.metadata.resourceVersion === after.metadata.resourceVersion ? ' (no change)' : ''}\n`);
    } catch (err) {
      failed = true;
      process.stderr.write(`${formatError(err)}\n`);
    }
  }
  if (failed) throw new ReportedError(1);
  return 0;
}
