import { describe, expect, it } from 'vitest';
import { renderRuleset } from './ruleset.js';

describe('renderRuleset', () => {
  it('replaces the table atomically and balances randomly over endpoints', () => {
    const text = renderRuleset([
      { key: 'default/web:http', clusterIP: '10.96.0.20', port: 80, protocol: 'tcp', nodePort: 30080, endpoints: [{ ip: '10.244.0.2', port: 8080 }, { ip: '10.244.0.3', port: 8080 }] },
      { key: 'default/empty:', clusterIP: '10.96.0.21', port: 80, protocol: 'tcp', endpoints: [] },
    ]);
    expect(text.startsWith('add table ip wharf\ndelete table ip wharf\ntable ip wharf {')).toBe(true);
    expect(text).toContain('ip daddr 10.96.0.20 tcp dport 80 jump svc-');
    expect(text).toContain('fib daddr type local tcp dport 30080 jump svc-');
    expect(text).toMatch(/numgen random mod 2 vmap \{ 0 : goto ep-\w+-0, 1 : goto ep-\w+-1 \}/);
    expect(text).toContain('dnat to 10.244.0.3:8080');
    expect(text).not.toContain('10.96.0.21');
  });

  it('masquerades traffic leaving the pod CIDR once the node has one', () => {
    const text = renderRuleset([], { podCIDR: '10.244.3.0/24', bridge: 'wharf0' });
    expect(text).toContain('ip saddr 10.244.3.0/24 ip daddr != 10.244.3.0/24 oifname != "wharf0" masquerade');
  });

  it('pins clients with ClientIP affinity through timed sets', () => {
    const text = renderRuleset([{ key: 'a/b:', clusterIP: '10.96.0.5', port: 53, protocol: 'udp', affinitySeconds: 60, endpoints: [{ ip: '10.244.0.9', port: 53 }] }]);
    expect(text).toMatch(/set aff-\w+-0 \{\n\s+type ipv4_addr\n\s+flags dynamic,timeout\n\s+timeout 60s/);
    expect(text).toMatch(/ip saddr @aff-\w+-0 goto ep-\w+-0/);
    expect(text).toMatch(/update @aff-\w+-0 \{ ip saddr \}/);
  });
});
