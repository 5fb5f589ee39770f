// `wharf top pods|nodes`: usage from metrics.k8s.io/v1beta1, in kubectl's
// columns (CPU in millicores, memory in Mi).
import { parseQuantity } from '@wharf/api';
import { R } from '@wharf/client';
import type { FlagSpec } from '../flags.js';
import { columnWidths } from '../printers/table-printer.js';
import { CliError } from '../verbs/cli-error.js';
import type { CliContext } from '../verbs/context.js';
import { bool, runVerb, str } from '../verbs/run-verb.js';
import { query } from '../verbs/stream.js';

const FLAGS: FlagSpec[] = [
  { name: 'selector', short: 'l', type: 'string' },
  { name: 'all-namespaces', short: 'A', type: 'boolean' },
  { name: 'containers', type: 'boolean' },
  { name: 'no-headers', type: 'boolean' },
  { name: 'sort-by', type: 'string' },
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type J = Record<string, any>;

export function run(args: string[]): Promise<number> {
  return runVerb(args, { usage: 'top pods|nodes [NAME | -l label] [flags]', flags: FLAGS, run: top });
}

const cpu = (q: string | undefined) => `${Math.round(parseQuantity(q ?? '0') * 1000)}m`;
const mem = (q: string | undefined) => `${Math.floor(parseQuantity(q ?? '0') / (1024 * 1024))}Mi`;

async function top(ctx: CliContext, { values, positional }: { values: Record<string, unknown>; positional: string[] }): Promise<number> {
  const v = values as Parameters<typeof str>[0];
  const [what, name] = positional;
  const groups = await ctx.request<{ groups?: Array<{ name: string }> }>('GET', '/apis');
  if (!groups.groups?.some((g) => g.name === 'metrics.k8s.io')) throw new CliError('Metrics API not available');
  const sel = query({ labelSelector: str(v, 'selector') });
  const rows: string[][] = [];
  const sortBy = str(v, 'sort-by');
  if (what === 'pods' || what === 'pod' || what === 'po') {
    const base = ctx.allNamespaces ? '/apis/metrics.k8s.io/v1beta1/pods' : `/apis/metrics.k8s.io/v1beta1/namespaces/${ctx.namespace}/pods`;
    const items: J[] = name ? [await ctx.request<J>('GET', `${base}/${name}`)] : (await ctx.request<{ items: J[] }>('GET', base + sel)).items;
    if (items.length === 0) {
      process.stderr.write(`No resources found${ctx.allNamespaces ? '' : ` in ${ctx.namespace} namespace`}.\n`);
      return 0;
    }
    const total = (p: J, r: 'cpu' | 'memory') => (p['containers'] ?? []).reduce((s: number, c: J) => s + parseQuantity(c['usage']?.[r] ?? '0'), 0);
    if (sortBy === 'cpu' || sortBy === 'memory') items.sort((a, b) => total(b, sortBy) - total(a, sortBy));
    const head = [...(ctx.allNamespaces ? ['NAMESPACE'] : []), ...(bool(v, 'containers') ? ['POD', 'NAME'] : ['NAME']), 'CPU(cores)', 'MEMORY(bytes)'];
    if (!bool(v, 'no-headers')) rows.push(head);
    for (const p of items) {
      const ns = ctx.allNamespaces ? [p['metadata'].namespace] : [];
      if (bool(v, 'containers')) for (const c of p['containers'] ?? []) rows.push([...ns, p['metadata'].name, c.name, cpu(c.usage?.cpu), mem(c.usage?.memory)]);
      else rows.push([...ns, p['metadata'].name, `${Math.round(total(p, 'cpu') * 1000)}m`, `${Math.floor(total(p, 'memory') / 1048576)}Mi`]);
    }
  } else if (what === 'nodes' || what === 'node' || what === 'no') {
    const items: J[] = name ? [await ctx.request<J>('GET', `/apis/metrics.k8s.io/v1beta1/nodes/${name}`)] : (await ctx.request<{ items: J[] }>('GET', '/apis/metrics.k8s.io/v1beta1/nodes' + sel)).items;
    const nodes = new Map(((await ctx.api.list(R.nodes, undefined)).items as J[]).map((n) => [n['metadata'].name, n]));
    if (!bool(v, 'no-headers')) rows.push(['NAME', 'CPU(cores)', 'CPU(%)', 'MEMORY(bytes)', 'MEMORY(%)']);
    for (const m of items) {
      const alloc = nodes.get(m['metadata'].name)?.['status']?.allocatable ?? {};
      const c = parseQuantity(m['usage']?.cpu ?? '0');
      const b = parseQuantity(m['usage']?.memory ?? '0');
      const pct = (used: number, cap: string | undefined) => (cap ? `${Math.floor((used / parseQuantity(cap)) * 100)}%` : '<unknown>');
      rows.push([m['metadata'].name, `${Math.round(c * 1000)}m`, pct(c, alloc.cpu), `${Math.floor(b / 1048576)}Mi`, pct(b, alloc.memory)]);
    }
  } else {
    throw new CliError(`unknown top subcommand "${what ?? ''}": expected pods or nodes`);
  }
  // kubectl ends every cell, the last one included, with a tab: every column is padded.
  const widths = columnWidths(rows);
  process.stdout.write(rows.map((r) => `${r.map((cell, i) => cell.padEnd(widths[i]! + 3)).join('')}\n`).join(''));
  return 0;
}
