// `wharf describe`: kubectl's describe layouts, with the object's Events
// found by involvedObject (name, namespace, kind, uid) as kubectl queries them.
import { ApiError, type KubeObject, type ResourceInfo } from '@wharf/api';
import { R } from '@wharf/client';
import type { FlagSpec } from '../flags.js';
import { events, type J } from '../printers/describe-common.js';
import { describeConfigMap, describeDeployment, describeEndpoints, describeServiceAccount, describeGeneric, describeNamespace, describeSecret, describeHpa, describeNode, describeReplicaSet, describeService, type Related } from '../printers/describe-kinds.js';
import { describePod } from '../printers/describe-pod.js';
import { DescribeWriter } from '../printers/tab-writer.js';
import { ReportedError } from '../verbs/cli-error.js';
import type { CliContext } from '../verbs/context.js';
import { formatError } from '../verbs/format-error.js';
import { parseResourceArgs, pluralName } from '../verbs/resource-args.js';
import { runVerb, str } from '../verbs/run-verb.js';

const FLAGS: FlagSpec[] = [
  { name: 'selector', short: 'l', type: 'string' },
  { name: 'all-namespaces', short: 'A', type: 'boolean' },
  { name: 'show-events', type: 'boolean', default: true },
];

export function run(args: string[]): Promise<number> {
  return runVerb(args, { usage: 'describe (-f FILENAME | TYPE [NAME_PREFIX | -l label] | TYPE/NAME) [flags]', flags: FLAGS, run: describe });
}

async function describe(ctx: CliContext, { values, positional }: { values: Record<string, unknown>; positional: string[] }): Promise<number> {
  const v = values as Parameters<typeof str>[0];
  const requests = parseResourceArgs(positional, 'describe');
  const outputs: string[] = [];
  let failed = false;
  for (const { info, names } of requests) {
    const ns = ctx.allNamespaces ? undefined : ctx.nsFor(info);
    let objects: KubeObject[] = [];
    if (names.length === 0) {
      objects = (await ctx.api.list(info, ns, { labelSelector: str(v, 'selector') })).items;
      if (objects.length === 0) process.stderr.write(`No resources found${info.namespaced && !ctx.allNamespaces ? ` in ${ctx.namespace} namespace.` : ''}\n`);
    }
    for (const name of names) {
      try {
        objects.push(await ctx.api.get(info, ctx.nsFor(info), name));
      } catch (err) {
        if (!(err instanceof ApiError && err.code === 404)) throw err;
        // kubectl falls back to every object whose name starts with the argument.
        const prefixed = (await ctx.api.list(info, ctx.nsFor(info))).items.filter((o) => o.metadata.name?.startsWith(name));
        if (prefixed.length === 0) {
          failed = true;
          process.stderr.write(`${formatError(err)}\n`);
        }
        objects.push(...prefixed);
      }
    }
    for (const obj of objects) outputs.push(await describeOne(ctx, info, { apiVersion: obj.apiVersion, kind: obj.kind ?? info.kind, ...obj }, v['show-events'] !== false));
  }
  if (outputs.length) process.stdout.write(outputs.join('\n\n'));
  if (failed) throw new ReportedError(1);
  return 0;
}

async function describeOne(ctx: CliContext, info: ResourceInfo, obj: KubeObject, showEvents: boolean): Promise<string> {
  const w = new DescribeWriter();
  const ns = obj.metadata.namespace;
  const rel: Related = {};
  const selector = (obj as J)['spec']?.selector?.matchLabels as Record<string, string> | undefined;
  const labelSelector = selector ? Object.entries(selector).map(([k, val]) => `${k}=${val}`).join(',') : undefined;
  switch (info.kind) {
    case 'Pod':
      describePod(w, obj);
      break;
    case 'Deployment':
      rel.replicaSets = (await ctx.api.list(R.replicasets, ns, { labelSelector })).items as J[];
      describeDeployment(w, obj, rel);
      break;
    case 'ReplicaSet':
      rel.pods = ((await ctx.api.list(R.pods, ns, { labelSelector })).items as J[]).filter((p) => p['metadata'].ownerReferences?.some((r: J) => r['uid'] === obj.metadata.uid));
      describeReplicaSet(w, obj, rel);
      break;
    case 'Service':
      rel.endpoints = await ctx.api.get(R.endpoints, ns, obj.metadata.name ?? '').catch(() => undefined) as J | undefined;
      describeService(w, obj, rel);
      break;
    case 'Node':
      rel.pods = (await ctx.api.list(R.pods, undefined, { fieldSelector: `spec.nodeName=${obj.metadata.name}` })).items as J[];
      rel.lease = (await ctx.api.get(R.leases, 'kube-node-lease', obj.metadata.name ?? '').catch(() => undefined)) as J | undefined;
      describeNode(w, obj, rel);
      break;
    case 'HorizontalPodAutoscaler':
      describeHpa(w, obj);
      break;
    case 'Endpoints':
      describeEndpoints(w, obj);
      break;
    case 'ServiceAccount':
      describeServiceAccount(w, obj);
      break;
    case 'Namespace':
      describeNamespace(w, obj);
      return w.toString();
    case 'ConfigMap':
      describeConfigMap(w, obj);
      break;
    case 'Secret':
      describeSecret(w, obj);
      return w.toString();
    default:
      describeGeneric(w, obj);
  }
  if (showEvents && info.plural !== 'events') {
    const fs = [`involvedObject.name=${obj.metadata.name}`, ns ? `involvedObject.namespace=${ns}` : undefined, `involvedObject.kind=${obj.kind}`, obj.metadata.uid ? `involvedObject.uid=${obj.metadata.uid}` : undefined].filter(Boolean).join(',');
    try {
      const list = await ctx.api.list(R.events, ns, { fieldSelector: fs });
      events(w, list.items as J[]);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      process.stderr.write(`Warning: could not list events for ${pluralName(info)}/${obj.metadata.name}: ${err.message}\n`);
    }
  }
  return w.toString();
}
