// Finding the pod (and container) a logs/exec/port-forward call targets:
// `pod`, `pod/name`, or a workload (`deploy/web`) whose first pod is used.
import type { KubeObject } from '@wharf/api';
import { R } from '@wharf/client';
import { CliError } from './cli-error.js';
import type { CliContext } from './context.js';
import { resolveType } from './resource-args.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type PodJson = KubeObject & Record<string, any>;

export async function resolvePod(ctx: CliContext, arg: string): Promise<PodJson> {
  const slash = arg.indexOf('/');
  if (slash < 0) return ctx.api.get<PodJson>(R.pods, ctx.namespace, arg);
  const info = resolveType(arg.slice(0, slash));
  const name = arg.slice(slash + 1);
  if (info.kind === 'Pod') return ctx.api.get<PodJson>(R.pods, ctx.namespace, name);
  const owner = await ctx.api.get<PodJson>(info, ctx.namespace, name);
  const sel: Record<string, string> | undefined = info.kind === 'Service' ? owner['spec']?.selector : owner['spec']?.selector?.matchLabels;
  if (!sel || Object.keys(sel).length === 0) throw new CliError(`cannot attach to ${info.kind.toLowerCase()} "${name}": it selects no pods`);
  const pods = await ctx.api.list<PodJson>(R.pods, ctx.namespace, { labelSelector: Object.entries(sel).map(([k, v]) => `${k}=${v}`).join(',') });
  const running = pods.items.filter((p) => !p.metadata.deletionTimestamp).sort((a, b) => Number(b['status']?.phase === 'Running') - Number(a['status']?.phase === 'Running'));
  const pod = running[0];
  if (!pod) throw new CliError(`timed out waiting for the condition`);
  return pod;
}

/** The container named by -c, or the default one with kubectl's notice when there are several. */
export function pickContainer(pod: PodJson, requested: string | undefined, quiet = false): string {
  const names: string[] = (pod['spec']?.containers ?? []).map((c: { name: string }) => c.name);
  if (requested) {
    const all = [...names, ...(pod['spec']?.initContainers ?? []).map((c: { name: string }) => c.name)];
    if (!all.includes(requested)) throw new CliError(`container ${requested} is not valid for pod ${pod.metadata.name}`);
    return requested;
  }
  const annotated = pod.metadata.annotations?.['kubectl.kubernetes.io/default-container'];
  const chosen = annotated && names.includes(annotated) ? annotated : names[0];
  if (!chosen) throw new CliError(`pod ${pod.metadata.name} has no containers`);
  if (names.length > 1 && !quiet) process.stderr.write(`Defaulted container "${chosen}" out of: ${names.join(', ')}\n`);
  return chosen;
}
