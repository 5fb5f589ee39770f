// `wharf apply -f`: server-side apply by default (field manager `wharf`), or
// kubectl's client-side three-way strategic merge with --server-side=false.
import { ApiError, createThreeWayMergePatch, schemaFor, type KubeObject } from '@wharf/api';
import type { FlagSpec } from '../flags.js';
import { parseOutputFormat, printObjects } from '../printers/object-printer.js';
import { CliError, ReportedError } from '../verbs/cli-error.js';
import type { CliContext } from '../verbs/context.js';
import { formatError } from '../verbs/format-error.js';
import { readManifests, type ManifestObject } from '../verbs/manifests.js';
import { infoForObject, qualifiedName } from '../verbs/resource-args.js';
import { bool, runVerb, str, strs } from '../verbs/run-verb.js';
import { conflictReport, objectNamespace } from '../verbs/apply-helpers.js';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

const FLAGS: FlagSpec[] = [
  { name: 'filename', short: 'f', type: 'strings', help: 'files, directories or - for stdin' },
  { name: 'recursive', short: 'R', type: 'boolean' },
  { name: 'server-side', type: 'boolean', help: 'true (default); --server-side=false for client-side apply' },
  { name: 'force-conflicts', type: 'boolean', help: 'take over fields other managers own' },
  { name: 'field-manager', type: 'string', default: 'wharf' },
  { name: 'dry-run', type: 'string', help: 'none|server|client' },
  { name: 'output', short: 'o', type: 'string' },
  { name: 'validate', type: 'string', default: 'strict' },
];

export function run(args: string[]): Promise<number> {
  return runVerb(args, { usage: 'apply (-f FILENAME | -k DIRECTORY) [flags]', flags: FLAGS, run: apply });
}

async function apply(ctx: CliContext, { values }: { values: Record<string, unknown> }): Promise<number> {
  const v = values as Parameters<typeof str>[0];
  const serverSide = v['server-side'] !== false;
  // Only an explicit --server-side prints kubectl's `serverside-applied`.
  const explicitSsa = v['server-side'] === true;
  const dryRun = str(v, 'dry-run');
  if (dryRun && !['none', 'server', 'client'].includes(dryRun)) throw new CliError(`Invalid dry-run value (${dryRun}). Must be "none", "server", or "client".`);
  const manifests = readManifests(strs(v, 'filename'), bool(v, 'recursive'));
  if (manifests.length === 0) throw new CliError('no objects passed to apply');
  const format = parseOutputFormat(str(v, 'output'));
  const validation = str(v, 'validate') === 'false' ? 'Ignore' : str(v, 'validate') === 'warn' ? 'Warn' : 'Strict';
  let failed = false;
  const results: KubeObject[] = [];
  for (const m of manifests) {
    try {
      const { object, verb } = serverSide
        ? await applyServerSide(ctx, m, { manager: str(v, 'field-manager') ?? 'wharf', force: bool(v, 'force-conflicts'), dryRun, validation, explicit: explicitSsa })
        : await applyClientSide(ctx, m, { dryRun, validation });
      results.push(object);
      if (format.kind === 'table') {
        const suffix = dryRun === 'server' ? ' (server dry run)' : dryRun === 'client' ? ' (dry run)' : '';
        process.stdout.write(`${qualifiedName(infoForObject(m.object), m.object.metadata.name ?? object.metadata.name ?? '')} ${verb}${suffix}\n`);
      }
    } catch (err) {
      failed = true;
      process.stderr.write(`${describeApplyError(err, m)}\n`);
    }
  }
  if (format.kind !== 'table' && results.length) process.stdout.write(printObjects(results, format, results.length === 1));
  if (failed) throw new ReportedError(1);
  return 0;
}

function describeApplyError(err: unknown, m: ManifestObject): string {
  if (err instanceof ApiError && err.reason === 'Conflict' && err.details.causes?.some((c) => c.reason === 'FieldManagerConflict')) return conflictReport(err);
  if (err instanceof ApiError && err.reason !== 'Invalid') {
    return `Error from server (${err.reason}): error when applying patch to "${m.source}": ${err.message}`;
  }
  return formatError(err);
}

interface SsaOptions {
  manager: string;
  force: boolean;
  dryRun: string | undefined;
  validation: string;
  explicit: boolean;
}

