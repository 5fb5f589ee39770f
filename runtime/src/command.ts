// `wharf runtime --root … --state … --listen unix://… --bridge … --pod-cidr …`:
// parses flags, serves until SIGTERM/SIGINT, then exits 0.
import { parseArgs } from 'node:util';
import { startRuntime } from './server.js';

export const RUNTIME_USAGE = `usage: wharf runtime [--root DIR] [--state DIR] [--listen unix:///PATH]
                     [--bridge NAME] [--pod-cidr CIDR] [--cgroup-parent PATH] [--quiet]`;

export async function runRuntimeCommand(args: string[]): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        root: { type: 'string' },
        state: { type: 'string' },
        listen: { type: 'string' },
        bridge: { type: 'string' },
        'pod-cidr': { type: 'string' },
        'cgroup-parent': { type: 'string' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${RUNTIME_USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${RUNTIME_USAGE}\n`);
    return 0;
  }
  // A daemon whose state survives restarts still should not die of one stray
  // rejection: log it (the failing request already got its error).
  process.on('unhandledRejection', (reason) =>
    process.stderr.write(`${JSON.stringify({ level: 'error', component: 'runtime', msg: 'unhandled rejection', error: String(reason) })}\n`),
  );
  const str = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
  const handle = await startRuntime({
    ...(str('root') ? { root: str('root') } : {}),
    ...(str('state') ? { state: str('state') } : {}),
    ...(str('listen') ? { listen: str('listen') } : {}),
    ...(str('bridge') ? { bridge: str('bridge') } : {}),
    ...(str('pod-cidr') ? { podCIDR: str('pod-cidr') } : {}),
    ...(str('cgroup-parent') ? { cgroupParent: str('cgroup-parent') } : {}),
    log: !values.quiet,
  });
  await new Promise<void>((resolve) => {
    const onSignal = () => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      resolve();
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
  await handle.stop();
  return 0;
}
