// TypeScript shapes of runtime.proto messages as @grpc/proto-loader decodes
// them with the options in load.ts: snake_case field names, int64 as number,
// enums as their names, scalars/lists/maps always present (defaults), message
// fields null when unset, bytes as Buffer. Callers may send any DeepPartial.

export type DeepPartial<T> = T extends Buffer
  ? T | Uint8Array
  : T extends (infer U)[]
    ? DeepPartial<U>[]
    : T extends object
      ? { [K in keyof T]?: DeepPartial<T[K]> | null }
      : T;

export type Labels = Record<string, string>;

// ---------------------------------------------------------------- version

export interface VersionRequest { version: string }
export interface VersionResponse {
  version: string;
  runtime_name: string;
  runtime_version: string;
  runtime_api_version: string;
}
export interface StatusRequest { verbose: boolean }
export interface RuntimeCondition { type: string; status: boolean; reason: string; message: string }
export interface StatusResponse { status: { conditions: RuntimeCondition[] } | null; info: Labels }

// ---------------------------------------------------------------- sandboxes

export type NamespaceMode = 'POD' | 'CONTAINER' | 'NODE' | 'TARGET';
export interface NamespaceOption { network: NamespaceMode; pid: NamespaceMode; ipc: NamespaceMode; target_id: string }
export interface PodSandboxMetadata { name: string; uid: string; namespace: string; attempt: number }
export interface DNSConfig { servers: string[]; searches: string[]; options: string[] }
export interface PortMapping { protocol: string; container_port: number; host_port: number; host_ip: string }
export interface LinuxPodSandboxConfig {
  cgroup_parent: string;
  security_context: { namespace_options: NamespaceOption | null; privileged: boolean } | null;
  sysctls: Labels;
}
export interface PodSandboxConfig {
  metadata: PodSandboxMetadata | null;
  hostname: string;
  log_directory: string;
  dns_config: DNSConfig | null;
  port_mappings: PortMapping[];
  labels: Labels;
  annotations: Labels;
  linux: LinuxPodSandboxConfig | null;
}
export interface RunPodSandboxRequest { config: PodSandboxConfig | null; runtime_handler: string }
export interface RunPodSandboxResponse { pod_sandbox_id: string }
export interface PodSandboxIdRequest { pod_sandbox_id: string }
export type StopPodSandboxRequest = PodSandboxIdRequest;
export type RemovePodSandboxRequest = PodSandboxIdRequest;
export interface PodSandboxStatusRequest { pod_sandbox_id: string; verbose: boolean }
export type PodSandboxState = 'SANDBOX_READY' | 'SANDBOX_NOTREADY';
export interface PodSandboxStatus {
  id: string;
  metadata: PodSandboxMetadata | null;
  state: PodSandboxState;
  /** Nanoseconds since the epoch. */
  created_at: number;
  network: { ip: string; additional_ips: { ip: string }[] } | null;
  linux: { namespaces: { options: NamespaceOption | null } | null } | null;
  labels: Labels;
  annotations: Labels;
  runtime_handler: string;
}
export interface PodSandboxStatusResponse { status: PodSandboxStatus | null; info: Labels }
export interface PodSandboxFilter { id: string; state: { state: PodSandboxState } | null; label_selector: Labels }
export interface ListPodSandboxRequest { filter: PodSandboxFilter | null }
export interface PodSandbox {
  id: string;
  metadata: PodSandboxMetadata | null;
  state: PodSandboxState;
  created_at: number;
  labels: Labels;
  annotations: Labels;
  runtime_handler: string;
}
export interface ListPodSandboxResponse { items: PodSandbox[] }

// ---------------------------------------------------------------- containers

