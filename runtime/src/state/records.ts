// What the runtime persists per sandbox and per container (one JSON file
// each under <state>), enough to answer List/Status after a restart and to
// tear everything down again.
import type * as P from '@wharf/proto';

/**
 * Sandbox lifecycle: `ready` once namespaces and network exist; `notready`
 * after StopPodSandbox (containers killed, network released).
 */
export type SandboxPhase = 'ready' | 'notready';

export interface SandboxRecord {
  id: string;
  metadata: P.PodSandboxMetadata;
  hostname: string;
  logDirectory: string;
  dns: P.DNSConfig;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  runtimeHandler: string;
  namespaceOptions: P.NamespaceOption;
  phase: SandboxPhase;
  createdAt: number;
  /** Undefined with host networking or once the network was released. */
  ip?: string;
  veth?: string;
  netns?: string;
  utsns?: string;
  ipcns?: string;
  /** Pod cgroup, relative to the hierarchy root. */
  cgroupParent: string;
  /** Directory holding the pod's hostname, hosts and resolv.conf. */
  dir: string;
}

/**
 * Container lifecycle, the OCI runtime states: `creating` while the bundle is
 * written and conmon runs `runc create`; `created` once runc holds the
 * process before exec; `running` after `runc start`; `stopped` when the exit
 * file appeared (or the process is known gone).
 */
export type ContainerPhase = 'creating' | 'created' | 'running' | 'stopped';

export interface ContainerRecord {
  id: string;
  sandboxId: string;
  metadata: P.ContainerMetadata;
  image: string;
  imageRef: string;
  imageId: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  mounts: P.Mount[];
  resources: P.LinuxContainerResources;
  logPath: string;
  tty: boolean;
  stdin: boolean;
  phase: ContainerPhase;
  createdAt: number;
  startedAt: number;
  finishedAt: number;
  exitCode: number;
  reason: string;
  message: string;
  pid: number;
  conmonPid: number;
  /** Container cgroup, relative to the hierarchy root. */
  cgroupPath: string;
  bundleDir: string;
  /** The image's snapshot directories, lowest first, to remount the rootfs if needed. */
  layers: string[];
}
