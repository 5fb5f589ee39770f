import { describe, expect, it } from 'vitest';
import { DEFAULT_CAPABILITIES, DEFAULT_MASKED_PATHS } from './defaults.js';
import { buildSpec, capabilitySet, linuxResources, type SpecInput } from './spec.js';

const input: SpecInput = {
  args: ['sh'],
  env: ['PATH=/bin'],
  cwd: '/',
  uid: 1000,
  gid: 1000,
  additionalGids: [],
  terminal: false,
  rootfs: '/bundle/rootfs',
  readonlyRootfs: true,
  privileged: false,
  addCapabilities: ['NET_ADMIN'],
  dropCapabilities: ['CAP_NET_RAW'],
  noNewPrivileges: true,
  mounts: [],
  namespaces: [{ type: 'mount' }, { type: 'network', path: '/run/wharf/netns/x-net' }],
  cgroupsPath: '/wharf/pod-x/c',
  resources: { memoryLimitBytes: 64 << 20, cpuQuota: 10_000, cpuPeriod: 100_000, pidsLimit: 32 },
  annotations: {},
};

describe('OCI spec', () => {
  it('starts from containerd\'s default capabilities, applying add and drop', () => {
    const caps = capabilitySet(false, ['NET_ADMIN'], ['CAP_NET_RAW']);
    expect(caps).toContain('CAP_NET_ADMIN');
    expect(caps).not.toContain('CAP_NET_RAW');
    expect(caps).not.toContain('CAP_SYS_ADMIN');
    expect(capabilitySet(false, [], ['ALL'])).toEqual([]);
    expect(capabilitySet(true, [], [])).toContain('CAP_SYS_ADMIN');
    expect(DEFAULT_CAPABILITIES).toHaveLength(14);
  });

  it('writes limits, namespaces, masked paths and the process', () => {
    const spec = buildSpec(input) as {
      process: { user: { uid: number }; noNewPrivileges: boolean; capabilities: { bounding: string[] } };
      root: { readonly: boolean };
      mounts: { destination: string }[];
      linux: { resources: Record<string, unknown>; namespaces: unknown[]; maskedPaths: string[]; cgroupsPath: string };
    };
    expect(spec.process.user.uid).toBe(1000);
    expect(spec.process.noNewPrivileges).toBe(true);
    expect(spec.root.readonly).toBe(true);
    expect(spec.mounts.map((m) => m.destination)).toEqual(
      expect.arrayContaining(['/proc', '/dev', '/dev/pts', '/dev/shm', '/dev/mqueue', '/sys', '/sys/fs/cgroup']),
    );
    expect(spec.linux.resources).toMatchObject({
      memory: { limit: 64 << 20 },
      cpu: { quota: 10_000, period: 100_000 },
      pids: { limit: 32 },
    });
    expect(spec.linux.namespaces).toEqual(input.namespaces);
    expect(spec.linux.maskedPaths).toEqual(DEFAULT_MASKED_PATHS);
    expect(spec.linux.cgroupsPath).toBe('/wharf/pod-x/c');
  });

  it('leaves out limits that were not asked for', () => {
    expect(linuxResources({})).toEqual({ devices: [{ allow: false, access: 'rwm' }] });
  });
});
