// The Node object: registered once at start (created, or adopted if it
// exists), then its status is recomputed every interval and written when it
// changed or a minute passed. Conditions come from the machine (memory, disk,
// pids) and the runtime's own readiness.
import { promises as fs, readFileSync } from 'node:fs';
import os from 'node:os';
import { deepCopy, formatCpu, isAlreadyExists, isConflict, type Logger, type Node, type NodeCondition, type NodeStatus } from '@wharf/api';
import { R, type ApiClient } from '@wharf/client';
import type { RuntimeClient } from '@wharf/proto';
import type { CompiledOptions } from './options.js';

export const KUBELET_VERSION = 'v1.32.0-wharf';

function readFirst(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return '';
  }
}

function osImage(): string {
  const text = readFirst('/etc/os-release');
  const m = /^PRETTY_NAME="?([^"\n]*)"?/m.exec(text);
  return m?.[1] ?? 'Linux';
}

interface Pressure {
  memory: boolean;
  disk: boolean;
  pid: boolean;
}

async function pressure(rootDir: string): Promise<Pressure> {
  const mem = readFirst('/proc/meminfo');
  const avail = Number(/MemAvailable:\s+(\d+)/.exec(mem)?.[1] ?? '0') * 1024;
  let disk = false;
  try {
    const st = await fs.statfs(rootDir);
    disk = st.blocks > 0 && st.bavail / st.blocks < 0.1;
  } catch {
    disk = false;
  }
  const pidMax = Number(readFirst('/proc/sys/kernel/pid_max') || '32768');
  const loadavg = readFirst('/proc/loadavg').split(' ');
  const procs = Number(loadavg[3]?.split('/')[1] ?? '0');
  return { memory: avail > 0 && avail < 100 * 1024 * 1024, disk, pid: procs > pidMax * 0.9 };
}

export class NodeStatusReporter {
  private lastWritten = '';
  private lastWriteAt = 0;
  private runtimeVersion = 'wharf://unknown';
  /** spec.podCIDR as last read (set by node IPAM or the installer). */
  podCIDR: string | undefined;
  onPodCIDR: ((cidr: string) => void) | undefined;

  constructor(
    private readonly client: ApiClient,
    private readonly runtime: RuntimeClient,
    private readonly o: CompiledOptions,
    private readonly log: Logger,
    private readonly listenPort: () => number,
  ) {}

  private capacity(): Record<string, string> {
    return {
      cpu: formatCpu(this.o.cpuMillis / 1000),
      memory: `${Math.floor(this.o.memoryBytes / 1024)}Ki`,
      pods: String(this.o.maxPods),
      'ephemeral-storage': '10Gi',
    };
  }

