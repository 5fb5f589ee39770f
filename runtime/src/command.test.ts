import { describe, expect, it, vi } from 'vitest';
import { runRuntimeCommand } from './command.js';
import { compileOptions } from './options.js';

describe('runRuntimeCommand', () => {
  it('prints usage for --help and rejects unknown flags', async () => {
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await runRuntimeCommand(['--help'])).toBe(0);
      expect(String(out.mock.calls[0]?.[0])).toContain('--pod-cidr');
      expect(await runRuntimeCommand(['--bogus'])).toBe(2);
      expect(String(err.mock.calls[0]?.[0])).toContain('bogus');
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
  });
});

describe('compileOptions', () => {
  it('applies the defaults once', () => {
    const o = compileOptions({});
    expect(o).toMatchObject({
      root: '/var/lib/wharf',
      state: '/run/wharf',
      socketPath: '/run/wharf/runtime.sock',
      bridge: 'wharf0',
      cgroupParent: '/wharf',
    });
    expect(o.podCidr.text).toBe('10.244.0.0/24');
  });

  it('rejects bad listen addresses, bridge names and CIDRs', () => {
    expect(() => compileOptions({ listen: 'tcp://0.0.0.0:1' })).toThrow(/unix/);
    expect(() => compileOptions({ bridge: 'a-very-long-bridge-name' })).toThrow(/bridge/);
    expect(() => compileOptions({ podCIDR: '10.0.0.0/31' })).toThrow(/too small/);
    expect(() => compileOptions({ cgroupParent: '/a/../b' })).toThrow(/\.\./);
  });
});
