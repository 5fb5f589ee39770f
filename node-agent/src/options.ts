// Raw options (flags or a caller's object) are compiled once at start-up into
// a complete, validated object; nothing downstream applies defaults.
import os from 'node:os';
import path from 'node:path';
import { milli, parseQuantity } from '@wharf/api';
import type { ApiClient, RestConfig } from '@wharf/client';

export interface NodeAgentOptions {
  /** Path of a kubeconfig; ignored when `client` or `restConfig` is given. */
  kubeconfig?: string;
  restConfig?: RestConfig;
  /** An already built client (the all-in-one server shares one). */
  client?: ApiClient;
  /** `unix:///run/wharf/runtime.sock` or any gRPC target. */
  runtimeEndpoint?: string;
  nodeName?: string;
  /** Volumes, logs and agent state live here. */
  rootDir?: string;
  /** `host:port` or `unix:///path` for the logs/exec/stats server (default 127.0.0.1:10250); '' disables it. */
  listen?: string;
  /** Address the node reports as InternalIP (and the apiserver dials). */
  nodeIP?: string;
  /** Port the node reports in daemonEndpoints (defaults to the listening port). */
  advertisePort?: number;
  /** Bearer token the apiserver must present; empty accepts any caller on the listen address. */
  proxyToken?: string;
  cpu?: string;
  memory?: string;
  maxPods?: number;
  /** Held back from pods: allocatable = capacity − reserved (e.g. { cpu: '100m', memory: '256Mi' }). */
  systemReserved?: { cpu?: string; memory?: string };
  clusterDNS?: string[];
  clusterDomain?: string;
  serviceCIDR?: string;
  /** First CrashLoopBackOff delay and its ceiling, in milliseconds. */
  crashLoopBackoffBaseMs?: number;
  crashLoopBackoffMaxMs?: number;
  /** Host directories (prefixes) that hostPath volumes may use. */
  allowedHostPaths?: string[];
  /** How often pods that are not steady (starting, waiting, backing off, unready) are re-synced. */
  resyncIntervalMs?: number;
  /** How often a steady pod (all containers running and ready, or finished) is re-synced; events sync it at once anyway. */
  steadyResyncIntervalMs?: number;
  /** Pod syncs (not terminations) running at once; default 2 × CPUs, at least 4. */
  maxConcurrentSyncs?: number;
  /** How often the PLEG relists the runtime. */
  relistIntervalMs?: number;
  leaseDurationSeconds?: number;
  nodeStatusIntervalMs?: number;
  labels?: Record<string, string>;
  /** The runtime's node bridge (its ports get hairpin mode). Default wharf0. */
  bridge?: string;
  /** Program nftables for Services (default true). */
  serviceProxy?: boolean;
  /** host:port for the DNS server; default <first cluster DNS IP>:53 when --cluster-dns is set; '' disables. */
  dnsListen?: string;
  /** host:port of a resolver for names outside the cluster domain. */
  dnsUpstream?: string;
}

export interface CompiledOptions {
  client: ApiClient | undefined;
  restConfig: RestConfig | undefined;
  kubeconfig: string | undefined;
  runtimeEndpoint: string;
  nodeName: string;
  rootDir: string;
  listen: { kind: 'tcp'; host: string; port: number } | { kind: 'unix'; path: string } | undefined;
  nodeIP: string;
  advertisePort: number | undefined;
  proxyToken: string;
  cpuMillis: number;
  memoryBytes: number;
  maxPods: number;
  reservedCpuMillis: number;
  reservedMemoryBytes: number;
  clusterDNS: string[];
  clusterDomain: string;
  serviceCIDR: string;
  crashLoopBackoffBaseMs: number;
  crashLoopBackoffMaxMs: number;
  allowedHostPaths: string[];
  resyncIntervalMs: number;
  steadyResyncIntervalMs: number;
  relistIntervalMs: number;
  maxConcurrentSyncs: number;
  leaseDurationSeconds: number;
  nodeStatusIntervalMs: number;
  labels: Record<string, string>;
  serviceProxy: boolean;
  bridge: string;
  dnsListen: { host: string; port: number } | undefined;
  dnsUpstream: string | undefined;
}

export class NodeAgentOptionsError extends Error {
  override readonly name = 'NodeAgentOptionsError';
}

