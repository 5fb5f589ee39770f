// `wharf create -f` and the generators kubectl offers: namespace, configmap,
// secret generic, deployment.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ApiError, resolveResourceName, type KubeObject } from '@wharf/api';
import type { FlagSpec } from '../flags.js';
import { parseOutputFormat, printObjects } from '../printers/object-printer.js';
import { objectNamespace } from '../verbs/apply-helpers.js';
import { CliError, ReportedError } from '../verbs/cli-error.js';
import type { CliContext } from '../verbs/context.js';
import { formatError } from '../verbs/format-error.js';
import { readManifests } from '../verbs/manifests.js';
import { infoForObject, qualifiedName } from '../verbs/resource-args.js';
import { bool, num, runVerb, str, strs } from '../verbs/run-verb.js';

const FLAGS: FlagSpec[] = [
  { name: 'filename', short: 'f', type: 'strings' },
  { name: 'recursive', short: 'R', type: 'boolean' },
  { name: 'output', short: 'o', type: 'string' },
  { name: 'dry-run', type: 'string' },
  { name: 'from-literal', type: 'strings' },
  { name: 'from-file', type: 'strings' },
  { name: 'image', type: 'strings' },
  { name: 'replicas', short: 'r', type: 'number' },
  { name: 'port', type: 'number' },
  { name: 'save-config', type: 'boolean' },
  { name: 'validate', type: 'string', default: 'strict' },
  { name: 'field-manager', type: 'string', default: 'wharf-create' },
];

export function run(args: string[]): Promise<number> {
  return runVerb(args, { usage: 'create -f FILENAME | create namespace|configmap|secret generic|deployment NAME [flags]', flags: FLAGS, run: create });
}

async function create(ctx: CliContext, { values, positional }: { values: Record<string, unknown>; positional: string[] }): Promise<number> {
  const v = values as Parameters<typeof str>[0];
  const format = parseOutputFormat(str(v, 'output'));
  const dryRun = str(v, 'dry-run');
  const params = { fieldManager: str(v, 'field-manager'), fieldValidation: str(v, 'validate') === 'false' ? 'Ignore' : 'Strict', dryRun: dryRun === 'server' ? 'All' : undefined };
  const objects: Array<{ object: KubeObject; source?: string }> = [];
  if (strs(v, 'filename').length) {
    for (const m of readManifests(strs(v, 'filename'), bool(v, 'recursive'))) objects.push({ object: m.object, source: m.source });
  } else {
    objects.push({ object: generate(ctx, positional, v) });
  }
  let failed = false;
  const created: KubeObject[] = [];
  for (const { object, source } of objects) {
    const info = infoForObject(object);
    try {
      const ns = objectNamespace(ctx, info, object);
      const body = structuredClone(object);
      if (ns) body.metadata.namespace = ns;
      const result = dryRun === 'client' ? body : await ctx.api.create(info, ns, body, params);
      created.push({ apiVersion: body.apiVersion, kind: body.kind, ...result });
      if (format.kind === 'table') {
        const suffix = dryRun === 'server' ? ' (server dry run)' : dryRun === 'client' ? ' (dry run)' : '';
        process.stdout.write(`${qualifiedName(info, result.metadata.name ?? '')} created${suffix}\n`);
      }
    } catch (err) {
      failed = true;
      if (err instanceof ApiError && err.reason !== 'Invalid' && source) process.stderr.write(`Error from server (${err.reason}): error when creating "${source}": ${err.message}\n`);
      else process.stderr.write(`${formatError(err)}\n`);
    }
  }
  if (format.kind !== 'table' && created.length) process.stdout.write(printObjects(created, format, created.length === 1));
  if (failed) throw new ReportedError(1);
  return 0;
}

function generate(ctx: CliContext, positional: string[], v: Parameters<typeof str>[0]): KubeObject {
  const [what, ...rest] = positional;
  if (!what) throw new CliError('must specify one of -f and -k');
  const kind = resolveResourceName(what)?.kind ?? what;
  if (kind === 'Secret') {
    if (rest[0] !== 'generic') throw new CliError(`only "secret generic" is supported`);
    rest.shift();
  }
  const name = rest[0];
  if (!name) throw new CliError(`NAME is required for ${what}`);
  switch (kind) {
    case 'Namespace':
      return { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
    case 'ConfigMap':
      return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ctx.namespace }, data: sourceData(v) };
    case 'Secret': {
      const data = Object.fromEntries(Object.entries(sourceData(v)).map(([k, val]) => [k, Buffer.from(val).toString('base64')]));
      return { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: ctx.namespace }, type: 'Opaque', data };
    }
    case 'Deployment':
      return deployment(ctx, name, strs(v, 'image'), num(v, 'replicas') ?? 1, num(v, 'port'));
    default:
      throw new CliError(`unknown generator "${what}": supported are namespace, configmap, secret generic, deployment`);
  }
}

function sourceData(v: Parameters<typeof str>[0]): Record<string, string> {
  const data: Record<string, string> = {};
  for (const lit of strs(v, 'from-literal')) {
    const eq = lit.indexOf('=');
    if (eq <= 0) throw new CliError(`invalid literal source ${lit}, expected key=value`);
    const key = lit.slice(0, eq);
    if (key in data) throw new CliError(`cannot add key ${key}, another key by that name already exists in Data for ConfigMap`);
    data[key] = lit.slice(eq + 1);
  }
  for (const src of strs(v, 'from-file')) {
    const eq = src.indexOf('=');
    const [key, path] = eq > 0 ? [src.slice(0, eq), src.slice(eq + 1)] : [undefined, src];
    if (statSync(path).isDirectory()) {
      for (const f of readdirSync(path)) if (statSync(join(path, f)).isFile()) data[f] = readFileSync(join(path, f), 'utf8');
    } else {
      data[key ?? basename(path)] = readFileSync(path, 'utf8');
    }
  }
  return data;
}

/** What `kubectl create deployment` generates: app=<name> labels, one container per image. */
function deployment(ctx: CliContext, name: string, images: string[], replicas: number, port: number | undefined): KubeObject {
  if (images.length === 0) throw new CliError('required flag(s) "image" not set');
  const containers = images.map((image) => {
    const c: Record<string, unknown> = { name: containerName(image), image, resources: {} };
    if (port !== undefined) c['ports'] = [{ containerPort: port }];
    return c;
  });
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ctx.namespace, labels: { app: name } },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      strategy: {},
      template: { metadata: { labels: { app: name } }, spec: { containers } },
    },
    status: {},
  };
}

function containerName(image: string): string {
  const last = image.split('/').pop() ?? image;
  return last.split(/[:@]/)[0]!.toLowerCase().replace(/[^a-z0-9-]/g, '-');
}
