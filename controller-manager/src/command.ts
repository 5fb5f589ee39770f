// `wharf controller-manager`: flags → options → startControllerManager, then
// wait for SIGTERM/SIGINT and stop (controllers drain, the lease is released).
import { createLogger } from '@wharf/api';
import { DEFAULT_CONTROLLER_OPTIONS, type ControllerOptions } from './context.js';
import { startControllerManager, type ControllerManagerOptions } from './manager.js';
import { CONTROLLERS } from './registry.js';

export class FlagError extends Error {
  override name = 'FlagError';
}

const USAGE = `Usage: wharf controller-manager [flags]

Runs the scheduler and the controllers that make the cluster converge.

Flags:
  --kubeconfig PATH                  kubeconfig (default: $KUBECONFIG, ~/.kube/config)
  --leader-elect BOOL                elect a leader through a Lease (default true)
  --leader-elect-lease-duration DUR  (default 15s)
  --leader-elect-renew-deadline DUR  (default 10s)
  --leader-elect-retry-period DUR    (default 2s)
  --node-monitor-grace-period DUR    Lease age after which a node is Unknown (default 15s)
  --node-monitor-period DUR          how often nodes are checked (default 2s)
  --pod-eviction-timeout DUR         default toleration of unreachable nodes (default 10s)
  --cluster-cidr CIDR                pod network (default 10.244.0.0/16)
  --node-cidr-mask-size N            per-node subnet size (default 24)
  --controllers LIST                 '*', names or -names (${Object.keys(CONTROLLERS).join(', ')})
  --concurrent-syncs N               workers per controller (default 5)
  --metrics-listen HOST:PORT         serve /metrics, /healthz, /readyz
  --horizontal-pod-autoscaler-sync-period DUR            how often HPAs are reconciled (default 5s)
  --horizontal-pod-autoscaler-downscale-stabilization DUR  scale-down window without behavior (default 5m)
`;

/** Go-style durations: 500ms, 15s, 2m, 1h30m; a bare number is seconds. */
export function parseDuration(v: string): number {
  if (/^\d+(\.\d+)?$/.test(v)) return Number(v) * 1000;
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
  let total = 0;
  let consumed = 0;
  for (const m of v.matchAll(re)) {
    const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
    total += Number(m[1]) * unit;
    consumed += m[0].length;
  }
  if (consumed !== v.length || consumed === 0) throw new FlagError(`invalid duration "${v}"`);
  return total;
}

export function parseControllerManagerArgs(args: string[]): ControllerManagerOptions & { help?: boolean } {
  const out: ControllerManagerOptions & { help?: boolean } = {};
  const copts: Partial<ControllerOptions> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '-h' || arg === '--help') {
      out.help = true;
      continue;
    }
    if (!arg.startsWith('--')) throw new FlagError(`unexpected argument "${arg}"`);
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
    const value = (): string => {
      if (eq > 0) return arg.slice(eq + 1);
      const v = args[++i];
      if (v === undefined) throw new FlagError(`flag --${name} needs a value`);
      return v;
    };
    switch (name) {
      case 'kubeconfig':
        out.kubeconfig = value();
        break;
      case 'leader-elect': {
        const v = eq > 0 ? arg.slice(eq + 1) : args[i + 1] === 'true' || args[i + 1] === 'false' ? args[++i]! : 'true';
        out.leaderElect = v !== 'false';
        break;
      }
      case 'leader-elect-lease-duration':
        out.leaseDurationMs = parseDuration(value());
        break;
      case 'leader-elect-renew-deadline':
        out.renewDeadlineMs = parseDuration(value());
        break;
      case 'leader-elect-retry-period':
        out.retryPeriodMs = parseDuration(value());
        break;
      case 'node-monitor-grace-period':
        copts.nodeMonitorGracePeriodMs = parseDuration(value());
        break;
      case 'node-monitor-period':
        copts.nodeMonitorPeriodMs = parseDuration(value());
        break;
      case 'pod-eviction-timeout':
        copts.podEvictionTimeoutMs = parseDuration(value());
        break;
      case 'cluster-cidr':
        copts.clusterCIDR = value();
        break;
      case 'node-cidr-mask-size':
        copts.nodeCIDRMaskSize = Number(value());
        break;
      case 'concurrent-syncs':
        copts.workers = Number(value());
        break;
      case 'controllers':
        out.controllers = value().split(',');
        break;
      case 'metrics-listen':
        out.metricsListen = value();
        break;
      case 'horizontal-pod-autoscaler-sync-period':
        copts.hpaSyncPeriodMs = parseDuration(value());
        break;
      case 'horizontal-pod-autoscaler-downscale-stabilization':
        copts.hpaDownscaleStabilizationMs = parseDuration(value());
        break;
      default:
        throw new FlagError(`unknown flag --${name}`);
    }
  }
  out.controllerOptions = { ...DEFAULT_CONTROLLER_OPTIONS, ...copts };
  return out;
}

/** The CLI entry: returns the exit code. */
export async function runControllerManagerCommand(args: string[]): Promise<number> {
  let opts: ReturnType<typeof parseControllerManagerArgs>;
  try {
    opts = parseControllerManagerArgs(args);
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n\n${USAGE}`);
    return 2;
  }
  if (opts.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const log = createLogger('controller-manager');
  const handle = await startControllerManager({ ...opts, log });
  if (handle.metricsAddress()) log.info('serving metrics', { address: handle.metricsAddress() });
  const onSignal = (sig: string) => {
    log.info('signal received, stopping', { signal: sig });
    void handle.stop();
  };
  process.once('SIGTERM', () => onSignal('SIGTERM'));
  process.once('SIGINT', () => onSignal('SIGINT'));
  await handle.done;
  return 0;
}
