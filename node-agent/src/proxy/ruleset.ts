// The nftables ruleset for Services, rendered from scratch on every change
// and loaded in one `nft -f` transaction (add + delete + define the table), so
// packets only ever see the old rules or the new ones.
//
//   prerouting/output (dstnat) → services: ClusterIP:port and <local address>:nodePort
//   svc-<id>: ClientIP affinity sets first, then `numgen random mod N` over ready endpoints
//   ep-<id>: mark for masquerade, remember the client (affinity), DNAT to ip:port
//   postrouting (srcnat): masquerade marked packets — replies then come back
//   through the node even when client and endpoint share the bridge (and a pod
//   that reaches itself through its service — hairpin — gets its answer).
import { createHash } from 'node:crypto';

export interface ServiceEndpoint {
  ip: string;
  port: number;
}

export interface ServicePortRule {
  /** namespace/name:portName, for comments and stable chain names. */
  key: string;
  clusterIP: string;
  port: number;
  protocol: 'tcp' | 'udp';
  nodePort?: number | undefined;
  endpoints: ServiceEndpoint[];
  affinitySeconds?: number | undefined;
}

export const TABLE = 'wharf';
const MASQ_MARK = '0x4000';

function id(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 12);
}

export interface NodeNetwork {
  /** The node's pod CIDR: traffic from it to anywhere else is masqueraded behind the node. */
  podCIDR?: string | undefined;
  bridge?: string | undefined;
}

export function renderRuleset(rules: ServicePortRule[], net: NodeNetwork = {}): string {
  const out: string[] = [`add table ip ${TABLE}`, `delete table ip ${TABLE}`, `table ip ${TABLE} {`];
  const chains: string[] = [];
  const sets: string[] = [];
  const dispatch: string[] = [];
  const sorted = [...rules].sort((a, b) => a.key.localeCompare(b.key));
  for (const r of sorted) {
    const sid = id(r.key);
    const comment = `comment "${r.key.replace(/"/g, '')}"`;
    // No ready endpoint: no rule. The service CIDR is routed locally, so the
    // packet reaches the node itself, where nothing listens: refused at once.
    if (r.endpoints.length === 0) continue;
    dispatch.push(`    ip daddr ${r.clusterIP} ${r.protocol} dport ${r.port} jump svc-${sid} ${comment}`);
    if (r.nodePort) dispatch.push(`    fib daddr type local ${r.protocol} dport ${r.nodePort} jump svc-${sid} ${comment}`);
    const svc: string[] = [];
    r.endpoints.forEach((ep, i) => {
      const eid = `${sid}-${i}`;
      const ep_: string[] = [`    meta mark set meta mark | ${MASQ_MARK}`];
      if (r.affinitySeconds) {
        sets.push(`  set aff-${eid} {\n    type ipv4_addr\n    flags dynamic,timeout\n    timeout ${r.affinitySeconds}s\n  }`);
        svc.push(`    ip saddr @aff-${eid} goto ep-${eid}`);
        ep_.push(`    update @aff-${eid} { ip saddr }`);
      }
      ep_.push(`    meta l4proto ${r.protocol} dnat to ${ep.ip}:${ep.port}`);
      chains.push(`  chain ep-${eid} {\n${ep_.join('\n')}\n  }`);
    });
    if (r.endpoints.length === 1) svc.push(`    goto ep-${sid}-0`);
    else svc.push(`    numgen random mod ${r.endpoints.length} vmap { ${r.endpoints.map((_, i) => `${i} : goto ep-${sid}-${i}`).join(', ')} }`);
    chains.push(`  chain svc-${sid} {\n${svc.join('\n')}\n  }`);
  }
  out.push(...sets);
  out.push(`  chain services {\n${dispatch.join('\n')}\n  }`);
  out.push(...chains);
  out.push(`  chain prerouting {\n    type nat hook prerouting priority -100; policy accept;\n    jump services\n  }`);
  out.push(`  chain output {\n    type nat hook output priority -100; policy accept;\n    jump services\n  }`);
  const egress = net.podCIDR && net.bridge ? `\n    ip saddr ${net.podCIDR} ip daddr != ${net.podCIDR} oifname != "${net.bridge}" masquerade` : '';
  out.push(`  chain postrouting {\n    type nat hook postrouting priority 100; policy accept;\n    meta mark & ${MASQ_MARK} == ${MASQ_MARK} masquerade${egress}\n  }`);
  out.push('}');
  return `${out.join('\n')}\n`;
}
