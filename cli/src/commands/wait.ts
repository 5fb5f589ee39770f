// `wharf wait --for=condition=X|delete|jsonpath=…`: watches each object until
// the condition holds or --timeout passes.
import type { KubeObject } from '@wharf/api';
import type { FlagSpec } from '../flags.js';
import { evaluate } from '../printers/jsonpath.js';
import { CliError, ReportedError } from '../verbs/cli-error.js';
import type { CliContext } from '../verbs/context.js';
import { qualifiedName } from '../verbs/resource-args.js';
import { bool, runVerb, str } from '../verbs/run-verb.js';
import { resolveTargets } from '../verbs/targets.js';
import { waitFor } from '../verbs/wait-helpers.js';
import { parseDuration } from './delete.js';

const FLAGS: FlagSpec[] = [
  { name: 'for', type: 'string' },
  { name: 'timeout', type: 'string', default: '30s' },
  { name: 'selector', short: 'l', type: 'string' },
  { name: 'all', type: 'boolean' },
  { name: 'all-namespaces', short: 'A', type: 'boolean' },
  { name: 'filename', short: 'f', type: 'strings' },
];

export function run(args: string[]): Promise<number> {
  return runVerb(args, { usage: "wait ([-f FILENAME] | resource.group/resource.name | resource.group [(-l label | --all)]) [--for=delete|--for condition=available|--for=jsonpath='{}'=value]", flags: FLAGS, run: wait });
}

type Predicate = (obj: KubeObject | undefined) => boolean;

export function parseFor(spec: string | undefined): { predicate: Predicate; deleting: boolean } {
  if (!spec) throw new CliError('--for must be set');
  if (spec === 'delete') return { predicate: (o) => o === undefined, deleting: true };
  if (spec.startsWith('condition=')) {
    const rest = spec.slice('condition='.length);
    const eq = rest.indexOf('=');
    const type = (eq < 0 ? rest : rest.slice(0, eq)).toLowerCase();
    const want = (eq < 0 ? 'true' : rest.slice(eq + 1)).toLowerCase();
    return {
      deleting: false,
      predicate: (o) => {
        const conds = ((o as { status?: { conditions?: Array<{ type: string; status: string }> } } | undefined)?.status?.conditions ?? []);
        return conds.some((c) => c.type.toLowerCase() === type && c.status.toLowerCase() === want);
      },
    };
  }
  if (spec.startsWith('jsonpath=')) {
    const rest = spec.slice('jsonpath='.length);
    const m = /^\{?(.*?)\}?(?:=(.*))?$/.exec(rest);
    if (!m) throw new CliError(`unrecognized condition: "${spec}"`);
    const path = m[1]!.startsWith('{') ? m[1]!.slice(1, -1) : m[1]!;
    const want = m[2];
    return {
      deleting: false,
      predicate: (o) => {
        if (!o) return false;
        const got = evaluate(o, path);
        if (want === undefined) return got.length > 0;
        return got.length > 0 && got.every((g) => String(g) === want);
      },
    };
  }
  throw new CliError(`unrecognized condition: "${spec}"`);
}

async function wait(ctx: CliContext, { values, positional }: { values: Record<string, unknown>; positional: string[] }): Promise<number> {
  const v = values as Parameters<typeof str>[0];
  const { predicate, deleting } = parseFor(str(v, 'for'));
  const deadline = Date.now() + parseDuration(str(v, 'timeout'), 30_000);
  const targets = await resolveTargets(ctx, positional, { selector: str(v, 'selector'), all: bool(v, 'all') });
  if (targets.length === 0) throw new CliError('no matching resources found');
  let failed = false;
  for (const t of targets) {
    let missing = false;
    const ok = await waitFor(ctx, t, deadline, (o) => {
      if (!o && !deleting) {
        missing = true;
        return true;
      }
      return predicate(o);
    });
    if (missing) {
      process.stderr.write(`Error from server (NotFound): ${t.info.group ? `${t.info.plural}.${t.info.group}` : t.info.plural} "${t.name}" not found\n`);
      failed = true;
    } else if (ok) {
      process.stdout.write(`${qualifiedName(t.info, t.name)} condition met\n`);
    } else {
      process.stderr.write(`error: timed out waiting for the condition on ${t.info.plural}/${t.name}\n`);
      failed = true;
    }
  }
  if (failed) throw new ReportedError(1);
  return 0;
}
