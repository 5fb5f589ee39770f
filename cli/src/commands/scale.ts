// `wharf scale`: a merge patch of the scale subresource, as kubectl sends it.
import type { KubeObject } from '@wharf/api';
import type { FlagSpec } from '../flags.js';
import { CliError, ReportedError } from '../verbs/cli-error.js';
import type { CliContext } from '../verbs/context.js';
import { formatError } from '../verbs/format-error.js';
import { qualifiedName } from '../verbs/resource-args.js';
import { bool, num, runVerb, str } from '../verbs/run-verb.js';
import { resolveTargets } from '../verbs/targets.js';

const FLAGS: FlagSpec[] = [
  { name: 'replicas', type: 'number' },
  { name: 'current-replicas', type: 'number' },
  { name: 'selector', short: 'l', type: 'string' },
  { name: 'all', type: 'boolean' },
  { name: 'filename', short: 'f', type: 'strings' },
];

export function run(args: string[]): Promise<number> {
  return runVerb(args, { usage: 'scale [--current-replicas=count] --replicas=COUNT (TYPE NAME | TYPE/NAME) [flags]', flags: FLAGS, run: scale });
}

async function scale(ctx: CliContext, { values, positional }: { values: Record<string, unknown>; positional: string[] }): Promise<number> {
  const v = values as Parameters<typeof str>[0];
  const replicas = num(v, 'replicas');
  if (replicas === undefined) throw new CliError('required flag(s) "replicas" not set');
  if (replicas < 0) throw new CliError('The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0');
  const targets = await resolveTargets(ctx, positional, { selector: str(v, 'selector'), all: bool(v, 'all') });
  let failed = false;
  for (const t of targets) {
    try {
      if (!t.info.subresources.some((s) => s.name === 'scale')) throw new CliError(`cannot scale ${t.info.plural}: no scale subresource`);
      const current = num(v, 'current-replicas');
      if (current !== undefined) {
        const s = await ctx.api.get<KubeObject & { spec?: { replicas?: number } }>(t.info, t.namespace, t.name, 'scale');
        if ((s.spec?.replicas ?? 0) !== current) throw new CliError(`Expected replicas to be ${current}, was ${s.spec?.replicas ?? 0}`);
      }
      await ctx.api.patch(t.info, t.namespace, t.name, 'merge', { spec: { replicas } }, {}, 'scale');
      process.stdout.write(`${qualifiedName(t.info, t.name)} scaled\n`);
    } catch (err) {
      failed = true;
      process.stderr.write(`${formatError(err)}\n`);
    }
  }
  if (failed) throw new ReportedError(1);
  return 0;
}
