// `wharf get`: server-side Tables for the human formats, full objects for
// yaml/json/name/jsonpath, and -w streaming Table rows as objects change.
import { ApiError, type KubeObject, type KubeList } from '@wharf/api';
import { resourcePath } from '@wharf/client';
import type { FlagSpec } from '../flags.js';
import { evaluate } from '../printers/jsonpath.js';
import { parseOutputFormat, printObjects, type OutputFormat } from '../printers/object-printer.js';
import { columnWidths, padRow, printTable, tableCells, type TableOptions } from '../printers/table-printer.js';
import { apiError } from '../verbs/api.js';
import { formatError } from '../verbs/format-error.js';
import { ReportedError } from '../verbs/cli-error.js';
import { TABLE_ACCEPT, type CliContext, type Table } from '../verbs/context.js';
import { parseResourceArgs, typeName, type ResourceRequest } from '../verbs/resource-args.js';
import { bool, runVerb, str, strs } from '../verbs/run-verb.js';
import { jsonLines, openStream, query } from '../verbs/stream.js';

const FLAGS: FlagSpec[] = [
  { name: 'output', short: 'o', type: 'string', help: 'wide|yaml|json|name|jsonpath=…|custom-columns=…' },
  { name: 'selector', short: 'l', type: 'string', help: 'label selector' },
  { name: 'field-selector', type: 'string', help: 'field selector' },
  { name: 'all-namespaces', short: 'A', type: 'boolean' },
  { name: 'show-labels', type: 'boolean' },
  { name: 'label-columns', short: 'L', type: 'strings' },
  { name: 'no-headers', type: 'boolean' },
  { name: 'watch', short: 'w', type: 'boolean' },
  { name: 'watch-only', type: 'boolean' },
  { name: 'ignore-not-found', type: 'boolean' },
  { name: 'chunk-size', type: 'number' },
  { name: 'show-managed-fields', type: 'boolean' },
  { name: 'raw', type: 'string', help: 'GET this server path and print the body as is' },
  { name: 'sort-by', type: 'string', help: 'a JSONPath expression (.metadata.name) to sort rows or items by' },
];

export function run(args: string[]): Promise<number> {
  return runVerb(args, { usage: 'get [(-o|--output=)FORMAT] (TYPE[.VERSION][.GROUP] [NAME | -l label] | TYPE[.VERSION][.GROUP]/NAME ...) [flags]', flags: FLAGS, run: get });
}

interface Fetched {
  req: ResourceRequest;
  /** Whether anything came back for this type (a list, even empty, or one named object). */
  answered: boolean;
  tables: Table[];
  objects: KubeObject[];
  /** The list answer, for the resourceVersion a watch resumes from. */
  list?: KubeList;
}

async function get(ctx: CliContext, { values, positional }: { values: Record<string, unknown>; positional: string[] }): Promise<number> {
  const v = values as Parameters<typeof str>[0];
  const raw = str(v, 'raw');
  if (raw !== undefined) {
    const res = await ctx.client.transport.request('GET', raw.startsWith('/') ? raw : `/${raw}`, undefined, { Accept: 'application/json, */*' });
    if (res.status >= 400) {
      const text = res.body.toString('utf8');
      let status: Record<string, unknown> = { message: text.trim() || 'the server could not find the requested resource', reason: res.status === 404 ? 'NotFound' : undefined };
      try {
        const parsed = JSON.parse(text) as Record<string, unknown>;
        if (parsed['kind'] === 'Status') status = parsed;
      } catch {
        // a plain-text body
      }
      throw apiError(status, res.status);
    }
    process.stdout.write(res.body);
    return 0;
  }
  const requests = parseResourceArgs(positional);
  const format = parseOutputFormat(str(v, 'output'));
  const labelSelector = str(v, 'selector');
  const fieldSelector = str(v, 'field-selector');
  const all = ctx.allNamespaces;
  // kubectl prefixes names with their type when the answers span several types.
  const named = requests.some((r) => r.names.length > 0);
  let failed = false;
  const fetched: Fetched[] = [];

  for (const req of requests) {
    const ns = all ? undefined : ctx.nsFor(req.info);
    const f: Fetched = { req, tables: [], objects: [], answered: false };
    if (req.names.length > 0) {
      for (const name of req.names) {
        try {
          if (format.kind === 'table') f.tables.push(await ctx.table(req.info, ctx.nsFor(req.info), name));
          else f.objects.push(withType(await ctx.api.get(req.info, ctx.nsFor(req.info), name), req));
          f.answered = true;
        } catch (err) {
          if (err instanceof ApiError && err.code === 404 && bool(v, 'ignore-not-found')) continue;
          failed = true;
          process.stderr.write(`${formatError(err)}\n`);
        }
      }
    } else if (!bool(v, 'watch-only')) {
      if (format.kind === 'table') {
        // Sorting needs the whole objects in the rows, as kubectl asks for them.
        const includeObject = str(v, 'sort-by') ? 'Object' : undefined;
        f.tables.push(await ctx.table(req.info, ns, undefined, query({ labelSelector, fieldSelector, limit: 500, includeObject })));
        f.answered = true;
      } else {
        const list = await ctx.api.list(req.info, ns, { labelSelector, fieldSelector });
        f.objects.push(...list.items.map((o) => withType(o, req)));
        f.list = list;
        f.answered = true;
      }
    }
    fetched.push(f);
  }

  const multi = fetched.filter((f) => f.answered).length > 1;
  const watching = bool(v, 'watch') || bool(v, 'watch-only');
  const opts: TableOptions = {
    wide: format.kind === 'table' && format.wide,
    withNamespace: all,
    showLabels: bool(v, 'show-labels'),
    labelColumns: strs(v, 'label-columns'),
    noHeaders: bool(v, 'no-headers'),
  };
  let printedAny = false;
  if (format.kind === 'table') {
    const blocks: string[] = [];
    for (const f of fetched) {
      const rows = sortRows(f.tables.flatMap((t) => t.rows), str(v, 'sort-by'));
      if (rows.length === 0 || !f.tables[0]) continue;
      const merged: Table = { ...f.tables[0], rows };
      blocks.push(printTable(merged, { ...opts, kindPrefix: multi ? typeName(f.req.info) : undefined }));
    }
    if (blocks.length) {
      process.stdout.write(blocks.join('\n'));
      printedAny = true;
    }
  } else {
    const objects = sortObjects(fetched.flatMap((f) => f.objects), str(v, 'sort-by'));
    const single = !multi && named && objects.length === 1 && requests[0]!.names.length === 1;
    // yaml, json and jsonpath print even an empty List; name prints nothing.
    if (objects.length > 0 || format.kind !== 'name') process.stdout.write(printObjects(objects, format, single, bool(v, 'show-managed-fields')));
    printedAny = true;
    if (format.kind === 'jsonpath' && objects.length > 0 && process.stdout.isTTY) process.stdout.write('\n');
  }
  if (!printedAny && !named && !watching && format.kind !== 'yaml' && format.kind !== 'json') {
    const where = requests.every((r) => !r.info.namespaced) || all ? '' : ` in ${ctx.namespace} namespace.`;
    process.stderr.write(`No resources found${where}\n`);
  }
  if (watching) {
    if (requests.length !== 1) throw new ReportedError(usageError('you may only specify a single resource type'));
    await watch(ctx, fetched[0]!, format, opts, labelSelector, fieldSelector, all);
  }
  if (failed) throw new ReportedError(1);
  return 0;
}

