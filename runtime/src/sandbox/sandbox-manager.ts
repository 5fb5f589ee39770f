// Pod sandboxes: namespaces, network and pod files, persisted per sandbox.
// There is no pause process: the namespaces live on as bind mounts, so a
// sandbox costs no memory and starts with a handful of tiny processes.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type * as P from '@wharf/proto';
import type { CompiledOptions } from '../options.js';
import { NotFoundError } from '../errors.js';
import { newId, nowNs } from '../util/ids.js';
import type { RecordStore } from '../state/record-store.js';
import type { SandboxRecord } from '../state/records.js';
import type { Cgroups } from '../cgroups/cgroups.js';
import { Ipam } from './ipam.js';
import { PodNetwork } from './network.js';
import { writePodFiles } from './pod-files.js';
import { validateSandboxConfig } from './validate.js';

export class SandboxManager {
  readonly ipam: Ipam;
  readonly network: PodNetwork;

  constructor(
    private readonly options: CompiledOptions,
    readonly store: RecordStore<SandboxRecord>,
    private readonly cgroups: Cgroups,
  ) {
    this.ipam = new Ipam(path.join(options.state, 'ipam'), options.podCidr);
    this.network = new PodNetwork(path.join(options.state, 'netns'), options.bridge, options.podCidr);
  }

  async init(): Promise<void> {
    await this.ipam.init();
    await this.network.init();
    await this.collectOrphans();
  }

  /**
   * A runtime killed in the middle of RunPodSandbox leaves an IP, namespace
   * files and maybe a veth without a record (the record is written last).
   * Nothing refers to them, so they go.
   */
  private async collectOrphans(): Promise<void> {
    const known = new Set(this.store.all().map((r) => r.id));
    for (const [ip, owner] of await this.ipam.allocated()) if (!known.has(owner)) await this.ipam.release(ip, owner);
    for (const id of await this.network.namespaceOwners()) {
      if (known.has(id)) continue;
      await this.network.teardownNetwork(this.network.vethName(id));
      await this.network.removeNamespaces(id);
    }
  }

  private ownCgroup(id: string): string {
    return `${this.options.cgroupParent}/pod-${id}`;
  }

  get(id: string): SandboxRecord {
    const r = id ? this.store.get(id) : undefined;
    if (!r) throw new NotFoundError(`pod sandbox ${JSON.stringify(id)} not found`);
    return r;
  }

  async run(req: P.RunPodSandboxRequest): Promise<SandboxRecord> {
    const { metadata, hostname, namespaceOptions, sysctls } = validateSandboxConfig(req.config);
    const config = req.config as P.PodSandboxConfig;
    const id = newId();
    const hostNetwork = namespaceOptions.network === 'NODE';
    const record: SandboxRecord = {
      id,
      metadata,
      hostname,
      logDirectory: config.log_directory,
      dns: config.dns_config ?? { servers: [], searches: [], options: [] },
      labels: config.labels,
      annotations: config.annotations,
      runtimeHandler: req.runtime_handler,
      namespaceOptions,
      phase: 'ready',
      createdAt: nowNs(),
      cgroupParent: config.linux?.cgroup_parent || this.ownCgroup(id),
      dir: path.join(this.options.root, 'sandboxes', id),
    };
    try {
      if (!hostNetwork) record.ip = await this.ipam.allocate(id);
      const ns = this.network.namespacePaths(id);
      record.netns = hostNetwork ? undefined : ns.net;
      record.utsns = hostNetwork ? undefined : ns.uts;
      record.ipcns = namespaceOptions.ipc === 'NODE' ? undefined : ns.ipc;
      record.veth = await this.network.setup(id, hostname, record.ip, sysctls);
      await writePodFiles(record.dir, hostname, record.ip, record.dns);
      await this.store.put(record);
      return record;
    } catch (err) {
      await this.releaseAll(record);
      throw err;
    }
  }

  /** Releases the network (veth and IP): what StopPodSandbox frees. */
  async releaseNetwork(record: SandboxRecord): Promise<void> {
    await this.network.teardownNetwork(record.veth);
    if (record.ip) await this.ipam.release(record.ip, record.id);
    record.veth = undefined;
    record.ip = undefined;
  }

  async markStopped(record: SandboxRecord): Promise<void> {
    await this.releaseNetwork(record);
    record.phase = 'notready';
    await this.store.put(record);
  }

  /** Frees everything the sandbox held. Each step tolerates an earlier partial teardown. */
  async releaseAll(record: SandboxRecord): Promise<void> {
    await this.releaseNetwork(record);
    await this.network.removeNamespaces(record.id);
    await fs.rm(record.dir, { recursive: true, force: true });
    // A parent the caller chose may hold other pods: only ours is removed with its subtree.
    await this.cgroups.remove(record.cgroupParent, record.cgroupParent === this.ownCgroup(record.id));
  }

  async remove(record: SandboxRecord): Promise<void> {
    await this.releaseAll(record);
    await this.store.delete(record.id);
  }

  list(filter: P.PodSandboxFilter | null): SandboxRecord[] {
    return this.store.all().filter((r) => {
      if (!filter) return true;
      if (filter.id && !r.id.startsWith(filter.id)) return false;
      if (filter.state && toState(r) !== filter.state.state) return false;
      for (const [k, v] of Object.entries(filter.label_selector ?? {})) if (r.labels[k] !== v) return false;
      return true;
    });
  }
}

export function toState(r: SandboxRecord): P.PodSandboxState {
  return r.phase === 'ready' ? 'SANDBOX_READY' : 'SANDBOX_NOTREADY';
}

export function toPodSandbox(r: SandboxRecord): P.PodSandbox {
  return {
    id: r.id,
    metadata: r.metadata,
    state: toState(r),
    created_at: r.createdAt,
    labels: r.labels,
    annotations: r.annotations,
    runtime_handler: r.runtimeHandler,
  };
}

export function toPodSandboxStatus(r: SandboxRecord): P.PodSandboxStatus {
  return {
    ...toPodSandbox(r),
    network: { ip: r.ip ?? '', additional_ips: [] },
    linux: { namespaces: { options: r.namespaceOptions } },
  };
}
