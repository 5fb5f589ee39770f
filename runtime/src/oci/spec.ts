// Builds an OCI runtime-spec config.json for one container.
import type { OciMount } from './defaults.js';
import { DEFAULT_CAPABILITIES, ALL_CAPABILITIES, DEFAULT_MASKED_PATHS, DEFAULT_READONLY_PATHS, defaultMounts } from './defaults.js';

export interface NamespaceRef {
  type: 'pid' | 'network' | 'ipc' | 'uts' | 'mount' | 'cgroup';
  /** Join this namespace; without a path runc creates a new one. */
  path?: string;
}

export interface ResourceLimits {
  memoryLimitBytes?: number;
  cpuQuota?: number;
  cpuPeriod?: number;
  cpuShares?: number;
  pidsLimit?: number;
  cpusetCpus?: string;
  cpusetMems?: string;
}

export interface SpecInput {
  args: string[];
  env: string[];
  cwd: string;
  uid: number;
  gid: number;
  additionalGids: number[];
  terminal: boolean;
  rootfs: string;
  readonlyRootfs: boolean;
  privileged: boolean;
  addCapabilities: string[];
  dropCapabilities: string[];
  noNewPrivileges: boolean;
  maskedPaths?: string[];
  readonlyPaths?: string[];
  /** Extra mounts after the defaults (pod files, volumes). */
  mounts: OciMount[];
  namespaces: NamespaceRef[];
  cgroupsPath: string;
  resources: ResourceLimits;
  oomScoreAdj?: number;
  annotations: Record<string, string>;
}

function normalizeCap(c: string): string {
  const up = c.toUpperCase();
  return up.startsWith('CAP_') ? up : `CAP_${up}`;
}

export function capabilitySet(privileged: boolean, add: string[], drop: string[]): string[] {
  if (privileged) return [...ALL_CAPABILITIES];
  const dropSet = new Set(drop.map(normalizeCap));
  const base = dropSet.has('CAP_ALL') ? [] : DEFAULT_CAPABILITIES.filter((c) => !dropSet.has(c));
  const addList = add.map(normalizeCap);
  const all = addList.includes('CAP_ALL') ? ALL_CAPABILITIES : addList;
  return [...new Set([...base, ...all])];
}

/** Shares → cgroup v1 cpu.shares: runc converts for v2 itself. */
export function linuxResources(r: ResourceLimits): Record<string, unknown> {
  const out: Record<string, unknown> = { devices: [{ allow: false, access: 'rwm' }] };
  if (r.memoryLimitBytes && r.memoryLimitBytes > 0) {
    // No swap beyond the limit, as the kubelet asks of containerd.
    out.memory = { limit: r.memoryLimitBytes, swap: r.memoryLimitBytes };
  }
  const cpu: Record<string, unknown> = {};
  if (r.cpuShares && r.cpuShares > 0) cpu.shares = r.cpuShares;
  if (r.cpuQuota && r.cpuQuota > 0) cpu.quota = r.cpuQuota;
  if (r.cpuPeriod && r.cpuPeriod > 0) cpu.period = r.cpuPeriod;
  if (r.cpusetCpus) cpu.cpus = r.cpusetCpus;
  if (r.cpusetMems) cpu.mems = r.cpusetMems;
  if (Object.keys(cpu).length > 0) out.cpu = cpu;
  if (r.pidsLimit && r.pidsLimit > 0) out.pids = { limit: r.pidsLimit };
  return out;
}

export function buildSpec(input: SpecInput): Record<string, unknown> {
  const caps = capabilitySet(input.privileged, input.addCapabilities, input.dropCapabilities);
  return {
    ociVersion: '1.0.2',
    process: {
      terminal: input.terminal,
      user: { uid: input.uid, gid: input.gid, additionalGids: input.additionalGids },
      args: input.args,
      env: input.env,
      cwd: input.cwd,
      capabilities: { bounding: caps, effective: caps, permitted: caps },
      noNewPrivileges: input.noNewPrivileges,
      ...(input.oomScoreAdj ? { oomScoreAdj: input.oomScoreAdj } : {}),
    },
    root: { path: input.rootfs, readonly: input.readonlyRootfs },
    mounts: [...defaultMounts(), ...input.mounts],
    annotations: input.annotations,
    linux: {
      cgroupsPath: input.cgroupsPath,
      resources: linuxResources(input.resources),
      namespaces: input.namespaces,
      maskedPaths: input.privileged ? [] : (input.maskedPaths ?? DEFAULT_MASKED_PATHS),
      readonlyPaths: input.privileged ? [] : (input.readonlyPaths ?? DEFAULT_READONLY_PATHS),
    },
  };
}
