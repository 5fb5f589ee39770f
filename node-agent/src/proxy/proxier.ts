// The kube-proxy role: Services and EndpointSlices in, one nftables table out.
// Every change schedules a rebuild (coalesced over a few milliseconds); the
// rendered text is applied only when it differs from what is loaded. Before
// any rule, the node routes the whole service CIDR to itself, so a packet for
// a service IP can never leave the machine — with or without rules.
import type { EndpointSlice, Logger, Service } from '@wharf/api';
import type { SharedInformer } from '@wharf/client';
import { runCommand } from '../util/command.js';
import { renderRuleset, type ServicePortRule } from './ruleset.js';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

export interface ProxierOptions {
  serviceCIDR: string;
  services: SharedInformer<Service>;
  slices: SharedInformer<EndpointSlice>;
  log: Logger;
  /** The node's pod CIDR once known (spec.podCIDR), and the bridge pods hang off. */
  podCIDR?: () => string | undefined;
  bridge?: string;
  /** Coalescing window for bursts of changes. */
  debounceMs?: number;
}

export function serviceRules(services: Service[], slices: EndpointSlice[]): ServicePortRule[] {
  const bySvc = new Map<string, EndpointSlice[]>();
  for (const s of slices) {
    const svc = s.metadata.labels?.[SERVICE_NAME_LABEL];
    if (!svc || s.addressType !== 'IPv4') continue;
    const k = `${s.metadata.namespace}/${svc}`;
    bySvc.set(k, [...(bySvc.get(k) ?? []), s]);
  }
  const rules: ServicePortRule[] = [];
  for (const svc of services) {
    const ip = svc.spec?.clusterIP;
    if (!ip || ip === 'None' || svc.spec?.type === 'ExternalName') continue;
    const k = `${svc.metadata.namespace}/${svc.metadata.name}`;
    for (const p of svc.spec?.ports ?? []) {
      const protocol = (p.protocol ?? 'TCP').toLowerCase();
      if (protocol !== 'tcp' && protocol !== 'udp') continue;
      const endpoints = new Map<string, { ip: string; port: number }>();
      for (const slice of bySvc.get(k) ?? []) {
        const sp = slice.ports?.find((x) => (x.name ?? '') === (p.name ?? '') && (x.protocol ?? 'TCP').toLowerCase() === protocol);
        if (!sp?.port) continue;
        for (const ep of slice.endpoints ?? []) {
          // Only ready endpoints get traffic (serving-but-terminating ones are skipped too).
          if (ep.conditions?.ready === false) continue;
          for (const addr of ep.addresses) endpoints.set(`${addr}:${sp.port}`, { ip: addr, port: sp.port });
        }
      }
      const affinity = svc.spec?.sessionAffinity === 'ClientIP' ? (svc.spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? 10800) : undefined;
      rules.push({
        key: `${k}:${p.name ?? ''}`,
        clusterIP: ip,
        port: p.port,
        protocol: protocol as 'tcp' | 'udp',
        nodePort: svc.spec?.type === 'NodePort' || svc.spec?.type === 'LoadBalancer' ? p.nodePort : undefined,
        endpoints: [...endpoints.values()].sort((a, b) => (a.ip + a.port).localeCompare(b.ip + b.port)),
        affinitySeconds: affinity,
      });
    }
  }
  return rules;
}

export class Proxier {
  private applied = '';
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  syncs = 0;
  /** When the last change was noticed, and how long until its rules were in place (for the benchmark). */
  lastChangeAt = 0;
  lastSyncLatencyMs = 0;

  constructor(private readonly o: ProxierOptions) {}

  /** Routes the service CIDR locally and enables forwarding; run before any pod starts. */
  async setupNode(): Promise<void> {
    const steps: Array<[string, string[]]> = [
      ['ip', ['route', 'replace', 'local', this.o.serviceCIDR, 'dev', 'lo']],
      ['sysctl', ['-q', '-w', 'net.ipv4.ip_forward=1']],
      // NodePorts answer on 127.0.0.1 too.
      ['sysctl', ['-q', '-w', 'net.ipv4.conf.all.route_localnet=1']],
    ];
    for (const [cmd, args] of steps) {
      const r = await runCommand(cmd, args);
      if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr.trim()}`);
    }
  }

  /** Something outside the informers changed (the pod CIDR): rebuild. */
  kick(): void {
    this.schedule();
  }

  start(): void {
    const kick = () => this.schedule();
    this.o.services.addEventHandler({ add: kick, update: kick, delete: kick });
    this.o.slices.addEventHandler({ add: kick, update: kick, delete: kick });
    this.schedule();
  }

  private schedule(): void {
    if (this.stopped) return;
    if (!this.lastChangeAt) this.lastChangeAt = Date.now();
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.sync();
    }, this.o.debounceMs ?? 10);
  }

  async sync(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        const changedAt = this.lastChangeAt;
        this.lastChangeAt = 0;
        const text = renderRuleset(serviceRules(this.o.services.store.list(), this.o.slices.store.list()), { podCIDR: this.o.podCIDR?.(), bridge: this.o.bridge });
        if (text !== this.applied) {
          const r = await runCommand('nft', ['-f', '-'], text);
          if (r.code !== 0) {
            this.o.log.error('nft failed', { stderr: r.stderr.slice(0, 2000) });
            this.lastChangeAt = changedAt || Date.now();
            setTimeout(() => this.schedule(), 1000).unref();
            break;
          }
          this.applied = text;
          this.syncs++;
        }
        if (changedAt) this.lastSyncLatencyMs = Date.now() - changedAt;
      } while (this.again);
    })().finally(() => (this.running = undefined));
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}