  private async compute(old: NodeStatus | undefined): Promise<NodeStatus> {
    let runtimeReady = false;
    let runtimeMessage = 'container runtime is down';
    try {
      const v = await this.runtime.version({}, { timeoutMs: 2000 });
      this.runtimeVersion = `${v.runtime_name || 'wharf'}://${v.runtime_version}`;
      const st = await this.runtime.status({}, { timeoutMs: 2000 });
      const notReady = st.status?.conditions.filter((c) => !c.status) ?? [];
      runtimeReady = notReady.length === 0;
      runtimeMessage = notReady.map((c) => `${c.type}: ${c.message || c.reason}`).join('; ') || 'runtime is ready';
    } catch (err) {
      runtimeMessage = `container runtime is unreachable: ${err instanceof Error ? err.message : String(err)}`;
    }
    // The node's images, largest first, at most 50 (the kubelet's nodeStatusMaxImages).
    let images: Array<{ names: string[]; sizeBytes: number }> | undefined;
    try {
      const list = await this.runtime.listImages({}, { timeoutMs: 5000 });
      images = list.images
        .map((i) => ({ names: [...i.repo_digests, ...i.repo_tags], sizeBytes: i.size }))
        .filter((i) => i.names.length > 0)
        .sort((a, b) => b.sizeBytes - a.sizeBytes)
        .slice(0, 50);
    } catch {
      images = old?.images as typeof images;
    }
    const p = await pressure(this.o.rootDir);
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const cond = (type: string, bad: boolean, okReason: string, okMsg: string, badReason: string, badMsg: string): NodeCondition => {
      const status = type === 'Ready' ? (bad ? 'False' : 'True') : bad ? 'True' : 'False';
      const prev = old?.conditions?.find((c) => c.type === type);
      return {
        type,
        status,
        lastHeartbeatTime: now,
        lastTransitionTime: prev && prev.status === status && prev.lastTransitionTime ? prev.lastTransitionTime : now,
        reason: bad ? badReason : okReason,
        message: bad ? badMsg : okMsg,
      };
    };
    const cap = this.capacity();
    return {
      capacity: cap,
      allocatable: {
        ...cap,
        cpu: formatCpu(Math.max(0, this.o.cpuMillis - this.o.reservedCpuMillis) / 1000),
        memory: `${Math.floor(Math.max(0, this.o.memoryBytes - this.o.reservedMemoryBytes) / 1024)}Ki`,
      },
      conditions: [
        cond('MemoryPressure', p.memory, 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available', 'KubeletHasInsufficientMemory', 'kubelet has insufficient memory available'),
        cond('DiskPressure', p.disk, 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure', 'KubeletHasDiskPressure', 'kubelet has disk pressure'),
        cond('PIDPressure', p.pid, 'KubeletHasSufficientPID', 'kubelet has sufficient PID available', 'KubeletHasInsufficientPID', 'kubelet has insufficient PID available'),
        cond('Ready', !runtimeReady, 'KubeletReady', 'kubelet is posting ready status', 'KubeletNotReady', runtimeMessage),
      ],
      addresses: [
        { type: 'InternalIP', address: this.o.nodeIP },
        { type: 'Hostname', address: this.o.nodeName },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: this.o.advertisePort ?? this.listenPort() } },
      ...(images ? { images } : {}),
      nodeInfo: {
        machineID: readFirst('/etc/machine-id'),
        systemUUID: readFirst('/sys/class/dmi/id/product_uuid') || readFirst('/etc/machine-id'),
        bootID: readFirst('/proc/sys/kernel/random/boot_id'),
        kernelVersion: os.release(),
        osImage: osImage(),
        containerRuntimeVersion: this.runtimeVersion,
        kubeletVersion: KUBELET_VERSION,
        kubeProxyVersion: KUBELET_VERSION,
        operatingSystem: 'linux',
        architecture: os.arch() === 'x64' ? 'amd64' : os.arch(),
      },
    };
  }

  /** Creates the Node, or adopts an existing one (labels merged); returns it. */
  async register(): Promise<Node> {
    const labels = {
      'kubernetes.io/hostname': this.o.nodeName,
      'kubernetes.io/os': 'linux',
      'kubernetes.io/arch': os.arch() === 'x64' ? 'amd64' : os.arch(),
      ...this.o.labels,
    };
    const body: Node = { apiVersion: 'v1', kind: 'Node', metadata: { name: this.o.nodeName, labels }, spec: {} };
    let node: Node;
    try {
      node = await this.client.create<Node>(R.nodes, undefined, body);
      this.log.info('registered node', { node: this.o.nodeName });
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      node = await this.client.get<Node>(R.nodes, undefined, this.o.nodeName);
      const missing = Object.entries(labels).some(([k, v]) => node.metadata.labels?.[k] !== v);
      if (missing) node = await this.client.patch<Node>(R.nodes, undefined, this.o.nodeName, 'merge', { metadata: { labels } });
    }
    await this.update(true);
    return node;
  }

  /** Recomputes the status and writes it when it changed (or when `force`, or a minute passed). */
  async update(force = false): Promise<void> {
    for (let i = 0; i < 3; i++) {
      const node = await this.client.get<Node>(R.nodes, undefined, this.o.nodeName);
      const cidr = node.spec?.podCIDR;
      if (cidr && cidr !== this.podCIDR) {
        this.podCIDR = cidr;
        this.onPodCIDR?.(cidr);
      }
      const status = await this.compute(node.status);
      const cmp = JSON.stringify({ ...status, conditions: status.conditions?.map((c) => ({ ...c, lastHeartbeatTime: '' })) });
      if (!force && cmp === this.lastWritten && Date.now() - this.lastWriteAt < 60_000) return;
      const next = deepCopy(node);
      next.status = { ...(node.status ?? {}), ...status };
      try {
        await this.client.update<Node>(R.nodes, { ...next, apiVersion: 'v1', kind: 'Node' }, { subresource: 'status' });
        this.lastWritten = cmp;
        this.lastWriteAt = Date.now();
        return;
      } catch (err) {
        if (!isConflict(err)) throw err;
      }
    }
  }
}
