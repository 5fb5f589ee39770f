// User-facing options, compiled once into a complete, validated set.
import { join } from 'node:path';
import { parseCidr, type Cidr } from './registry/service-allocator.js';

export interface ApiServerFlags {
  listen?: string;
  store?: string;
  dataDir?: string;
  serviceCidr?: string;
  nodePortRange?: string;
  writeKubeconfig?: string;
  tlsSans?: string[];
  /** Serve plain HTTP without authentication (for tests of the transport only). */
  insecure?: boolean;
  /** Revisions of history kept by compaction and loaded into the watch cache. */
  historyRevisions?: number;
  /** Events kept per resource for watch resumption. */
  watchCacheEvents?: number;
  /** How often node agents are scraped for metrics.k8s.io ("5s"; metrics-server's --metric-resolution). */
  metricsResolution?: string;
}

export interface ApiServerOptions {
  host: string;
  port: number;
  store: string;
  dataDir: string;
  serviceCidr: Cidr;
  nodePorts: { min: number; max: number };
  writeKubeconfig: string | undefined;
  tlsSans: string[];
  insecure: boolean;
  historyRevisions: number;
  watchCacheEvents: number;
  metricsResolutionMs: number;
}

export function compileOptions(flags: ApiServerFlags): ApiServerOptions {
  const dataDir = flags.dataDir ?? '/var/lib/wharf';
  const listen = flags.listen ?? '127.0.0.1:6443';
  const m = /^(.*):(\d+)$/.exec(listen);
  if (!m) throw new Error(`--listen must be HOST:PORT, got "${listen}"`);
  const port = Number(m[2]);
  if (port > 65535) throw new Error(`--listen port out of range: ${port}`);
  const range = flags.nodePortRange ?? '30000-32767';
  const r = /^(\d+)-(\d+)$/.exec(range);
  if (!r || Number(r[1]) > Number(r[2])) throw new Error(`--service-node-port-range must be MIN-MAX, got "${range}"`);
  const store = flags.store ?? `sqlite:${join(dataDir, 'state.db')}`;
  return {
    host: m[1]!.replace(/^\[|\]$/g, '') || '0.0.0.0',
    port,
    store,
    dataDir,
    serviceCidr: parseCidr(flags.serviceCidr ?? '10.96.0.0/16'),
    nodePorts: { min: Number(r[1]), max: Number(r[2]) },
    writeKubeconfig: flags.writeKubeconfig,
    tlsSans: flags.tlsSans ?? [],
    insecure: flags.insecure ?? false,
    historyRevisions: flags.historyRevisions ?? 10_000,
    watchCacheEvents: flags.watchCacheEvents ?? 10_000,
    metricsResolutionMs: parseMetricsResolution(flags.metricsResolution ?? '5s'),
  };
}

/** Go-style duration ("500ms", "5s", "1m"; a bare number is seconds) for --metrics-resolution. */
function parseMetricsResolution(v: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(v.trim());
  if (!m) throw new Error(`--metrics-resolution must be a duration such as 5s, got "${v}"`);
  const ms = Number(m[1]) * ({ ms: 1, s: 1000, m: 60_000 } as const)[(m[2] ?? 's') as 'ms' | 's' | 'm'];
  if (ms < 100) throw new Error(`--metrics-resolution must be at least 100ms, got "${v}"`);
  return ms;
}
