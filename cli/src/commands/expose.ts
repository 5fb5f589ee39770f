// `wharf expose TYPE NAME --port=…`: a Service selecting what a deployment,
// replica set, pod or service selects, as `kubectl expose` builds it.
import type { FlagSpec } from '../flags.js';
import { parseOutputFormat, printObjects } from '../printers/object-printer.js';
import { CliError } from '../verbs/cli-error.js';
import type { CliContext } from '../verbs/context.js';
import { resolveType } from '../verbs/resource-args.js';
import { runVerb, str } from '../verbs/run-verb.js';
import { resolveTargets } from '../verbs/targets.js';

const FLAGS: FlagSpec[] = [
  { name: 'port', type: 'string' },
  { name: 'target-port', type: 'string' },
  { name: 'protocol', type: 'string', default: 'TCP' },
  { name: 'type', type: 'string' },
  { name: 'name', type: 'string' },
  { name: 'selector', type: 'string' },
  { name: 'output', short: 'o', type: 'string' },
  { name: 'dry-run', type: 'string' },
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type J = Record<string, any>;

export function run(args: string[]): Promise<number> {
  return runVerb(args, { usage: 'expose (TYPE NAME | TYPE/NAME) [--port=port] [--target-port=port] [--type=type] [--name=name] [flags]', flags: FLAGS, run: expose });
}

const portValue = (p: string) => (/^\d+$/.test(p) ? Number(p) : p);

async function expose(ctx: CliContext, { values, positional }: { values: Record<string, unknown>; positional: string[] }): Promise<number> {
  const v = values as Parameters<typeof str>[0];
  const svcInfo = resolveType('services');
  const format = parseOutputFormat(str(v, 'output'));
  for (const t of await resolveTargets(ctx, positional)) {
    const obj = (await ctx.api.get(t.info, t.namespace, t.name)) as J;
    let selector: Record<string, string> | undefined;
    if (str(v, 'selector')) selector = Object.fromEntries(str(v, 'selector')!.split(',').map((kv) => kv.split('=') as [string, string]));
    else if (t.info.kind === 'Pod') selector = obj['metadata'].labels;
    else if (t.info.kind === 'Service') selector = obj['spec']?.selector;
    else selector = obj['spec']?.selector?.matchLabels;
    if (!selector || Object.keys(selector).length === 0) throw new CliError(`couldn't retrieve selectors via --selector flag or introspection: the ${t.info.kind} has no selector`);
    let port = str(v, 'port');
    if (!port) {
      const containers: J[] = t.info.kind === 'Pod' ? obj['spec']?.containers : obj['spec']?.template?.spec?.containers ?? [];
      const first = t.info.kind === 'Service' ? obj['spec']?.ports?.[0]?.port : containers?.flatMap((c) => c['ports'] ?? [])[0]?.containerPort;
      if (first === undefined) throw new CliError(`couldn't find port via --port flag or introspection`);
      port = String(first);
    }
    const svcPort: J = { protocol: str(v, 'protocol') ?? 'TCP', port: Number(port) };
    svcPort['targetPort'] = portValue(str(v, 'target-port') ?? port);
    const name = str(v, 'name') ?? t.name;
    const service = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace: t.namespace, ...(obj['metadata'].labels ? { labels: obj['metadata'].labels } : {}) },
      spec: { ports: [svcPort], selector, ...(str(v, 'type') ? { type: str(v, 'type') } : {}) },
    };
    const dryRun = str(v, 'dry-run');
    const created = dryRun === 'client' ? service : await ctx.api.create(svcInfo, t.namespace, service, { fieldManager: 'wharf-expose', dryRun: dryRun === 'server' ? 'All' : undefined });
    if (format.kind === 'table') process.stdout.write(`service/${name} exposed${dryRun === 'client' ? ' (dry run)' : dryRun === 'server' ? ' (server dry run)' : ''}\n`);
    else process.stdout.write(printObjects([{ ...created, apiVersion: 'v1', kind: 'Service' } as never], format, true));
  }
  return 0;
}
