// RuntimeService handlers: translate between the wire messages and the
// runtime core. The streaming Exec lives in exec-stream.ts.
import type * as grpc from '@grpc/grpc-js';
import type * as P from '@wharf/proto';
import { toContainerState } from '../container/container-manager.js';
import { execSync } from '../container/exec.js';
import type { Runtime } from '../runtime.js';
import { toPodSandbox, toPodSandboxStatus } from '../sandbox/sandbox-manager.js';
import type { ContainerRecord } from '../state/records.js';
import type { Logger } from '../util/logger.js';
import { execStream } from './exec-stream.js';
import { unary } from './unary.js';

export const RUNTIME_NAME = 'wharf';
export const RUNTIME_VERSION = '0.1.0';
export const RUNTIME_API_VERSION = 'v1';

function toContainer(r: ContainerRecord): P.Container {
  return {
    id: r.id,
    pod_sandbox_id: r.sandboxId,
    metadata: r.metadata,
    image: { image: r.image, annotations: {} },
    image_ref: r.imageRef,
    state: toContainerState(r),
    created_at: r.createdAt,
    labels: r.labels,
    annotations: r.annotations,
  };
}

function toContainerStatus(r: ContainerRecord): P.ContainerStatus {
  return {
    id: r.id,
    metadata: r.metadata,
    state: toContainerState(r),
    created_at: r.createdAt,
    started_at: r.startedAt,
    finished_at: r.finishedAt,
    exit_code: r.exitCode,
    image: { image: r.image, annotations: {} },
    image_ref: r.imageRef,
    reason: r.reason,
    message: r.message,
    labels: r.labels,
    annotations: r.annotations,
    mounts: r.mounts,
    log_path: r.logPath,
    resources: r.resources,
    pid: r.pid,
    pod_sandbox_id: r.sandboxId,
  };
}

export function runtimeHandlers(rt: Runtime, log: Logger): grpc.UntypedServiceImplementation {
  const c = rt.containers;
  return {
    Version: unary('Version', log, async (): Promise<P.VersionResponse> => ({
      version: '0.1.0',
      runtime_name: RUNTIME_NAME,
      runtime_version: RUNTIME_VERSION,
      runtime_api_version: RUNTIME_API_VERSION,
    })),
    Status: unary('Status', log, async (): Promise<P.StatusResponse> => ({
      status: {
        conditions: [
          { type: 'RuntimeReady', status: true, reason: '', message: '' },
          { type: 'NetworkReady', status: true, reason: '', message: '' },
        ],
      },
      info: { cgroupVersion: String(rt.cgroups.version), podCIDR: rt.options.podCidr.text, bridge: rt.options.bridge },
    })),

    RunPodSandbox: unary('RunPodSandbox', log, async (req: P.RunPodSandboxRequest): Promise<P.RunPodSandboxResponse> => {
      const s = await rt.runPodSandbox(req);
      log.info('sandbox ready', { id: s.id, name: s.metadata.name, ip: s.ip });
      return { pod_sandbox_id: s.id };
    }),
    StopPodSandbox: unary('StopPodSandbox', log, async (req: P.StopPodSandboxRequest): Promise<P.Empty> => {
      await rt.stopPodSandbox(req.pod_sandbox_id);
      return {};
    }),
    RemovePodSandbox: unary('RemovePodSandbox', log, async (req: P.RemovePodSandboxRequest): Promise<P.Empty> => {
      await rt.removePodSandbox(req.pod_sandbox_id);
      return {};
    }),
    PodSandboxStatus: unary('PodSandboxStatus', log, async (req: P.PodSandboxStatusRequest): Promise<P.PodSandboxStatusResponse> => {
      const s = rt.sandboxes.get(req.pod_sandbox_id);
      return { status: toPodSandboxStatus(s), info: req.verbose ? { netns: s.netns ?? '', cgroupParent: s.cgroupParent } : {} };
    }),
    ListPodSandbox: unary('ListPodSandbox', log, async (req: P.ListPodSandboxRequest): Promise<P.ListPodSandboxResponse> => ({
      items: rt.sandboxes.list(req.filter).map(toPodSandbox),
    })),

    CreateContainer: unary('CreateContainer', log, async (req: P.CreateContainerRequest): Promise<P.CreateContainerResponse> => {
      const r = await rt.createContainer(req);
      return { container_id: r.id };
    }),
    StartContainer: unary('StartContainer', log, async (req: P.StartContainerRequest): Promise<P.Empty> => {
      await c.start(req.container_id);
      return {};
    }),
    StopContainer: unary('StopContainer', log, async (req: P.StopContainerRequest): Promise<P.Empty> => {
      await c.stopContainer(req.container_id, req.timeout);
      return {};
    }),
    RemoveContainer: unary('RemoveContainer', log, async (req: P.RemoveContainerRequest): Promise<P.Empty> => {
      await c.remove(req.container_id);
      return {};
    }),
    ListContainers: unary('ListContainers', log, async (req: P.ListContainersRequest): Promise<P.ListContainersResponse> => ({
      containers: c.list(req.filter).map(toContainer),
    })),
    ContainerStatus: unary('ContainerStatus', log, async (req: P.ContainerStatusRequest): Promise<P.ContainerStatusResponse> => {
      const r = c.get(req.container_id);
      return {
        status: toContainerStatus(r),
        info: req.verbose ? { bundle: r.bundleDir, cgroup: r.cgroupPath, conmonPid: String(r.conmonPid) } : {},
      };
    }),
    UpdateContainerResources: unary('UpdateContainerResources', log, async (req: P.UpdateContainerResourcesRequest): Promise<P.Empty> => {
      await c.update(req.container_id, req.linux);
      return {};
    }),

    ExecSync: unary('ExecSync', log, async (req: P.ExecSyncRequest): Promise<P.ExecSyncResponse> => {
      const r = c.get(req.container_id);
      rt.requireRunning(r);
      const res = await execSync(c.runc, r.id, req.cmd, req.timeout);
      return { stdout: res.stdout, stderr: res.stderr, exit_code: res.exitCode };
    }),
    Exec: (call: grpc.ServerDuplexStream<P.ExecClientFrame, P.ExecServerFrame>) => execStream(rt, call),

    ContainerStats: unary('ContainerStats', log, async (req: P.ContainerStatsRequest): Promise<P.ContainerStatsResponse> => ({
      stats: await rt.containerStats(c.get(req.container_id)),
    })),
    ListContainerStats: unary('ListContainerStats', log, async (req: P.ListContainerStatsRequest): Promise<P.ListContainerStatsResponse> => {
      const f = req.filter;
      const list = c.list(f ? { id: f.id, pod_sandbox_id: f.pod_sandbox_id, label_selector: f.label_selector, state: null } : null);
      return { stats: await Promise.all(list.map((r) => rt.containerStats(r))) };
    }),
    PodSandboxStats: unary('PodSandboxStats', log, async (req: P.PodSandboxStatsRequest): Promise<P.PodSandboxStatsResponse> => ({
      stats: await rt.podSandboxStats(rt.sandboxes.get(req.pod_sandbox_id)),
    })),
  };
}
