// `wharf rollout status|history|undo|restart|pause|resume` for deployments.
import { ApiError, type KubeObject } from '@wharf/api';
import { R } from '@wharf/client';
import type { FlagSpec } from '../flags.js';
import { podTemplate } from '../printers/describe-pod.js';
import { DescribeWriter, TabWriter } from '../printers/tab-writer.js';
import { CliError } from '../verbs/cli-error.js';
import type { CliContext } from '../verbs/context.js';
import { deploymentRolloutStatus } from '../verbs/rollout-status.js';
import { qualifiedName } from '../verbs/resource-args.js';
import { num, runVerb, str } from '../verbs/run-verb.js';
import { resolveTargets, type Target } from '../verbs/targets.js';
import { waitFor } from '../verbs/wait-helpers.js';
import { parseDuration } from './delete.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type J = Record<string, any>;

const REVISION = 'deployment.kubernetes.io/revision';

const FLAGS: FlagSpec[] = [
  { name: 'watch', short: 'w', type: 'boolean', default: true },
  { name: 'timeout', type: 'string' },
  { name: 'revision', type: 'number' },
  { name: 'to-revision', type: 'number' },
];

export function run(args: string[]): Promise<number> {
  return runVerb(args, { usage: 'rollout status|history|undo|restart|pause|resume (TYPE NAME | TYPE/NAME) [flags]', flags: FLAGS, run: rollout });
}

async function rollout(ctx: CliContext, { values, positional }: { values: Record<string, unknown>; positional: string[] }): Promise<number> {
  const v = values as Parameters<typeof str>[0];
  const [sub, ...rest] = positional;
  const subs: Record<string, (ctx: CliContext, t: Target, v: Parameters<typeof str>[0]) => Promise<number>> = { status, history, undo, restart, pause, resume };
  const fn = sub ? subs[sub] : undefined;
  if (!fn) throw new CliError(`unknown command "${sub ?? ''}" for "wharf rollout": expected one of status, history, undo, restart, pause, resume`);
  const targets = await resolveTargets(ctx, rest);
  if (targets.length === 0) throw new CliError('required resource not specified');
  let code = 0;
  for (const t of targets) {
    if (t.info.kind !== 'Deployment') throw new CliError(`no ${sub} implemented for ${t.info.kind.toLowerCase()}.${t.info.group} (only deployments)`);
    code = Math.max(code, await fn(ctx, t, v));
  }
  return code;
}

async function status(ctx: CliContext, t: Target, v: Parameters<typeof str>[0]): Promise<number> {
  const deadline = Date.now() + parseDuration(str(v, 'timeout'), 7 * 24 * 3600_000);
  let last = '';
  let failure: string | undefined;
  const ok = await waitFor(ctx, t, deadline, (obj) => {
    if (!obj) throw new ApiError(404, 'NotFound', `deployments.apps "${t.name}" not found`);
    const s = deploymentRolloutStatus(obj as J);
    if (s.error) {
      failure = s.error;
      return true;
    }
    if (s.message !== last) {
      process.stdout.write(`${s.message}\n`);
      last = s.message;
    }
    return s.done || v['watch'] === false;
  });
  if (failure) throw new CliError(failure);
  if (!ok) throw new CliError('timed out waiting for the condition');
  return 0;
}

async function ownedReplicaSets(ctx: CliContext, d: J): Promise<J[]> {
  const sel = d['spec']?.selector?.matchLabels ?? {};
  const labelSelector = Object.entries(sel).map(([k, val]) => `${k}=${val}`).join(',');
  const list = await ctx.api.list(R.replicasets, d['metadata'].namespace, { labelSelector });
  return (list.items as J[]).filter((rs) => rs['metadata'].ownerReferences?.some((r: J) => r['uid'] === d['metadata'].uid && r['controller']));
}

function revisionOf(rs: J): number {
  return Number(rs['metadata'].annotations?.[REVISION] ?? 0);
}

