// The sandbox request for a pod: identity labels, hostname, DNS per
// dnsPolicy, host ports, and the log directory containers write under.
import path from 'node:path';
import type { Pod } from '@wharf/api';
import type * as P from '@wharf/proto';
import * as L from './labels.js';

export interface DnsSettings {
  clusterDNS: string[];
  clusterDomain: string;
}

export function podLogDir(rootDir: string, pod: Pod): string {
  return path.join(rootDir, 'logs', `${pod.metadata.namespace ?? 'default'}_${pod.metadata.name}_${pod.metadata.uid}`);
}

export function dnsConfig(pod: Pod, dns: DnsSettings): P.DeepPartial<P.DNSConfig> {
  const spec = pod.spec!;
  const policy = spec.dnsPolicy ?? 'ClusterFirst';
  const custom = spec.dnsConfig;
  let servers: string[] = [];
  let searches: string[] = [];
  let options: string[] = [];
  const clusterFirst = (policy === 'ClusterFirst' && !spec.hostNetwork) || policy === 'ClusterFirstWithHostNet';
  if (clusterFirst && dns.clusterDNS.length > 0) {
    const ns = pod.metadata.namespace ?? 'default';
    servers = [...dns.clusterDNS];
    searches = [`${ns}.svc.${dns.clusterDomain}`, `svc.${dns.clusterDomain}`, dns.clusterDomain];
    options = ['ndots:5'];
  }
  if (policy === 'None' || custom) {
    if (policy === 'None') {
      servers = [];
      searches = [];
      options = [];
    }
    servers = [...servers, ...(custom?.nameservers ?? [])];
    searches = [...searches, ...(custom?.searches ?? [])];
    for (const o of custom?.options ?? []) {
      if (!o.name) continue;
      options = options.filter((x) => x.split(':')[0] !== o.name);
      options.push(o.value !== undefined ? `${o.name}:${o.value}` : o.name);
    }
  }
  return { servers, searches, options };
}

export function sandboxConfig(pod: Pod, attempt: number, rootDir: string, dns: DnsSettings): P.DeepPartial<P.PodSandboxConfig> {
  const spec = pod.spec!;
  const hostname = (spec.hostname ?? pod.metadata.name ?? 'pod').slice(0, 63).replace(/[.-]+$/, '');
  const ports: P.DeepPartial<P.PortMapping>[] = [];
  for (const c of spec.containers) {
    for (const p of c.ports ?? []) {
      if (!p.hostPort) continue;
      ports.push({ protocol: p.protocol ?? 'TCP', container_port: p.containerPort, host_port: p.hostPort, host_ip: p.hostIP ?? '' });
    }
  }
  return {
    metadata: { name: pod.metadata.name!, uid: pod.metadata.uid!, namespace: pod.metadata.namespace ?? 'default', attempt },
    hostname,
    log_directory: podLogDir(rootDir, pod),
    dns_config: dnsConfig(pod, dns),
    port_mappings: ports,
    labels: {
      [L.POD_UID]: pod.metadata.uid!,
      [L.POD_NAME]: pod.metadata.name!,
      [L.POD_NAMESPACE]: pod.metadata.namespace ?? 'default',
      [L.MANAGED_BY]: L.MANAGER,
    },
    annotations: {},
    linux: {
      security_context: {
        namespace_options: {
          network: spec.hostNetwork ? 'NODE' : 'POD',
          pid: spec.hostPID ? 'NODE' : spec.shareProcessNamespace ? 'POD' : 'CONTAINER',
          ipc: spec.hostIPC ? 'NODE' : 'POD',
        },
      },
    },
  };
}