async function applyServerSide(ctx: CliContext, m: ManifestObject, o: SsaOptions): Promise<{ object: KubeObject; verb: string }> {
  const info = infoForObject(m.object);
  const ns = objectNamespace(ctx, info, m.object);
  const body = structuredClone(m.object);
  if (info.namespaced) body.metadata.namespace = ns;
  const name = body.metadata.name;
  if (!name) throw new CliError(`error when retrieving current configuration of:\nResource: "${info.plural}", GroupVersionKind: "${m.object.apiVersion}, Kind=${m.object.kind}"\nfrom server for: "${m.source}": resource name may not be empty`);
  if (dryClient(o.dryRun)) return { object: body, verb: o.explicit ? 'serverside-applied' : 'configured' };
  let before: KubeObject | undefined;
  try {
    before = await ctx.api.get(info, ns, name);
  } catch (err) {
    if (!(err instanceof ApiError && err.code === 404)) throw err;
  }
  const object = await ctx.api.patch(info, ns, name, 'apply', body, {
    fieldManager: o.manager,
    force: o.force ? 'true' : 'false',
    fieldValidation: o.validation,
    dryRun: o.dryRun === 'server' ? 'All' : undefined,
  });
  if (o.explicit) return { object, verb: 'serverside-applied' };
  const verb = !before ? 'created' : sameContent(before, object) ? 'unchanged' : 'configured';
  return { object, verb };
}

function dryClient(d: string | undefined): boolean {
  return d === 'client';
}

async function applyClientSide(ctx: CliContext, m: ManifestObject, o: { dryRun: string | undefined; validation: string }): Promise<{ object: KubeObject; verb: string }> {
  const info = infoForObject(m.object);
  const ns = objectNamespace(ctx, info, m.object);
  const modified = structuredClone(m.object);
  if (info.namespaced) modified.metadata.namespace = ns;
  const name = modified.metadata.name ?? '';
  const annotated = structuredClone(modified);
  annotated.metadata.annotations = { ...(annotated.metadata.annotations ?? {}), [LAST_APPLIED]: `${JSON.stringify(withEmptyAnnotations(modified))}\n` };
  const params = { fieldManager: 'kubectl-client-side-apply', fieldValidation: o.validation, dryRun: o.dryRun === 'server' ? 'All' : undefined };
  let live: KubeObject | undefined;
  try {
    live = await ctx.api.get(info, ns, name);
  } catch (err) {
    if (!(err instanceof ApiError && err.code === 404)) throw err;
  }
  if (!live) {
    if (dryClient(o.dryRun)) return { object: annotated, verb: 'created' };
    return { object: await ctx.api.create(info, ns, annotated, params), verb: 'created' };
  }
  const originalText = live.metadata.annotations?.[LAST_APPLIED];
  const original = originalText ? (JSON.parse(originalText) as unknown) : {};
  const schema = schemaFor(info.group, info.kind)?.schema;
  if (!schema) throw new CliError(`no schema for ${info.kind}; use server-side apply`);
  const patch = createThreeWayMergePatch(original, annotated, live, schema);
  if (Object.keys(patch).length === 0) return { object: live, verb: 'unchanged' };
  if (dryClient(o.dryRun)) return { object: live, verb: 'configured' };
  return { object: await ctx.api.patch(info, ns, name, 'strategic', patch, params), verb: 'configured' };
}

/** kubectl's last-applied JSON has `metadata.annotations: {}` when the manifest has none. */
function withEmptyAnnotations(obj: KubeObject): KubeObject {
  const copy = structuredClone(obj);
  copy.metadata.annotations = { ...(copy.metadata.annotations ?? {}) };
  delete copy.metadata.annotations[LAST_APPLIED];
  return copy;
}

/** Equal apart from bookkeeping the server rewrites on every apply. */
function sameContent(a: KubeObject, b: KubeObject): boolean {
  const strip = (o: KubeObject) => {
    const { resourceVersion: _rv, managedFields: _mf, ...meta } = o.metadata;
    return JSON.stringify(sortDeep({ ...o, metadata: meta }));
  };
  return strip(a) === strip(b);
}

function sortDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortDeep);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortDeep((v as Record<string, unknown>)[k])]));
  return v;
}
