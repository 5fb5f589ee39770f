// `wharf run NAME --image=…`: one Pod, generated as `kubectl run` generates it.
import type { KubeObject } from '@wharf/api';
import { R } from '@wharf/client';
import type { FlagSpec } from '../flags.js';
import { parseOutputFormat, printObjects } from '../printers/object-printer.js';
import { CliError } from '../verbs/cli-error.js';
import type { CliContext } from '../verbs/context.js';
import { bool, runVerb, str, strs } from '../verbs/run-verb.js';

const FLAGS: FlagSpec[] = [
  { name: 'image', type: 'string' },
  { name: 'restart', type: 'string', default: 'Always' },
  { name: 'labels', short: 'l', type: 'strings' },
  { name: 'env', type: 'strings' },
  { name: 'port', type: 'number' },
  { name: 'command', type: 'boolean' },
  { name: 'image-pull-policy', type: 'string' },
  { name: 'output', short: 'o', type: 'string' },
  { name: 'dry-run', type: 'string' },
  { name: 'stdin', short: 'i', type: 'boolean' },
  { name: 'tty', short: 't', type: 'boolean' },
  { name: 'rm', type: 'boolean' },
];

export function run(args: string[]): Promise<number> {
  return runVerb(args, { usage: 'run NAME --image=image [--env="key=value"] [--port=port] [--restart=Always|OnFailure|Never] [--command] -- [COMMAND] [args...]', flags: FLAGS, run: runPod });
}

function pairs(list: string[], what: string): Array<[string, string]> {
  return list.map((p) => {
    const eq = p.indexOf('=');
    if (eq <= 0) throw new CliError(`invalid ${what}: ${p}, expected key=value`);
    return [p.slice(0, eq), p.slice(eq + 1)];
  });
}

async function runPod(ctx: CliContext, { values, positional, rest }: { values: Record<string, unknown>; positional: string[]; rest: string[] }): Promise<number> {
  const v = values as Parameters<typeof str>[0];
  const [name, ...inline] = positional;
  if (!name) throw new CliError('NAME is required for run');
  const image = str(v, 'image');
  if (!image) throw new CliError('--image is required');
  if (bool(v, 'stdin') || bool(v, 'tty') || bool(v, 'rm')) throw new CliError('wharf run does not attach: create the pod, then use `wharf exec -it` or `wharf logs -f`');
  const restart = str(v, 'restart') ?? 'Always';
  if (!['Always', 'OnFailure', 'Never'].includes(restart)) throw new CliError(`invalid restart policy: ${restart}`);
  const argv = rest.length ? rest : inline;
  const container: Record<string, unknown> = { name, image };
  if (argv.length) container[bool(v, 'command') ? 'command' : 'args'] = argv;
  if (str(v, 'image-pull-policy')) container['imagePullPolicy'] = str(v, 'image-pull-policy');
  const port = v['port'];
  if (typeof port === 'number') container['ports'] = [{ containerPort: port }];
  const env = pairs(strs(v, 'env'), 'env');
  if (env.length) container['env'] = env.map(([k, val]) => ({ name: k, value: val }));
  container['resources'] = {};
  const labels = strs(v, 'labels').length ? Object.fromEntries(pairs(strs(v, 'labels'), 'label')) : { run: name };
  const pod: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ctx.namespace, labels },
    spec: { containers: [container], restartPolicy: restart, dnsPolicy: 'ClusterFirst' },
    status: {},
  };
  const dryRun = str(v, 'dry-run');
  const created = dryRun === 'client' ? pod : await ctx.api.create(R.pods, ctx.namespace, pod, { fieldManager: 'wharf-run', dryRun: dryRun === 'server' ? 'All' : undefined });
  const format = parseOutputFormat(str(v, 'output'));
  if (format.kind === 'table') process.stdout.write(`pod/${name} created${dryRun === 'client' ? ' (dry run)' : dryRun === 'server' ? ' (server dry run)' : ''}\n`);
  else process.stdout.write(printObjects([{ ...created, apiVersion: 'v1', kind: 'Pod' }], format, true));
  return 0;
}
