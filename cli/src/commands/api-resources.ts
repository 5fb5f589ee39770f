// `wharf api-resources`: what the server's discovery serves (preferred versions).
import type { FlagSpec } from '../flags.js';
import { TabWriter } from '../printers/tab-writer.js';
import type { CliContext } from '../verbs/context.js';
import { CliError } from '../verbs/cli-error.js';
import { runVerb, str, bool } from '../verbs/run-verb.js';

const FLAGS: FlagSpec[] = [
  { name: 'namespaced', type: 'string' },
  { name: 'api-group', type: 'string' },
  { name: 'output', short: 'o', type: 'string' },
  { name: 'no-headers', type: 'boolean' },
  { name: 'verbs', type: 'strings' },
  { name: 'sort-by', type: 'string' },
];

interface Discovered {
  name: string;
  shortNames: string[];
  apiVersion: string;
  group: string;
  namespaced: boolean;
  kind: string;
  verbs: string[];
  categories: string[];
}

export function run(args: string[]): Promise<number> {
  return runVerb(args, { usage: 'api-resources [flags]', flags: FLAGS, run: apiResources });
}

async function discover(ctx: CliContext): Promise<Discovered[]> {
  const out: Discovered[] = [];
  const add = (gv: string, group: string, list: { resources: Array<{ name: string; namespaced: boolean; kind: string; verbs: string[]; shortNames?: string[]; categories?: string[] }> }) => {
    for (const r of list.resources) {
      if (r.name.includes('/')) continue;
      out.push({ name: r.name, shortNames: r.shortNames ?? [], apiVersion: gv, group, namespaced: r.namespaced, kind: r.kind, verbs: r.verbs, categories: r.categories ?? [] });
    }
  };
  const core = await ctx.request<{ versions: string[] }>('GET', '/api');
  for (const v of core.versions) add(v, '', await ctx.request('GET', `/api/${v}`));
  const groups = await ctx.request<{ groups: Array<{ name: string; preferredVersion: { groupVersion: string } }> }>('GET', '/apis');
  for (const g of groups.groups) {
    try {
      add(g.preferredVersion.groupVersion, g.name, await ctx.request('GET', `/apis/${g.preferredVersion.groupVersion}`));
    } catch (err) {
      process.stderr.write(`error: unable to retrieve the complete list of server APIs: ${g.preferredVersion.groupVersion}: ${(err as Error).message}\n`);
    }
  }
  return out;
}

async function apiResources(ctx: CliContext, { values }: { values: Record<string, unknown> }): Promise<number> {
  const v = values as Parameters<typeof str>[0];
  let list = await discover(ctx);
  const ns = str(v, 'namespaced');
  if (ns !== undefined) list = list.filter((r) => String(r.namespaced) === ns);
  const group = str(v, 'api-group');
  if (group !== undefined) list = list.filter((r) => r.group === group);
  const verbs = (v['verbs'] as string[] | undefined) ?? [];
  if (verbs.length) list = list.filter((r) => verbs.every((x) => r.verbs.includes(x)));
  list.sort((a, b) => (a.group === b.group ? a.name.localeCompare(b.name) : a.group.localeCompare(b.group)));
  const out = str(v, 'output');
  if (out === 'name') {
    for (const r of list) process.stdout.write(`${r.group ? `${r.name}.${r.group}` : r.name}\n`);
    return 0;
  }
  if (out !== undefined && out !== 'wide') throw new CliError(`--output ${out} is not available`);
  const tw = new TabWriter(3);
  const wide = out === 'wide';
  if (!bool(v, 'no-headers')) tw.write(`NAME\tSHORTNAMES\tAPIVERSION\tNAMESPACED\tKIND${wide ? '\tVERBS\tCATEGORIES' : ''}`);
  for (const r of list) tw.write(`${r.name}\t${r.shortNames.join(',')}\t${r.apiVersion}\t${r.namespaced}\t${r.kind}${wide ? `\t${r.verbs.join(',')}\t${r.categories.join(',')}` : ''}`);
  process.stdout.write(`${tw.toString()}\n`);
  return 0;
}