async function history(ctx: CliContext, t: Target, v: Parameters<typeof str>[0]): Promise<number> {
  const d = await ctx.api.get<KubeObject>(t.info, t.namespace, t.name);
  const sets = (await ownedReplicaSets(ctx, d as J)).sort((a, b) => revisionOf(a) - revisionOf(b));
  const wanted = num(v, 'revision');
  if (wanted !== undefined && wanted > 0) {
    const rs = sets.find((s) => revisionOf(s) === wanted);
    if (!rs) throw new CliError(`unable to find the specified revision`);
    const w = new DescribeWriter();
    const tpl = structuredClone(rs['spec'].template);
    delete tpl.metadata?.labels?.['pod-template-hash'];
    podTemplate(w, 0, tpl);
    process.stdout.write(`${qualifiedName(t.info, t.name)} with revision #${wanted}\n${w.toString()}\n`);
    return 0;
  }
  const tw = new TabWriter(2);
  tw.write('REVISION\tCHANGE-CAUSE');
  for (const rs of sets) if (revisionOf(rs) > 0) tw.write(`${revisionOf(rs)}\t${rs['metadata'].annotations?.['kubernetes.io/change-cause'] ?? '<none>'}`);
  process.stdout.write(`${qualifiedName(t.info, t.name)} \n${tw.toString()}\n\n`);
  return 0;
}

function templateOf(rs: J): J {
  const tpl = structuredClone(rs['spec'].template);
  if (tpl.metadata?.labels) delete tpl.metadata.labels['pod-template-hash'];
  return tpl;
}

async function undo(ctx: CliContext, t: Target, v: Parameters<typeof str>[0]): Promise<number> {
  const d = (await ctx.api.get<KubeObject>(t.info, t.namespace, t.name)) as J;
  if (d['spec']?.paused) throw new CliError(`you cannot rollback a paused deployment; resume it first with 'wharf rollout resume' and try again`);
  const sets = (await ownedReplicaSets(ctx, d)).sort((a, b) => revisionOf(b) - revisionOf(a));
  const to = num(v, 'to-revision') ?? 0;
  let target: J | undefined;
  if (to > 0) {
    target = sets.find((s) => revisionOf(s) === to);
    if (!target) throw new CliError(`unable to find specified revision ${to} in history`);
  } else {
    const current = Number(d['metadata'].annotations?.[REVISION] ?? revisionOf(sets[0] ?? { metadata: {} }));
    target = sets.find((s) => revisionOf(s) > 0 && revisionOf(s) !== current && revisionOf(s) < current) ?? sets.find((s) => revisionOf(s) !== current);
    if (!target) throw new CliError(`no rollout history found for deployment "${t.name}"`);
  }
  const tpl = templateOf(target);
  if (JSON.stringify(sortDeep(tpl)) === JSON.stringify(sortDeep(d['spec'].template))) {
    process.stdout.write(`${qualifiedName(t.info, t.name)} skipped rollback (current template already matches revision ${revisionOf(target)})\n`);
    return 0;
  }
  // Like kubectl: replace the whole template in one JSON patch, so fields absent from the old revision go away.
  const ops = [{ op: 'replace', path: '/spec/template', value: tpl }];
  await ctx.api.patch(t.info, t.namespace, t.name, 'json', ops, { fieldManager: 'wharf-rollout' });
  process.stdout.write(`${qualifiedName(t.info, t.name)} rolled back\n`);
  return 0;
}

function sortDeep(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(sortDeep);
  if (x && typeof x === 'object') return Object.fromEntries(Object.keys(x).sort().map((k) => [k, sortDeep((x as J)[k])]));
  return x;
}

async function restart(ctx: CliContext, t: Target): Promise<number> {
  const d = (await ctx.api.get<KubeObject>(t.info, t.namespace, t.name)) as J;
  if (d['spec']?.paused) throw new CliError(`can't restart paused deployment (run rollout resume first)`);
  const patch = { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': new Date().toISOString().replace(/\.\d+Z$/, 'Z') } } } } };
  await ctx.api.patch(t.info, t.namespace, t.name, 'strategic', patch, { fieldManager: 'wharf-rollout' });
  process.stdout.write(`${qualifiedName(t.info, t.name)} restarted\n`);
  return 0;
}

async function setPaused(ctx: CliContext, t: Target, paused: boolean): Promise<number> {
  const d = (await ctx.api.get<KubeObject>(t.info, t.namespace, t.name)) as J;
  const verb = paused ? 'paused' : 'resumed';
  if (Boolean(d['spec']?.paused) === paused) throw new CliError(`deployments.apps "${t.name}" is ${paused ? 'already paused' : 'not paused'}`);
  await ctx.api.patch(t.info, t.namespace, t.name, 'strategic', { spec: { paused: paused ? true : null } }, { fieldManager: 'wharf-rollout' });
  process.stdout.write(`${qualifiedName(t.info, t.name)} ${verb}\n`);
  return 0;
}

const pause = (ctx: CliContext, t: Target) => setPaused(ctx, t, true);
const resume = (ctx: CliContext, t: Target) => setPaused(ctx, t, false);
