import { describe, expect, it } from 'vitest';
import { intToIp, ipToInt, parseCidr } from './cidr.js';

describe('cidr', () => {
  it('parses a pod CIDR into gateway and last usable address', () => {
    const c = parseCidr('10.244.1.77/24');
    expect(c.text).toBe('10.244.1.0/24');
    expect(intToIp(c.gateway)).toBe('10.244.1.1');
    expect(intToIp(c.last)).toBe('10.244.1.254');
    expect(ipToInt('0.0.1.2')).toBe(258);
  });

  it('rejects malformed input', () => {
    for (const bad of ['10.244.0.0', '10.244.0.0/33', '10.244.0/24', '300.1.1.1/24', 'a.b.c.d/8']) {
      expect(() => parseCidr(bad)).toThrow(/invalid/);
    }
  });
});
