// The kubelet's /stats/summary: node, pod and container CPU and memory, from
// the runtime's cgroup counters. usageNanoCores is a rate, so it is derived
// from two cumulative samples of usageCoreNanoSeconds (the previous summary's
// and this one's); the first summary reports 0.
import os from 'node:os';
import { readFileSync } from 'node:fs';
import type { Pod } from '@wharf/api';
import type * as P from '@wharf/proto';
import type { RuntimeClient } from '@wharf/proto';
import { CONTAINER_NAME, MANAGED_BY, MANAGER, POD_NAME, POD_NAMESPACE, POD_UID } from './labels.js';
import type { CompiledOptions } from './options.js';

export interface CpuStats {
  time: string;
  usageNanoCores: number;
  usageCoreNanoSeconds: number;
}

export interface MemoryStats {
  time: string;
  availableBytes?: number;
  usageBytes: number;
  workingSetBytes: number;
  rssBytes: number;
  pageFaults: number;
  majorPageFaults: number;
}

export interface ContainerSummary {
  name: string;
  startTime?: string;
  cpu: CpuStats;
  memory: MemoryStats;
}

export interface PodSummary {
  podRef: { name: string; namespace: string; uid: string };
  startTime?: string;
  containers: ContainerSummary[];
  cpu: CpuStats;
  memory: MemoryStats;
}

export interface Summary {
  node: { nodeName: string; startTime: string; cpu: CpuStats; memory: MemoryStats };
  pods: PodSummary[];
}

export class StatsProvider {
  private readonly samples = new Map<string, { ns: number; at: number }>();

  constructor(
    private readonly runtime: RuntimeClient,
    private readonly o: CompiledOptions,
    private readonly pods: () => Pod[],
  ) {}

  /** Keys sampled by the summary being built: others belong to gone containers and are dropped after it. */
  private seen = new Set<string>();

  private rate(key: string, usageNs: number, atNs: number): number {
    this.seen.add(key);
    const prev = this.samples.get(key);
    this.samples.set(key, { ns: usageNs, at: atNs });
    if (!prev || atNs <= prev.at || usageNs < prev.ns) return 0;
    return Math.round(((usageNs - prev.ns) / (atNs - prev.at)) * 1e9);
  }

  private cpu(key: string, u: P.CpuUsage | null): CpuStats {
    const ts = u?.timestamp || Date.now() * 1e6;
    const total = u?.usage_core_nano_seconds ?? 0;
    return { time: nsIso(ts), usageCoreNanoSeconds: total, usageNanoCores: u?.usage_nano_cores || this.rate(key, total, ts) };
  }

  private memory(m: P.MemoryUsage | null): MemoryStats {
    return {
      time: nsIso(m?.timestamp || Date.now() * 1e6),
      ...(m?.available_bytes ? { availableBytes: m.available_bytes } : {}),
      usageBytes: m?.usage_bytes ?? 0,
      workingSetBytes: m?.working_set_bytes ?? 0,
      rssBytes: m?.rss_bytes ?? 0,
      pageFaults: m?.page_faults ?? 0,
      majorPageFaults: m?.major_page_faults ?? 0,
    };
  }

  async summary(): Promise<Summary> {
    this.seen = new Set();
    try {
      return await this.build();
    } finally {
      for (const k of this.samples.keys()) if (!this.seen.has(k)) this.samples.delete(k);
    }
  }

  private async build(): Promise<Summary> {
    const sandboxes = (await this.runtime.listPodSandbox({ filter: { label_selector: { [MANAGED_BY]: MANAGER }, state: { state: 'SANDBOX_READY' } } })).items;
    const byUid = new Map(this.pods().map((p) => [p.metadata.uid!, p]));
    const pods: PodSummary[] = [];
    let podCpuNs = 0;
    let podMem = 0;
    for (const s of sandboxes) {
      const uid = s.labels[POD_UID] ?? '';
      let stats: P.PodSandboxStats | null;
      try {
        stats = (await this.runtime.podSandboxStats({ pod_sandbox_id: s.id })).stats;
      } catch {
        continue;
      }
      const linux = stats?.linux;
      if (!linux) continue;
      const containers = linux.containers
        .filter((c) => (c.cpu?.usage_core_nano_seconds ?? 0) > 0 || (c.memory?.working_set_bytes ?? 0) > 0 || (c.process?.process_count ?? 0) > 0)
        .map((c) => ({ name: c.attributes?.labels[CONTAINER_NAME] ?? c.attributes?.metadata?.name ?? '', cpu: this.cpu(`c/${c.attributes?.id}`, c.cpu), memory: this.memory(c.memory) }));
      const pod = byUid.get(uid);
      podCpuNs += linux.cpu?.usage_core_nano_seconds ?? 0;
      podMem += linux.memory?.working_set_bytes ?? 0;
      pods.push({
        podRef: { name: s.labels[POD_NAME] ?? s.metadata?.name ?? '', namespace: s.labels[POD_NAMESPACE] ?? s.metadata?.namespace ?? '', uid },
        ...(pod?.status?.startTime ? { startTime: pod.status.startTime } : {}),
        containers,
        cpu: this.cpu(`p/${s.id}`, linux.cpu),
        memory: this.memory(linux.memory),
      });
    }
    const nowNs = Date.now() * 1e6;
    const hostCpuNs = hostCpuNanoSeconds();
    const total = os.totalmem();
    const free = os.freemem();
    return {
      node: {
        nodeName: this.o.nodeName,
        startTime: new Date(Date.now() - os.uptime() * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        cpu: { time: nsIso(nowNs), usageCoreNanoSeconds: hostCpuNs ?? podCpuNs, usageNanoCores: this.rate('node', hostCpuNs ?? podCpuNs, nowNs) },
        memory: { time: nsIso(nowNs), availableBytes: free, usageBytes: total - free, workingSetBytes: Math.max(podMem, total - free), rssBytes: podMem, pageFaults: 0, majorPageFaults: 0 },
      },
      pods,
    };
  }
}

function nsIso(ns: number): string {
  return new Date(Math.floor(ns / 1e6)).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Busy CPU time of the whole machine from /proc/stat (user+nice+system+irq+softirq+steal). */
function hostCpuNanoSeconds(): number | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = line;
    const ticks = user + nice + system + irq + softirq + steal;
    return Math.round((ticks / 100) * 1e9);
  } catch {
    return undefined;
  }
}