export interface ImageSpec { image: string; annotations: Labels }
export interface KeyValue { key: string; value: string }
export type MountPropagation = 'PROPAGATION_PRIVATE' | 'PROPAGATION_HOST_TO_CONTAINER' | 'PROPAGATION_BIDIRECTIONAL';
export interface Mount {
  container_path: string;
  host_path: string;
  readonly: boolean;
  selinux_relabel: boolean;
  propagation: MountPropagation;
}
export interface LinuxContainerResources {
  cpu_period: number;
  cpu_quota: number;
  cpu_shares: number;
  memory_limit_in_bytes: number;
  oom_score_adj: number;
  cpuset_cpus: string;
  cpuset_mems: string;
  pids_limit: number;
}
export interface LinuxContainerSecurityContext {
  capabilities: { add_capabilities: string[]; drop_capabilities: string[] } | null;
  privileged: boolean;
  namespace_options: NamespaceOption | null;
  run_as_user: { value: number } | null;
  run_as_group: { value: number } | null;
  run_as_username: string;
  readonly_rootfs: boolean;
  supplemental_groups: number[];
  no_new_privs: boolean;
  masked_paths: string[];
  readonly_paths: string[];
}
export interface ContainerMetadata { name: string; attempt: number }
export interface ContainerConfig {
  metadata: ContainerMetadata | null;
  image: ImageSpec | null;
  command: string[];
  args: string[];
  working_dir: string;
  envs: KeyValue[];
  mounts: Mount[];
  labels: Labels;
  annotations: Labels;
  log_path: string;
  stdin: boolean;
  stdin_once: boolean;
  tty: boolean;
  linux: { resources: LinuxContainerResources | null; security_context: LinuxContainerSecurityContext | null } | null;
}
export interface CreateContainerRequest {
  pod_sandbox_id: string;
  config: ContainerConfig | null;
  sandbox_config: PodSandboxConfig | null;
}
export interface CreateContainerResponse { container_id: string }
export interface ContainerIdRequest { container_id: string }
export type StartContainerRequest = ContainerIdRequest;
export type RemoveContainerRequest = ContainerIdRequest;
export interface StopContainerRequest { container_id: string; timeout: number }
export type ContainerState = 'CONTAINER_CREATED' | 'CONTAINER_RUNNING' | 'CONTAINER_EXITED' | 'CONTAINER_UNKNOWN';
export interface ContainerFilter {
  id: string;
  state: { state: ContainerState } | null;
  pod_sandbox_id: string;
  label_selector: Labels;
}
export interface ListContainersRequest { filter: ContainerFilter | null }
export interface Container {
  id: string;
  pod_sandbox_id: string;
  metadata: ContainerMetadata | null;
  image: ImageSpec | null;
  image_ref: string;
  state: ContainerState;
  created_at: number;
  labels: Labels;
  annotations: Labels;
}
export interface ListContainersResponse { containers: Container[] }
export interface ContainerStatusRequest { container_id: string; verbose: boolean }
export interface ContainerStatus {
  id: string;
  metadata: ContainerMetadata | null;
  state: ContainerState;
  created_at: number;
  started_at: number;
  finished_at: number;
  exit_code: number;
  image: ImageSpec | null;
  image_ref: string;
  reason: string;
  message: string;
  labels: Labels;
  annotations: Labels;
  mounts: Mount[];
  log_path: string;
  resources: LinuxContainerResources | null;
  pid: number;
  pod_sandbox_id: string;
}
export interface ContainerStatusResponse { status: ContainerStatus | null; info: Labels }
export interface UpdateContainerResourcesRequest { container_id: string; linux: LinuxContainerResources | null }
export type Empty = Record<string, never>;

// ---------------------------------------------------------------- exec

export interface ExecSyncRequest { container_id: string; cmd: string[]; timeout: number }
export interface ExecSyncResponse { stdout: Buffer; stderr: Buffer; exit_code: number }
export interface ExecStart { container_id: string; cmd: string[]; tty: boolean; stdin: boolean }
export interface TerminalSize { width: number; height: number }
/** One of the fields is set; `frame` names it. */
export interface ExecClientFrame {
  frame?: 'start' | 'stdin' | 'resize' | 'close_stdin';
  start?: ExecStart | null;
  stdin?: Buffer | Uint8Array;
  resize?: TerminalSize | null;
  close_stdin?: boolean;
}
export interface ExecServerFrame {
  frame?: 'stdout' | 'stderr' | 'exit_code';
  stdout?: Buffer;
  stderr?: Buffer;
  exit_code?: number;
}

// ---------------------------------------------------------------- stats

export interface CpuUsage { timestamp: number; usage_core_nano_seconds: number; usage_nano_cores: number }
export interface MemoryUsage {
  timestamp: number;
  working_set_bytes: number;
  available_bytes: number;
  usage_bytes: number;
  rss_bytes: number;
  page_faults: number;
  major_page_faults: number;
}
export interface ProcessUsage { timestamp: number; process_count: number }
export interface FilesystemUsage {
  timestamp: number;
  fs_id: { mountpoint: string } | null;
  used_bytes: number;
  inodes_used: number;
}
export interface ContainerStats {
  attributes: { id: string; metadata: ContainerMetadata | null; labels: Labels; annotations: Labels } | null;
  cpu: CpuUsage | null;
  memory: MemoryUsage | null;
  writable_layer: FilesystemUsage | null;
  process: ProcessUsage | null;
}
export interface ContainerStatsRequest { container_id: string }
export interface ContainerStatsResponse { stats: ContainerStats | null }
export interface ListContainerStatsRequest {
  filter: { id: string; pod_sandbox_id: string; label_selector: Labels } | null;
}
export interface ListContainerStatsResponse { stats: ContainerStats[] }
export interface PodSandboxStats {
  attributes: { id: string; metadata: PodSandboxMetadata | null; labels: Labels; annotations: Labels } | null;
  linux: {
    cpu: CpuUsage | null;
    memory: MemoryUsage | null;
    process: ProcessUsage | null;
    containers: ContainerStats[];
  } | null;
}
export interface PodSandboxStatsRequest { pod_sandbox_id: string }
export interface PodSandboxStatsResponse { stats: PodSandboxStats | null }

// ---------------------------------------------------------------- images

export interface Image {
  id: string;
  repo_tags: string[];
  repo_digests: string[];
  size: number;
  uid: { value: number } | null;
  username: string;
  spec: ImageSpec | null;
}
export interface ListImagesRequest { filter: { image: ImageSpec | null } | null }
export interface ListImagesResponse { images: Image[] }
export interface ImageStatusRequest { image: ImageSpec | null; verbose: boolean }
export interface ImageStatusResponse { image: Image | null; info: Labels }
export interface AuthConfig {
  username: string;
  password: string;
  auth: string;
  server_address: string;
  identity_token: string;
  registry_token: string;
}
export interface PullImageRequest { image: ImageSpec | null; auth: AuthConfig | null; sandbox_config: PodSandboxConfig | null }
export interface PullImageResponse { image_ref: string }
export interface RemoveImageRequest { image: ImageSpec | null }
export interface ImageFsInfoResponse { image_filesystems: FilesystemUsage[] }
