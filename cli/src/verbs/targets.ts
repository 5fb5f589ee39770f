// Verbs that act on existing objects (delete, label, scale, …) accept
// `TYPE NAME…`, `TYPE/NAME…`, or `TYPE -l selector` / `TYPE --all`; this
// expands all of them into concrete (resource, namespace, name) targets.
import type { ResourceInfo } from '@wharf/api';
import { CliError } from './cli-error.js';
import type { CliContext } from './context.js';
import { parseResourceArgs } from './resource-args.js';

export interface Target {
  info: ResourceInfo;
  namespace: string | undefined;
  name: string;
}

export async function resolveTargets(ctx: CliContext, positional: string[], opts: { selector?: string | undefined; fieldSelector?: string | undefined; all?: boolean } = {}): Promise<Target[]> {
  const requests = parseResourceArgs(positional, 'other');
  const out: Target[] = [];
  for (const { info, names } of requests) {
    const ns = ctx.allNamespaces ? undefined : ctx.nsFor(info);
    if (names.length > 0) {
      if (opts.selector) throw new CliError('name cannot be provided when a selector is specified');
      for (const name of names) out.push({ info, namespace: ctx.nsFor(info), name });
      continue;
    }
    if (!opts.selector && !opts.all && !opts.fieldSelector) throw new CliError(`resource(s) were provided, but no name was specified`);
    const list = await ctx.api.list(info, ns, { labelSelector: opts.selector, fieldSelector: opts.fieldSelector });
    for (const item of list.items) out.push({ info, namespace: item.metadata.namespace, name: item.metadata.name ?? '' });
  }
  return out;
}