function usageError(msg: string): number {
  process.stderr.write(`error: ${msg}\n`);
  return 1;
}

function withType(obj: KubeObject, req: ResourceRequest): KubeObject {
  const apiVersion = req.info.group ? `${req.info.group}/${req.info.version}` : req.info.version;
  return { apiVersion: obj.apiVersion ?? apiVersion, kind: obj.kind ?? req.info.kind, ...obj };
}

async function watch(ctx: CliContext, f: Fetched, format: OutputFormat, opts: TableOptions, labelSelector?: string, fieldSelector?: string, all = false): Promise<void> {
  const info = f.req.info;
  const ns = all ? undefined : ctx.nsFor(info);
  const rv = f.tables[0]?.metadata.resourceVersion ?? f.list?.metadata.resourceVersion;
  const name = f.req.names.length === 1 ? f.req.names[0] : undefined;
  const fs = [fieldSelector, name ? `metadata.name=${name}` : undefined].filter(Boolean).join(',');
  const path = resourcePath(info, name ? ctx.nsFor(info) : ns) + query({ watch: 'true', resourceVersion: rv, labelSelector, fieldSelector: fs });
  const stream = await openStream(ctx, path, { Accept: format.kind === 'table' ? TABLE_ACCEPT : 'application/json' });
  const stop = () => stream.stop();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  let widths: number[] | undefined;
  let columns = f.tables[0]?.columnDefinitions;
  if (f.tables[0] && format.kind === 'table') {
    const { header, rows } = tableCells(f.tables[0], opts);
    widths = columnWidths([header, ...f.tables.flatMap((t) => tableCells(t, opts).rows), ...rows]);
  }
  for await (const ev of jsonLines<{ type: string; object: unknown }>(stream.chunks)) {
    if (ev.type === 'BOOKMARK') continue;
    if (ev.type === 'ERROR') throw apiError(ev.object as Record<string, unknown>);
    if (format.kind === 'table') {
      const t = ev.object as Table;
      if (t.columnDefinitions?.length) columns = t.columnDefinitions;
      const table: Table = { ...t, columnDefinitions: columns ?? [] };
      const { header, rows } = tableCells(table, opts);
      if (!widths) {
        widths = columnWidths([header, ...rows]);
        if (!opts.noHeaders) process.stdout.write(padRow(header, widths));
      }
      for (const r of rows) {
        r.forEach((c, i) => (widths![i] = Math.max(widths![i] ?? 0, c.length)));
        process.stdout.write(padRow(r, widths));
      }
    } else {
      process.stdout.write(printObjects([withType(ev.object as KubeObject, f.req)], format, true));
    }
  }
}

function sortKey(obj: unknown, path: string): unknown {
  const expr = path.replace(/^\{(.*)\}$/, '$1');
  return evaluate(obj, expr.startsWith('.') || expr.startsWith('$') ? expr : `.${expr}`)[0];
}

function compareValues(a: unknown, b: unknown): number {
  if (a === undefined || a === null) return b === undefined || b === null ? 0 : -1;
  if (b === undefined || b === null) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

/** --sort-by: a stable sort on a JSONPath value, missing values first (as kubectl). */
export function sortObjects(objects: KubeObject[], path: string | undefined): KubeObject[] {
  if (!path) return objects;
  return objects.map((o, i) => ({ o, i, k: sortKey(o, path) })).sort((x, y) => compareValues(x.k, y.k) || x.i - y.i).map((x) => x.o);
}

function sortRows<T extends { object?: KubeObject }>(rows: T[], path: string | undefined): T[] {
  if (!path) return rows;
  return rows.map((r, i) => ({ r, i, k: sortKey(r.object, path) })).sort((x, y) => compareValues(x.k, y.k) || x.i - y.i).map((x) => x.r);
}
