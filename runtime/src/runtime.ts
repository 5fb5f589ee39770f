// The runtime's core, independent of gRPC: sandboxes, containers and images
// wired together, with the cross-cutting operations (stopping a pod stops its
// containers, stats read the cgroups).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type * as P from '@wharf/proto';
import { Cgroups } from './cgroups/cgroups.js';
import { ContainerManager } from './container/container-manager.js';
import { FailedPreconditionError } from './errors.js';
import { ImageStore } from './images/index.js';
import type { CompiledOptions } from './options.js';
import { writableLayerUsage } from './oci/rootfs.js';
import { SandboxManager } from './sandbox/sandbox-manager.js';
import { RecordStore } from './state/record-store.js';
import type { ContainerRecord, SandboxRecord } from './state/records.js';
import { nowNs } from './util/ids.js';

export class Runtime {
  private constructor(
    readonly options: CompiledOptions,
    readonly cgroups: Cgroups,
    readonly images: ImageStore,
    readonly sandboxes: SandboxManager,
    readonly containers: ContainerManager,
  ) {}

  static async open(options: CompiledOptions): Promise<Runtime> {
    for (const dir of [options.root, options.state]) await fs.mkdir(dir, { recursive: true, mode: 0o711 });
    const cgroups = Cgroups.detect();
    const images = await ImageStore.open(path.join(options.root, 'images'));
    const sandboxStore = new RecordStore<SandboxRecord>(path.join(options.state, 'sandboxes'));
    const containerStore = new RecordStore<ContainerRecord>(path.join(options.state, 'containers'));
    await sandboxStore.load();
    await containerStore.load();
    const sandboxes = new SandboxManager(options, sandboxStore, cgroups);
    await sandboxes.init();
    const containers = new ContainerManager(options, containerStore, images, cgroups);
    await containers.init();
    return new Runtime(options, cgroups, images, sandboxes, containers);
  }

  close(): void {
    this.containers.stop();
  }

  runPodSandbox(req: P.RunPodSandboxRequest): Promise<SandboxRecord> {
    return this.sandboxes.run(req);
  }

  /** Kills the pod's containers and releases its network; idempotent. */
  stopPodSandbox(id: string): Promise<void> {
    this.sandboxes.get(id);
    return this.containers.mutex.run(`sandbox:${id}`, async () => {
      const sandbox = this.sandboxes.get(id);
      await Promise.all(this.containers.forSandbox(id).map((c) => this.containers.stopContainer(c.id, 0)));
      await this.sandboxes.markStopped(sandbox);
    });
  }

  /** Removes the pod and everything in it, stopping what still runs. */
  removePodSandbox(id: string): Promise<void> {
    this.sandboxes.get(id);
    return this.containers.mutex.run(`sandbox:${id}`, async () => {
      const sandbox = this.sandboxes.get(id);
      await Promise.all(this.containers.forSandbox(id).map((c) => this.containers.remove(c.id, true)));
      await this.sandboxes.remove(sandbox);
    });
  }

  /** Under the sandbox's lock, so a concurrent RemovePodSandbox cannot miss the new container. */
  createContainer(req: P.CreateContainerRequest): Promise<ContainerRecord> {
    this.sandboxes.get(req.pod_sandbox_id);
    return this.containers.mutex.run(`sandbox:${req.pod_sandbox_id}`, () =>
      this.containers.create(req, this.sandboxes.get(req.pod_sandbox_id)),
    );
  }

  async containerStats(r: ContainerRecord): Promise<P.ContainerStats> {
    const ts = nowNs();
    const live = r.phase === 'running' || r.phase === 'created';
    const usage = live ? await this.cgroups.usage(r.cgroupPath) : undefined;
    const layer = await writableLayerUsage(r.bundleDir);
    const limit = r.resources.memory_limit_in_bytes;
    return {
      attributes: { id: r.id, metadata: r.metadata, labels: r.labels, annotations: r.annotations },
      cpu: { timestamp: ts, usage_core_nano_seconds: usage?.cpuUsageNs ?? 0, usage_nano_cores: 0 },
      memory: {
        timestamp: ts,
        working_set_bytes: usage?.workingSetBytes ?? 0,
        available_bytes: limit > 0 ? Math.max(0, limit - (usage?.workingSetBytes ?? 0)) : 0,
        usage_bytes: usage?.memoryUsageBytes ?? 0,
        rss_bytes: usage?.rssBytes ?? 0,
        page_faults: usage?.pageFaults ?? 0,
        major_page_faults: usage?.majorPageFaults ?? 0,
      },
      writable_layer: { timestamp: ts, fs_id: { mountpoint: r.bundleDir }, used_bytes: layer.bytes, inodes_used: layer.inodes },
      process: { timestamp: ts, process_count: usage?.pids ?? 0 },
    };
  }

  async podSandboxStats(s: SandboxRecord): Promise<P.PodSandboxStats> {
    const ts = nowNs();
    const usage = await this.cgroups.usage(s.cgroupParent);
    const containers = await Promise.all(this.containers.forSandbox(s.id).map((c) => this.containerStats(c)));
    return {
      attributes: { id: s.id, metadata: s.metadata, labels: s.labels, annotations: s.annotations },
      linux: {
        cpu: { timestamp: ts, usage_core_nano_seconds: usage.cpuUsageNs, usage_nano_cores: 0 },
        memory: {
          timestamp: ts,
          working_set_bytes: usage.workingSetBytes,
          available_bytes: 0,
          usage_bytes: usage.memoryUsageBytes,
          rss_bytes: usage.rssBytes,
          page_faults: usage.pageFaults,
          major_page_faults: usage.majorPageFaults,
        },
        process: { timestamp: ts, process_count: usage.pids },
        containers,
      },
    };
  }

  /** Image ids that containers still use, so image GC keeps their layers. */
  imagesInUse(): Set<string> {
    return new Set(this.containers.store.all().map((c) => c.imageId));
  }

  requireRunning(r: ContainerRecord): void {
    if (r.phase !== 'running') throw new FailedPreconditionError(`container ${r.id} is not running`);
  }
}
