// `wharf delete`: by type/name, selector, --all or -f; waits until the objects
// are gone unless --wait=false, like kubectl.
import { ApiError, type KubeObject } from '@wharf/api';
import type { FlagSpec } from '../flags.js';
import { objectNamespace } from '../verbs/apply-helpers.js';
import { CliError, ReportedError } from '../verbs/cli-error.js';
import type { CliContext } from '../verbs/context.js';
import { formatError } from '../verbs/format-error.js';
import { readManifests } from '../verbs/manifests.js';
import { infoForObject, typeName } from '../verbs/resource-args.js';
import { bool, num, runVerb, str, strs } from '../verbs/run-verb.js';
import { resolveTargets, type Target } from '../verbs/targets.js';
import { waitGone } from '../verbs/wait-helpers.js';

const FLAGS: FlagSpec[] = [
  { name: 'filename', short: 'f', type: 'strings' },
  { name: 'recursive', short: 'R', type: 'boolean' },
  { name: 'selector', short: 'l', type: 'string' },
  { name: 'field-selector', type: 'string' },
  { name: 'all', type: 'boolean' },
  { name: 'all-namespaces', short: 'A', type: 'boolean' },
  { name: 'grace-period', type: 'number' },
  { name: 'now', type: 'boolean' },
  { name: 'force', type: 'boolean' },
  { name: 'wait', type: 'boolean', default: true },
  { name: 'timeout', type: 'string' },
  { name: 'cascade', type: 'string', default: 'background' },
  { name: 'ignore-not-found', type: 'boolean' },
  { name: 'output', short: 'o', type: 'string' },
];

export function run(args: string[]): Promise<number> {
  return runVerb(args, { usage: 'delete ([-f FILENAME] | TYPE [(NAME | -l label | --all)]) [flags]', flags: FLAGS, run: del });
}

const CASCADE: Record<string, string> = { background: 'Background', foreground: 'Foreground', orphan: 'Orphan', true: 'Background', false: 'Orphan' };

export function parseDuration(text: string | undefined, fallbackMs: number): number {
  if (!text) return fallbackMs;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text);
  if (!m) throw new CliError(`invalid argument "${text}" for "--timeout" flag: time: invalid duration "${text}"`);
  const n = Number(m[1]);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? 's') as 'ms'];
  return n * unit;
}

async function del(ctx: CliContext, { values, positional }: { values: Record<string, unknown>; positional: string[] }): Promise<number> {
  const v = values as Parameters<typeof str>[0];
  const cascade = CASCADE[str(v, 'cascade') ?? 'background'];
  if (!cascade) throw new CliError(`invalid cascade value (${str(v, 'cascade')}). Must be "background", "foreground", or "orphan".`);
  let grace = num(v, 'grace-period');
  if (bool(v, 'now')) grace = 1;
  if (bool(v, 'force') && grace === undefined) grace = 0;
  if (grace !== undefined && grace < 0) grace = undefined;
  let targets: Array<Target & { source?: string }>;
  if (strs(v, 'filename').length) {
    targets = readManifests(strs(v, 'filename'), bool(v, 'recursive')).map((m) => {
      const info = infoForObject(m.object as KubeObject);
      return { info, namespace: objectNamespace(ctx, info, m.object), name: m.object.metadata.name ?? '', source: m.source };
    });
  } else {
    if (positional.length === 0) throw new CliError('You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   \'-f rsrc.yaml\'\n   \'--filename=rsrc.json\'\n   \'<resource> <name>\'\n   \'<resource>\'');
    targets = await resolveTargets(ctx, positional, { selector: str(v, 'selector'), fieldSelector: str(v, 'field-selector'), all: bool(v, 'all') });
    if (targets.length === 0) {
      process.stdout.write(`No resources found\n`);
      return 0;
    }
  }
  if (grace === 0 && bool(v, 'force')) process.stderr.write('Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n');
  let failed = false;
  const deleted: Target[] = [];
  for (const t of targets) {
    try {
      await ctx.api.delete(t.info, t.namespace, t.name, { propagationPolicy: cascade, gracePeriodSeconds: grace });
      deleted.push(t);
      process.stdout.write(str(v, 'output') === 'name' ? `${typeName(t.info)}/${t.name}\n` : `${typeName(t.info)} "${t.name}" deleted\n`);
    } catch (err) {
      if (err instanceof ApiError && err.code === 404 && bool(v, 'ignore-not-found')) continue;
      failed = true;
      if (err instanceof ApiError && t.source) process.stderr.write(`Error from server (${err.reason}): error when deleting "${t.source}": ${err.message}\n`);
      else process.stderr.write(`${formatError(err)}\n`);
    }
  }
  if (v['wait'] !== false && deleted.length) {
    const deadline = Date.now() + parseDuration(str(v, 'timeout'), 7 * 24 * 3600_000);
    for (const t of deleted) {
      if (!(await waitGone(ctx, t, deadline))) {
        process.stderr.write(`error: timed out waiting for the condition on ${t.info.plural}/${t.name}\n`);
        failed = true;
      }
    }
  }
  if (failed) throw new ReportedError(1);
  return 0;
}
