import { describe, expect, it } from 'vitest';
import type { Service } from '@wharf/api';
import { buildQuery, buildResponse, parseQuery, parseResponse, RCODE_NXDOMAIN, TYPE_A, TYPE_SRV } from './message.js';
import { resolveClusterName } from './records.js';

const svc: Service = { metadata: { name: 'web', namespace: 'shop' }, spec: { clusterIP: '10.96.0.20', ports: [{ name: 'http', port: 80, protocol: 'TCP' }] } };
const lookup = (ns: string, name: string) => (ns === 'shop' && name === 'web' ? svc : undefined);

describe('cluster DNS', () => {
  it('answers A for a service and SRV for its named port', () => {
    const a = resolveClusterName('web.shop.svc.cluster.local', TYPE_A, 'cluster.local', lookup, () => []);
    expect(a.answers).toEqual([{ name: 'web.shop.svc.cluster.local', type: TYPE_A, ttl: 5, ip: '10.96.0.20' }]);
    const srv = resolveClusterName('_http._tcp.web.shop.svc.cluster.local', TYPE_SRV, 'cluster.local', lookup, () => []);
    expect(srv.answers?.[0]).toMatchObject({ port: 80, target: 'web.shop.svc.cluster.local' });
    expect(resolveClusterName('nope.shop.svc.cluster.local', TYPE_A, 'cluster.local', lookup, () => []).nxdomain).toBe(true);
    expect(resolveClusterName('example.com', TYPE_A, 'cluster.local', lookup, () => []).answers).toBeUndefined();
  });

  it('answers a headless service with its ready endpoints', () => {
    const headless: Service = { metadata: { name: 'db', namespace: 'shop' }, spec: { clusterIP: 'None' } };
    const slices = [
      {
        metadata: { name: 'db-1', namespace: 'shop', labels: { 'kubernetes.io/service-name': 'db' } },
        addressType: 'IPv4' as const,
        endpoints: [
          { addresses: ['10.244.0.7'], conditions: { ready: true } },
          { addresses: ['10.244.0.8'], conditions: { ready: false } },
          { addresses: ['10.244.0.6'] },
        ],
      },
    ];
    const r = resolveClusterName('db.shop.svc.cluster.local', TYPE_A, 'cluster.local', () => headless, () => slices);
    expect(r.answers?.map((a) => (a.type === TYPE_A ? a.ip : ''))).toEqual(['10.244.0.6', '10.244.0.7']);
  });

  it('round-trips the wire format', () => {
    const q = parseQuery(buildQuery(77, 'web.shop.svc.cluster.local', TYPE_A));
    expect(q.question).toEqual({ name: 'web.shop.svc.cluster.local', type: TYPE_A, class: 1 });
    const res = parseResponse(
      buildResponse(q, 0, [
        { name: 'web.shop.svc.cluster.local', type: TYPE_A, ttl: 5, ip: '10.96.0.20' },
        { name: '_http._tcp.web.shop.svc.cluster.local', type: TYPE_SRV, ttl: 5, priority: 0, weight: 100, port: 80, target: 'web.shop.svc.cluster.local' },
      ]),
    );
    expect(res.id).toBe(77);
    expect(res.answers.map((a) => a.data)).toEqual(['10.96.0.20', '0 100 80 web.shop.svc.cluster.local']);
    expect(parseResponse(buildResponse(q, RCODE_NXDOMAIN, [])).rcode).toBe(RCODE_NXDOMAIN);
  });
});
