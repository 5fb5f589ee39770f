// `label` and `annotate` are the same verb over two metadata maps:
// key=value sets, key- removes, existing values need --overwrite.
import type { KubeObject } from '@wharf/api';
import type { FlagSpec } from '../flags.js';
import { CliError, ReportedError } from './cli-error.js';
import type { CliContext } from './context.js';
import { formatError } from './format-error.js';
import { qualifiedName } from './resource-args.js';
import { bool, runVerb, str } from './run-verb.js';
import { resolveTargets } from './targets.js';

const FLAGS: FlagSpec[] = [
  { name: 'overwrite', type: 'boolean' },
  { name: 'selector', short: 'l', type: 'string' },
  { name: 'all', type: 'boolean' },
  { name: 'all-namespaces', short: 'A', type: 'boolean' },
  { name: 'list', type: 'boolean' },
  { name: 'output', short: 'o', type: 'string' },
  { name: 'resource-version', type: 'string' },
];

export function runMetadataVerb(args: string[], field: 'labels' | 'annotations'): Promise<number> {
  const verb = field === 'labels' ? 'label' : 'annotate';
  const past = field === 'labels' ? 'labeled' : 'annotated';
  return runVerb(args, {
    usage: `${verb} [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [--resource-version=version] [flags]`,
    flags: FLAGS,
    async run(ctx: CliContext, { values, positional }) {
      const resourceArgs = positional.filter((a) => !isChange(a));
      const changes = positional.filter(isChange);
      const set: Record<string, string> = {};
      const remove: string[] = [];
      for (const c of changes) {
        if (c.endsWith('-') && !c.includes('=')) remove.push(c.slice(0, -1));
        else set[c.slice(0, c.indexOf('='))] = c.slice(c.indexOf('=') + 1);
      }
      if (changes.length === 0 && !values['list']) throw new CliError(`at least one ${field === 'labels' ? 'label' : 'annotation'} update is required`);
      const targets = await resolveTargets(ctx, resourceArgs, { selector: str(values, 'selector'), all: bool(values, 'all') });
      let failed = false;
      for (const t of targets) {
        try {
          const live = await ctx.api.get<KubeObject>(t.info, t.namespace, t.name);
          const current = live.metadata[field] ?? {};
          if (values['list']) {
            for (const [k, val] of Object.entries(current)) process.stdout.write(`${k}=${val}\n`);
            continue;
          }
          if (!bool(values, 'overwrite')) {
            for (const [k, val] of Object.entries(set)) {
              if (k in current && current[k] !== val) throw new CliError(`'${k}' already has a value (${current[k]}), and --overwrite is false`);
            }
          }
          const patch: Record<string, string | null> = {};
          for (const [k, val] of Object.entries(set)) if (current[k] !== val) patch[k] = val;
          for (const k of remove) if (k in current) patch[k] = null;
          const name = qualifiedName(t.info, t.name);
          if (Object.keys(patch).length === 0) {
            process.stdout.write(`${name} not ${past}\n`);
            continue;
          }
          const meta: Record<string, unknown> = { [field]: patch };
          const rv = str(values, 'resource-version');
          if (rv) meta['resourceVersion'] = rv;
          await ctx.api.patch(t.info, t.namespace, t.name, 'merge', { metadata: meta }, { fieldManager: `wharf-${verb}` });
          process.stdout.write(`${name} ${past}\n`);
        } catch (err) {
          failed = true;
          process.stderr.write(`${formatError(err)}\n`);
        }
      }
      if (failed) throw new ReportedError(1);
      return 0;
    },
  });
}

/** `key=value` sets and `key-` removes; everything else names resources. */
function isChange(a: string): boolean {
  return a.includes('=') || a.endsWith('-');
}