export function parseListen(text: string): CompiledOptions['listen'] {
  if (text === '') return undefined;
  if (text.startsWith('unix://')) return { kind: 'unix', path: path.resolve(text.slice('unix://'.length)) };
  const i = text.lastIndexOf(':');
  if (i < 0) throw new NodeAgentOptionsError(`--listen must be host:port or unix:///path, got ${text}`);
  const port = Number(text.slice(i + 1));
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new NodeAgentOptionsError(`invalid port in --listen ${text}`);
  return { kind: 'tcp', host: text.slice(0, i).replace(/^\[|\]$/g, '') || '0.0.0.0', port };
}

/** The first non-internal IPv4 address, else loopback: what the node reports as InternalIP. */
export function defaultNodeIP(): string {
  for (const addrs of Object.values(os.networkInterfaces())) {
    for (const a of addrs ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
}

export function compileOptions(raw: NodeAgentOptions = {}): CompiledOptions {
  const nodeName = (raw.nodeName ?? os.hostname()).toLowerCase();
  if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(nodeName)) throw new NodeAgentOptionsError(`invalid node name ${JSON.stringify(nodeName)}`);
  const base = raw.crashLoopBackoffBaseMs ?? 10_000;
  const max = raw.crashLoopBackoffMaxMs ?? 300_000;
  if (!(base > 0) || !(max >= base)) throw new NodeAgentOptionsError('crash-loop backoff needs 0 < base <= max');
  const cpuMillis = raw.cpu !== undefined ? milli(raw.cpu) : os.cpus().length * 1000;
  const memoryBytes = raw.memory !== undefined ? parseQuantity(raw.memory) : os.totalmem();
  return {
    client: raw.client,
    restConfig: raw.restConfig,
    kubeconfig: raw.kubeconfig,
    runtimeEndpoint: raw.runtimeEndpoint ?? 'unix:///run/wharf/runtime.sock',
    nodeName,
    rootDir: path.resolve(raw.rootDir ?? '/var/lib/wharf/agent'),
    // Loopback unless told otherwise: without a token the server would hand exec to anyone who can reach it.
    listen: parseListen(raw.listen ?? '127.0.0.1:10250'),
    nodeIP: raw.nodeIP ?? defaultNodeIP(),
    advertisePort: raw.advertisePort,
    proxyToken: raw.proxyToken ?? '',
    cpuMillis,
    memoryBytes,
    maxPods: raw.maxPods ?? 110,
    reservedCpuMillis: raw.systemReserved?.cpu !== undefined ? milli(raw.systemReserved.cpu) : 0,
    reservedMemoryBytes: raw.systemReserved?.memory !== undefined ? parseQuantity(raw.systemReserved.memory) : 0,
    clusterDNS: raw.clusterDNS ?? [],
    clusterDomain: raw.clusterDomain ?? 'cluster.local',
    serviceCIDR: raw.serviceCIDR ?? '10.96.0.0/16',
    crashLoopBackoffBaseMs: base,
    crashLoopBackoffMaxMs: max,
    allowedHostPaths: (raw.allowedHostPaths ?? []).map((p) => path.resolve(p)),
    resyncIntervalMs: raw.resyncIntervalMs ?? 1000,
    steadyResyncIntervalMs: raw.steadyResyncIntervalMs ?? 10_000,
    relistIntervalMs: raw.relistIntervalMs ?? 1000,
    maxConcurrentSyncs: raw.maxConcurrentSyncs ?? Math.max(4, 2 * os.cpus().length),
    leaseDurationSeconds: raw.leaseDurationSeconds ?? 40,
    nodeStatusIntervalMs: raw.nodeStatusIntervalMs ?? 10_000,
    labels: raw.labels ?? {},
    serviceProxy: raw.serviceProxy ?? true,
    bridge: raw.bridge ?? 'wharf0',
    dnsListen: dnsListen(raw.dnsListen, raw.clusterDNS ?? []),
    dnsUpstream: raw.dnsUpstream,
  };
}

function dnsListen(text: string | undefined, clusterDNS: string[]): CompiledOptions['dnsListen'] {
  if (text === '') return undefined;
  if (text === undefined) return clusterDNS[0] ? { host: clusterDNS[0], port: 53 } : undefined;
  const listen = parseListen(text);
  if (!listen || listen.kind !== 'tcp') throw new NodeAgentOptionsError(`--dns-listen must be host:port, got ${text}`);
  return { host: listen.host, port: listen.port };
}
