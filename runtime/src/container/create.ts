// Turns a CreateContainer request into a bundle on disk: the overlay rootfs
// and config.json. The caller starts conmon on it.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type * as P from '@wharf/proto';
import { InvalidArgumentError } from '../errors.js';
import { volumeMounts, podFileMounts } from '../oci/mounts.js';
import { mountRootfs } from '../oci/rootfs.js';
import { buildSpec, type NamespaceRef, type ResourceLimits } from '../oci/spec.js';
import type { SandboxRecord } from '../state/records.js';
import type { ResolvedImageRef } from './image-resolver.js';
import { processConfig } from './process-config.js';

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,252}$/;

export function validateContainerConfig(config: P.ContainerConfig | null): P.ContainerConfig {
  if (!config) throw new InvalidArgumentError('config is required');
  if (!config.metadata?.name) throw new InvalidArgumentError('config.metadata.name is required');
  if (!NAME.test(config.metadata.name)) throw new InvalidArgumentError(`config.metadata.name ${JSON.stringify(config.metadata.name)} is not a valid name`);
  if (!config.image?.image) throw new InvalidArgumentError('config.image.image is required');
  const r = config.linux?.resources;
  if (r) {
    for (const k of ['cpu_period', 'cpu_quota', 'cpu_shares', 'memory_limit_in_bytes', 'pids_limit'] as const) {
      if (r[k] < 0 && !(k === 'cpu_quota' && r[k] === -1) && !(k === 'pids_limit' && r[k] === -1)) {
        throw new InvalidArgumentError(`config.linux.resources.${k} must not be negative`);
      }
    }
    if (r.memory_limit_in_bytes > 0 && r.memory_limit_in_bytes < 4 * 1024 * 1024) {
      throw new InvalidArgumentError('config.linux.resources.memory_limit_in_bytes must be at least 4 MiB');
    }
    if (r.cpu_period && (r.cpu_period < 1000 || r.cpu_period > 1_000_000)) {
      throw new InvalidArgumentError('config.linux.resources.cpu_period must be between 1000 and 1000000');
    }
  }
  return config;
}

export function resourceLimits(r: P.LinuxContainerResources | null | undefined): ResourceLimits {
  if (!r) return {};
  const quota = r.cpu_quota > 0 ? r.cpu_quota : undefined;
  return {
    memoryLimitBytes: r.memory_limit_in_bytes || undefined,
    cpuQuota: quota,
    cpuPeriod: r.cpu_period || (quota ? 100_000 : undefined),
    cpuShares: r.cpu_shares || undefined,
    pidsLimit: r.pids_limit > 0 ? r.pids_limit : undefined,
    cpusetCpus: r.cpuset_cpus || undefined,
    cpusetMems: r.cpuset_mems || undefined,
  };
}

export function emptyResources(): P.LinuxContainerResources {
  return { cpu_period: 0, cpu_quota: 0, cpu_shares: 0, memory_limit_in_bytes: 0, oom_score_adj: 0, cpuset_cpus: '', cpuset_mems: '', pids_limit: 0 };
}

export function logPathFor(config: P.ContainerConfig, sandbox: SandboxRecord, root: string, id: string): string {
  let p = config.log_path;
  if (p && !path.isAbsolute(p)) {
    if (!sandbox.logDirectory) throw new InvalidArgumentError('config.log_path is relative but the sandbox has no log_directory');
    p = path.join(sandbox.logDirectory, p);
  }
  if (!p) p = path.join(root, 'logs', sandbox.id, `${config.metadata?.name ?? id}_${config.metadata?.attempt ?? 0}.log`);
  if (p.split('/').includes('..')) throw new InvalidArgumentError('config.log_path must not contain ..');
  return p;
}

/**
 * `podPid` is the host pid of a running container of the same pod: with a
 * pod-wide PID namespace (there is no pause process to hold one), later
 * containers join the namespace of the first one.
 */
export function namespacesFor(sandbox: SandboxRecord, config: P.ContainerConfig, podPid: number | undefined): NamespaceRef[] {
  const ns: NamespaceRef[] = [{ type: 'mount' }];
  if (sandbox.netns) ns.push({ type: 'network', path: sandbox.netns });
  if (sandbox.utsns) ns.push({ type: 'uts', path: sandbox.utsns });
  if (sandbox.ipcns) ns.push({ type: 'ipc', path: sandbox.ipcns });
  const requested = config.linux?.security_context?.namespace_options?.pid;
  const pidMode = requested === 'NODE' || requested === 'POD' ? requested : sandbox.namespaceOptions.pid;
  if (pidMode === 'POD' && podPid) ns.push({ type: 'pid', path: `/proc/${podPid}/ns/pid` });
  else if (pidMode !== 'NODE') ns.push({ type: 'pid' });
  return ns;
}

export interface BundleInput {
  id: string;
  bundleDir: string;
  config: P.ContainerConfig;
  sandbox: SandboxRecord;
  image: ResolvedImageRef;
  cgroupPath: string;
  /** Host pid of a running container of the pod, for a shared PID namespace. */
  podPid?: number;
}

/** Mounts the rootfs and writes config.json. Validation errors surface before anything is mounted. */
export async function writeBundle(b: BundleInput): Promise<void> {
  const volumes = volumeMounts(b.config.mounts);
  const sc = b.config.linux?.security_context;
  await fs.mkdir(b.bundleDir, { recursive: true });
  const rootfs = await mountRootfs(b.bundleDir, b.image.layers);
  const proc = processConfig(b.config, b.image.config.config ?? {}, rootfs, b.sandbox.hostname);
  const spec = buildSpec({
    ...proc,
    terminal: b.config.tty,
    rootfs,
    readonlyRootfs: sc?.readonly_rootfs ?? false,
    privileged: sc?.privileged ?? false,
    addCapabilities: sc?.capabilities?.add_capabilities ?? [],
    dropCapabilities: sc?.capabilities?.drop_capabilities ?? [],
    // Kubernetes' allowPrivilegeEscalation defaults to true; honour the request.
    noNewPrivileges: sc?.no_new_privs ?? false,
    ...(sc?.masked_paths.length ? { maskedPaths: sc.masked_paths } : {}),
    ...(sc?.readonly_paths.length ? { readonlyPaths: sc.readonly_paths } : {}),
    mounts: [...podFileMounts(b.sandbox.dir, volumes), ...volumes],
    namespaces: namespacesFor(b.sandbox, b.config, b.podPid),
    cgroupsPath: b.cgroupPath,
    resources: resourceLimits(b.config.linux?.resources),
    ...(b.config.linux?.resources?.oom_score_adj ? { oomScoreAdj: b.config.linux.resources.oom_score_adj } : {}),
    annotations: b.config.annotations,
  });
  await fs.writeFile(path.join(b.bundleDir, 'config.json'), JSON.stringify(spec));
}
