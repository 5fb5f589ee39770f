// `wharf node-agent …`: flags → options → startNodeAgent, then run until
// SIGTERM/SIGINT (drain: stop syncing, keep containers) and exit 0.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startNodeAgent } from './agent.js';
import type { NodeAgentOptions } from './options.js';

export const NODE_AGENT_USAGE = `Usage: wharf node-agent [flags]

  --kubeconfig PATH                 credentials for the apiserver
  --runtime-endpoint URL            runtime socket (default unix:///run/wharf/runtime.sock)
  --node-name NAME                  default: the hostname
  --root-dir DIR                    volumes, logs, state (default /var/lib/wharf/agent)
  --listen HOST:PORT|unix:///PATH   logs/exec/stats server (default 127.0.0.1:10250; '' disables)
  --node-ip IP                      address reported as InternalIP
  --advertise-port PORT             port reported in daemonEndpoints (default: the listening port)
  --proxy-token-file PATH           bearer token the apiserver must present
  --cpu Q --memory Q --max-pods N   capacity overrides
  --system-reserved cpu=Q,memory=Q  held back from pods (allocatable = capacity − reserved)
  --cluster-dns IP[,IP]             nameservers for ClusterFirst pods
  --cluster-domain DOMAIN           default cluster.local
  --service-cidr CIDR               default 10.96.0.0/16
  --allowed-host-paths DIR[,DIR]    prefixes hostPath volumes may use
  --crashloop-backoff-base DUR      first restart delay (default 10s)
  --crashloop-backoff-max DUR       ceiling (default 5m)
  --node-labels k=v[,k=v]
  --no-service-proxy                do not program nftables for Services
  --bridge NAME                     the runtime's node bridge (default wharf0; ports get hairpin mode)
  --dns-listen HOST:PORT            cluster DNS server (default <first --cluster-dns>:53; '' disables)
  --dns-upstream HOST:PORT          resolver for names outside the cluster domain
`;

export class NodeAgentFlagError extends Error {
  override readonly name = 'NodeAgentFlagError';
}

/** "10s", "500ms", "5m", or plain milliseconds. */
export function parseDurationMs(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) throw new NodeAgentFlagError(`invalid duration ${JSON.stringify(text)}`);
  const n = Number(m[1]);
  const unit = m[2] ?? 'ms';
  return Math.round(n * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[unit]!);
}

const list = (v: string | undefined) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : undefined);

export function parseNodeAgentFlags(args: string[]): NodeAgentOptions {
  const { values } = parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      kubeconfig: { type: 'string' },
      'runtime-endpoint': { type: 'string' },
      'node-name': { type: 'string' },
      'root-dir': { type: 'string' },
      listen: { type: 'string' },
      'node-ip': { type: 'string' },
      'advertise-port': { type: 'string' },
      'proxy-token-file': { type: 'string' },
      'proxy-token': { type: 'string' },
      cpu: { type: 'string' },
      memory: { type: 'string' },
      'max-pods': { type: 'string' },
      'system-reserved': { type: 'string' },
      'cluster-dns': { type: 'string' },
      'cluster-domain': { type: 'string' },
      'service-cidr': { type: 'string' },
      'allowed-host-paths': { type: 'string' },
      'crashloop-backoff-base': { type: 'string' },
      'crashloop-backoff-max': { type: 'string' },
      'node-labels': { type: 'string' },
      'no-service-proxy': { type: 'boolean' },
      bridge: { type: 'string' },
      'dns-listen': { type: 'string' },
      'dns-upstream': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const o: NodeAgentOptions = {};
  if (values.kubeconfig) o.kubeconfig = values.kubeconfig;
  if (values['runtime-endpoint']) o.runtimeEndpoint = values['runtime-endpoint'];
  if (values['node-name']) o.nodeName = values['node-name'];
  if (values['root-dir']) o.rootDir = values['root-dir'];
  if (values.listen !== undefined) o.listen = values.listen;
  if (values['node-ip']) o.nodeIP = values['node-ip'];
  if (values['advertise-port']) o.advertisePort = Number(values['advertise-port']);
  if (values['proxy-token-file']) o.proxyToken = readFileSync(values['proxy-token-file'], 'utf8').trim();
  if (values['proxy-token']) o.proxyToken = values['proxy-token'];
  if (values.cpu) o.cpu = values.cpu;
  if (values.memory) o.memory = values.memory;
  if (values['max-pods']) o.maxPods = Number(values['max-pods']);
  const reserved = list(values['system-reserved']);
  if (reserved) {
    const r: { cpu?: string; memory?: string } = {};
    for (const kv of reserved) {
      const [k, v] = kv.split('=') as [string, string | undefined];
      if ((k === 'cpu' || k === 'memory') && v) r[k] = v;
      else throw new NodeAgentFlagError(`--system-reserved: expected cpu=Q,memory=Q, got ${kv}`);
    }
    o.systemReserved = r;
  }
  const dns = list(values['cluster-dns']);
  if (dns) o.clusterDNS = dns;
  if (values['cluster-domain']) o.clusterDomain = values['cluster-domain'];
  if (values['service-cidr']) o.serviceCIDR = values['service-cidr'];
  const hostPaths = list(values['allowed-host-paths']);
  if (hostPaths) o.allowedHostPaths = hostPaths;
  if (values['crashloop-backoff-base']) o.crashLoopBackoffBaseMs = parseDurationMs(values['crashloop-backoff-base']);
  if (values['crashloop-backoff-max']) o.crashLoopBackoffMaxMs = parseDurationMs(values['crashloop-backoff-max']);
  const labels = list(values['node-labels']);
  if (labels) o.labels = Object.fromEntries(labels.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  if (values['no-service-proxy']) o.serviceProxy = false;
  if (values.bridge) o.bridge = values.bridge;
  if (values['dns-listen'] !== undefined) o.dnsListen = values['dns-listen'];
  if (values['dns-upstream']) o.dnsUpstream = values['dns-upstream'];
  if (values.help) throw new NodeAgentFlagError(NODE_AGENT_USAGE);
  return o;
}

/** Runs the node agent until SIGTERM or SIGINT; returns the process exit code. */
export async function runNodeAgentCommand(args: string[]): Promise<number> {
  let options: NodeAgentOptions;
  try {
    options = parseNodeAgentFlags(args);
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
  let wake: (() => void) | undefined;
  let signalled = false;
  const onSignal = () => {
    if (signalled) process.exit(130);
    signalled = true;
    wake?.();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  try {
    const agent = await startNodeAgent(options);
    if (!signalled) await new Promise<void>((r) => (wake = r));
    await agent.stop();
    return 0;
  } catch (err) {
    process.stderr.write(`node-agent: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  }
}
