// `wharf logs`: pods/log as plain text, streamed with -f; with -l, the logs of
// every matching pod (followed concurrently, optionally prefixed).
import { resourcePath, R } from '@wharf/client';
import type { FlagSpec } from '../flags.js';
import { CliError } from '../verbs/cli-error.js';
import type { CliContext } from '../verbs/context.js';
import { pickContainer, resolvePod, type PodJson } from '../verbs/pods.js';
import { bool, num, runVerb, str } from '../verbs/run-verb.js';
import { openStream, query } from '../verbs/stream.js';

const FLAGS: FlagSpec[] = [
  { name: 'follow', short: 'f', type: 'boolean' },
  { name: 'container', short: 'c', type: 'string' },
  { name: 'all-containers', type: 'boolean' },
  { name: 'tail', type: 'number', default: -1 },
  { name: 'previous', short: 'p', type: 'boolean' },
  { name: 'timestamps', type: 'boolean' },
  { name: 'selector', short: 'l', type: 'string' },
  { name: 'prefix', type: 'boolean' },
  { name: 'since', type: 'string' },
  { name: 'since-time', type: 'string' },
  { name: 'limit-bytes', type: 'number' },
  { name: 'max-log-requests', type: 'number', default: 5 },
];

export function run(args: string[]): Promise<number> {
  return runVerb(args, { usage: 'logs [-f] [-p] (POD | TYPE/NAME | -l selector) [-c CONTAINER] [flags]', flags: FLAGS, run: logs });
}

function sinceSeconds(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const m = /^(\d+)(s|m|h)$/.exec(text);
  if (!m) throw new CliError(`invalid argument "${text}" for "--since" flag`);
  return Number(m[1]) * { s: 1, m: 60, h: 3600 }[m[2] as 's'];
}

async function logs(ctx: CliContext, { values, positional }: { values: Record<string, unknown>; positional: string[] }): Promise<number> {
  const v = values as Parameters<typeof str>[0];
  const selector = str(v, 'selector');
  let pods: PodJson[];
  if (selector) {
    if (positional.length) throw new CliError('only a selector (-l) or a POD name is allowed');
    pods = (await ctx.api.list<PodJson>(R.pods, ctx.namespace, { labelSelector: selector })).items;
    if (pods.length === 0) {
      process.stderr.write(`No resources found in ${ctx.namespace} namespace.\n`);
      return 0;
    }
    const max = num(v, 'max-log-requests') ?? 5;
    if (bool(v, 'follow') && pods.length > max) throw new CliError(`you are attempting to follow ${pods.length} log streams, but maximum allowed concurrency is ${max}, use --max-log-requests to increase the limit`);
  } else {
    const [target, maybeContainer] = positional;
    if (!target) throw new CliError(`expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'wharf logs -h' for help and examples`);
    if (maybeContainer && !str(v, 'container')) v['container'] = maybeContainer;
    pods = [await resolvePod(ctx, target)];
  }
  const streams: Array<{ pod: PodJson; container: string }> = [];
  for (const pod of pods) {
    if (bool(v, 'all-containers')) for (const c of pod['spec']?.containers ?? []) streams.push({ pod, container: c.name });
    else streams.push({ pod, container: pickContainer(pod, str(v, 'container'), Boolean(selector)) });
  }
  const prefixed = bool(v, 'prefix');
  const tail = num(v, 'tail') ?? -1;
  const follow = bool(v, 'follow');
  const run1 = async ({ pod, container }: { pod: PodJson; container: string }) => {
    const q = query({
      container,
      follow: follow ? 'true' : undefined,
      previous: bool(v, 'previous') ? 'true' : undefined,
      timestamps: bool(v, 'timestamps') ? 'true' : undefined,
      // kubectl's -l defaults to the last 10 lines per pod.
      tailLines: tail >= 0 ? tail : selector ? 10 : undefined,
      sinceSeconds: sinceSeconds(str(v, 'since')),
      sinceTime: str(v, 'since-time'),
      limitBytes: num(v, 'limit-bytes'),
    });
    const stream = await openStream(ctx, resourcePath(R.pods, pod.metadata.namespace, pod.metadata.name, 'log') + q, { Accept: 'application/json, */*' });
    const stop = () => stream.stop();
    process.once('SIGINT', stop);
    const prefix = `[pod/${pod.metadata.name}/${container}] `;
    let partial = '';
    for await (const chunk of stream.chunks) {
      if (!prefixed) {
        process.stdout.write(chunk);
        continue;
      }
      partial += chunk.toString('utf8');
      const lines = partial.split('\n');
      partial = lines.pop() ?? '';
      for (const l of lines) process.stdout.write(`${prefix}${l}\n`);
    }
    if (partial) process.stdout.write(`${prefixed ? prefix : ''}${partial}`);
    process.removeListener('SIGINT', stop);
  };
  if (follow) await Promise.all(streams.map(run1));
  else for (const s of streams) await run1(s);
  return 0;
}
