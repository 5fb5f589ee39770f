// `wharf autoscale`: an autoscaling/v2 HorizontalPodAutoscaler for a deployment
// or replica set, as kubectl's generator builds it.
import type { FlagSpec } from '../flags.js';
import { parseOutputFormat, printObjects } from '../printers/object-printer.js';
import { CliError } from '../verbs/cli-error.js';
import type { CliContext } from '../verbs/context.js';
import { qualifiedName, resolveType } from '../verbs/resource-args.js';
import { num, runVerb, str } from '../verbs/run-verb.js';
import { resolveTargets } from '../verbs/targets.js';

const FLAGS: FlagSpec[] = [
  { name: 'min', type: 'number' },
  { name: 'max', type: 'number' },
  { name: 'cpu-percent', type: 'number' },
  { name: 'name', type: 'string' },
  { name: 'output', short: 'o', type: 'string' },
  { name: 'dry-run', type: 'string' },
];

export function run(args: string[]): Promise<number> {
  return runVerb(args, { usage: 'autoscale (TYPE NAME | TYPE/NAME) [--min=MINPODS] --max=MAXPODS [--cpu-percent=CPU] [flags]', flags: FLAGS, run: autoscale });
}

async function autoscale(ctx: CliContext, { values, positional }: { values: Record<string, unknown>; positional: string[] }): Promise<number> {
  const v = values as Parameters<typeof str>[0];
  const max = num(v, 'max');
  if (max === undefined || max < 1) throw new CliError('--max=MAXPODS is required and must be at least 1');
  const min = num(v, 'min');
  if (min !== undefined && min > max) throw new CliError(`cannot autoscale: minimum replicas (${min}) must be less than or equal to maximum replicas (${max})`);
  const hpaInfo = resolveType('horizontalpodautoscalers.autoscaling');
  const format = parseOutputFormat(str(v, 'output'));
  for (const t of await resolveTargets(ctx, positional)) {
    if (!t.info.subresources.some((s) => s.name === 'scale')) throw new CliError(`cannot autoscale a ${t.info.kind}: not scalable`);
    await ctx.api.get(t.info, t.namespace, t.name);
    const cpu = num(v, 'cpu-percent');
    const hpa = {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: str(v, 'name') ?? t.name, namespace: t.namespace },
      spec: {
        scaleTargetRef: { apiVersion: t.info.group ? `${t.info.group}/${t.info.version}` : t.info.version, kind: t.info.kind, name: t.name },
        ...(min !== undefined ? { minReplicas: min } : {}),
        maxReplicas: max,
        ...(cpu !== undefined && cpu >= 0 ? { metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: cpu } } }] } : {}),
      },
    };
    const created = str(v, 'dry-run') === 'client' ? hpa : await ctx.api.create(hpaInfo, t.namespace, hpa, { fieldManager: 'wharf-autoscale', dryRun: str(v, 'dry-run') === 'server' ? 'All' : undefined });
    if (format.kind === 'table') process.stdout.write(`${qualifiedName(hpaInfo, hpa.metadata.name)} autoscaled\n`);
    else process.stdout.write(printObjects([{ ...hpa, ...created } as never], format, true));
  }
  return 0;
}
