// Cluster DNS names, as CoreDNS's kubernetes plugin answers them:
//   <svc>.<ns>.svc.<domain>                   A: the ClusterIP (headless: every ready endpoint)
//   _<port>._<proto>.<svc>.<ns>.svc.<domain>  SRV: named ports → <svc>.<ns>.svc.<domain>
// Anything else inside the cluster domain is NXDOMAIN.
import type { EndpointSlice, Service } from '@wharf/api';
import { TYPE_A, TYPE_ANY, TYPE_SRV, type Answer } from './message.js';

export interface Lookup {
  /** undefined: the name is not ours (outside the cluster domain). */
  answers: Answer[] | undefined;
  nxdomain: boolean;
}

const TTL = 5;

export function resolveClusterName(
  name: string,
  type: number,
  domain: string,
  services: (namespace: string, name: string) => Service | undefined,
  slices: (namespace: string, service: string) => EndpointSlice[],
): Lookup {
  const suffix = `.svc.${domain}`;
  if (name !== domain && !name.endsWith(`.${domain}`)) return { answers: undefined, nxdomain: false };
  if (!name.endsWith(suffix)) return { answers: [], nxdomain: name !== domain && name !== `svc.${domain}` };
  const labels = name.slice(0, -suffix.length).split('.');
  if (labels.length === 2) {
    const [svcName, ns] = labels as [string, string];
    const svc = services(ns, svcName);
    if (!svc) return { answers: [], nxdomain: true };
    if (type !== TYPE_A && type !== TYPE_ANY) return { answers: [], nxdomain: false };
    const ip = svc.spec?.clusterIP;
    if (ip && ip !== 'None') return { answers: [{ name, type: TYPE_A, ttl: TTL, ip }], nxdomain: false };
    const ips = new Set<string>();
    for (const s of slices(ns, svcName)) for (const ep of s.endpoints ?? []) if (ep.conditions?.ready !== false) for (const a of ep.addresses) ips.add(a);
    return { answers: [...ips].sort().map((a) => ({ name, type: TYPE_A, ttl: TTL, ip: a })), nxdomain: false };
  }
  if (labels.length === 4 && labels[0]!.startsWith('_') && labels[1]!.startsWith('_')) {
    const [portLabel, protoLabel, svcName, ns] = labels as [string, string, string, string];
    const svc = services(ns, svcName);
    const port = svc?.spec?.ports?.find((p) => p.name === portLabel.slice(1) && (p.protocol ?? 'TCP').toLowerCase() === protoLabel.slice(1));
    if (!svc || !port) return { answers: [], nxdomain: true };
    if (type !== TYPE_SRV && type !== TYPE_ANY) return { answers: [], nxdomain: false };
    return { answers: [{ name, type: TYPE_SRV, ttl: TTL, priority: 0, weight: 100, port: port.port, target: `${svcName}.${ns}.svc.${domain}` }], nxdomain: false };
  }
  return { answers: [], nxdomain: true };
}
