// Hairpin mode on every port of the node bridge. With bridge netfilter on, a
// pod's packet to its own service is DNATed while still being bridged and
// must leave through the port it came in on — which a bridge refuses unless
// that port is in hairpin mode (the kubelet's "hairpin-veth" setting).
// Netlink (ip) rather than /sys: sysfs shows the namespace that mounted it,
// which need not be the agent's.
import { runCommand } from '../util/command.js';

export class HairpinSetter {
  private readonly done = new Set<string>();

  constructor(private readonly bridge: string) {}

  async ensure(): Promise<number> {
    const r = await runCommand('ip', ['-d', '-j', 'link', 'show', 'master', this.bridge]);
    if (r.code !== 0) return 0;
    let links: Array<{ ifname: string; linkinfo?: { info_slave_data?: { hairpin?: boolean } } }>;
    try {
      links = JSON.parse(r.stdout || '[]') as typeof links;
    } catch {
      return 0;
    }
    let changed = 0;
    const present = new Set<string>();
    for (const l of links) {
      present.add(l.ifname);
      if (l.linkinfo?.info_slave_data?.hairpin || this.done.has(l.ifname)) continue;
      const set = await runCommand('ip', ['link', 'set', 'dev', l.ifname, 'type', 'bridge_slave', 'hairpin', 'on']);
      if (set.code === 0) {
        this.done.add(l.ifname);
        changed++;
      }
    }
    for (const n of this.done) if (!present.has(n)) this.done.delete(n);
    return changed;
  }
}
