import { describe, expect, it } from 'vitest';
import type { Pod } from '@wharf/api';
import { linuxResources, qosClass } from './resources.js';

const pod = (resources: object[]): Pod =>
  ({ metadata: { name: 'p' }, spec: { containers: resources.map((r, i) => ({ name: `c${i}`, image: 'x', resources: r })) } }) as Pod;

describe('resources', () => {
  it('maps cpu and memory to shares, quota and a limit', () => {
    expect(linuxResources({ name: 'c', resources: { requests: { cpu: '250m' }, limits: { cpu: '500m', memory: '64Mi' } } })).toEqual({
      cpu_shares: 256,
      cpu_period: 100000,
      cpu_quota: 50000,
      memory_limit_in_bytes: 64 * 1024 * 1024,
    });
    expect(linuxResources({ name: 'c' })).toEqual({ cpu_shares: 2 });
  });

  it('classifies QoS as Kubernetes does', () => {
    expect(qosClass(pod([{}]))).toBe('BestEffort');
    expect(qosClass(pod([{ limits: { cpu: '1', memory: '1Gi' } }]))).toBe('Guaranteed');
    expect(qosClass(pod([{ requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } }]))).toBe('Guaranteed');
    expect(qosClass(pod([{ requests: { cpu: '100m' } }]))).toBe('Burstable');
    expect(qosClass(pod([{ limits: { cpu: '1', memory: '1Gi' } }, {}]))).toBe('Burstable');
  });
});
