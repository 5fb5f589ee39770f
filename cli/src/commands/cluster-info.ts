// `wharf cluster-info`: the control plane URL and the cluster services labelled
// kubernetes.io/cluster-service=true in kube-system.
import { R } from '@wharf/client';
import type { FlagSpec } from '../flags.js';
import { paint } from '../printers/color.js';
import type { CliContext } from '../verbs/context.js';
import { runVerb } from '../verbs/run-verb.js';

const FLAGS: FlagSpec[] = [];

export function run(args: string[]): Promise<number> {
  return runVerb(args, { usage: 'cluster-info [flags]', flags: FLAGS, run: clusterInfo });
}

async function clusterInfo(ctx: CliContext, { positional }: { positional: string[] }): Promise<number> {
  if (positional[0] === 'dump') {
    process.stderr.write('error: cluster-info dump is not supported by wharf; use `wharf get all -A -o yaml`\n');
    return 1;
  }
  const server = ctx.config.server;
  await ctx.request('GET', '/version');
  const line = (what: string, url: string) => `${paint(what, 'green')} is running at ${paint(url, 'yellow')}\n`;
  process.stdout.write(line('Kubernetes control plane', server));
  const services = await ctx.api.list(R.services, 'kube-system', { labelSelector: 'kubernetes.io/cluster-service=true' });
  for (const svc of services.items) {
    const name = svc.metadata.labels?.['kubernetes.io/name'] ?? svc.metadata.name ?? '';
    const port = ((svc as { spec?: { ports?: Array<{ name?: string; port: number }> } }).spec?.ports ?? [])[0];
    const portPart = port ? `:${port.name || port.port}` : '';
    process.stdout.write(line(name, `${server}/api/v1/namespaces/kube-system/services/${svc.metadata.name}${portPart}/proxy`));
  }
  process.stdout.write(`\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n`);
  return 0;
}
