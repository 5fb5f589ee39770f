// The scheduler's view of each node: allocatable resources minus what bound
// and assumed pods request. Pods are keyed by uid, so an assumed pod that the
// informer later reports as bound replaces itself instead of counting twice.
import type { Node, Pod, Taint } from '@wharf/api';
import { podRequests } from '../util/pod.js';
import { milli, parseQuantity } from '../util/quantity.js';

const NOT_READY_TAINT: Taint = { key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' };

/** Scoring treats a pod without requests as if it asked for this much (Kubernetes' non-zero defaults). */
const DEFAULT_MILLI_CPU = 100;
const DEFAULT_MEMORY = 200 * 1024 * 1024;

interface PodEntry {
  key: string;
  milliCpu: number;
  memory: number;
  nonZeroCpu: number;
  nonZeroMemory: number;
  other: Record<string, number>;
  ports: string[];
  owner: string | undefined;
}

export function hostPorts(pod: Pod): string[] {
  const out: string[] = [];
  for (const c of pod.spec?.containers ?? []) {
    for (const p of c.ports ?? []) {
      if (p.hostPort) out.push(`${p.protocol ?? 'TCP'}/${p.hostPort}`);
    }
  }
  return out;
}

export class NodeInfo {
  node: Node | undefined;
  allocMilliCpu = 0;
  allocMemory = 0;
  allocPods = 110;
  allocOther: Record<string, number> = {};
  reqMilliCpu = 0;
  reqMemory = 0;
  nonZeroCpu = 0;
  nonZeroMemory = 0;
  reqOther: Record<string, number> = {};
  readonly usedPorts = new Map<string, number>();
  readonly pods = new Map<string, PodEntry>();
  readonly ownerCounts = new Map<string, number>();
  ready = false;
  taints: Taint[] = [];
  /**
   * The NoSchedule/NoExecute taints filters check. A node that is not Ready
   * carries the not-ready taint here even before the node lifecycle
   * controller has written it.
   */
  hardTaints: Taint[] = [];

  constructor(readonly name: string) {}

  setNode(node: Node): void {
    this.node = node;
    const alloc = node.status?.allocatable ?? node.status?.capacity ?? {};
    const num = (f: () => number) => {
      try {
        return f();
      } catch {
        return 0;
      }
    };
    this.allocMilliCpu = alloc['cpu'] !== undefined ? num(() => milli(alloc['cpu']!)) : 0;
    this.allocMemory = alloc['memory'] !== undefined ? num(() => parseQuantity(alloc['memory']!)) : 0;
    this.allocPods = alloc['pods'] !== undefined ? num(() => parseQuantity(alloc['pods']!)) : 110;
    this.allocOther = {};
    for (const [k, v] of Object.entries(alloc)) if (k !== 'cpu' && k !== 'memory' && k !== 'pods') this.allocOther[k] = num(() => parseQuantity(v));
    this.ready = node.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
    this.taints = node.spec?.taints ?? [];
    this.hardTaints = this.taints.filter((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute');
    const marked = this.taints.some((t) => t.key === NOT_READY_TAINT.key || t.key === 'node.kubernetes.io/unreachable');
    if (!this.ready && !marked) this.hardTaints.push(NOT_READY_TAINT);
  }

  get podCount(): number {
    return this.pods.size;
  }

  addPod(uid: string, pod: Pod): void {
    if (this.pods.has(uid)) this.removePod(uid);
    const r = podRequests(pod);
    const ref = pod.metadata.ownerReferences?.find((o) => o.controller);
    const entry: PodEntry = {
      key: `${pod.metadata.namespace}/${pod.metadata.name}`,
      milliCpu: r.milliCpu,
      memory: r.memory,
      nonZeroCpu: r.milliCpu || DEFAULT_MILLI_CPU,
      nonZeroMemory: r.memory || DEFAULT_MEMORY,
      other: r.other,
      ports: hostPorts(pod),
      owner: ref?.uid,
    };
    this.pods.set(uid, entry);
    this.reqMilliCpu += entry.milliCpu;
    this.reqMemory += entry.memory;
    this.nonZeroCpu += entry.nonZeroCpu;
    this.nonZeroMemory += entry.nonZeroMemory;
    for (const [k, v] of Object.entries(entry.other)) this.reqOther[k] = (this.reqOther[k] ?? 0) + v;
    for (const p of entry.ports) this.usedPorts.set(p, (this.usedPorts.get(p) ?? 0) + 1);
    if (entry.owner) this.ownerCounts.set(entry.owner, (this.ownerCounts.get(entry.owner) ?? 0) + 1);
  }

  removePod(uid: string): void {
    const e = this.pods.get(uid);
    if (!e) return;
    this.pods.delete(uid);
    this.reqMilliCpu -= e.milliCpu;
    this.reqMemory -= e.memory;
    this.nonZeroCpu -= e.nonZeroCpu;
    this.nonZeroMemory -= e.nonZeroMemory;
    for (const [k, v] of Object.entries(e.other)) this.reqOther[k] = (this.reqOther[k] ?? 0) - v;
    for (const p of e.ports) {
      const n = (this.usedPorts.get(p) ?? 1) - 1;
      if (n <= 0) this.usedPorts.delete(p);
      else this.usedPorts.set(p, n);
    }
    if (e.owner) {
      const n = (this.ownerCounts.get(e.owner) ?? 1) - 1;
      if (n <= 0) this.ownerCounts.delete(e.owner);
      else this.ownerCounts.set(e.owner, n);
    }
  }
}

/** Nodes plus where every known pod sits; assumed pods count before the API confirms them. */
export class SchedulerCache {
  readonly nodes = new Map<string, NodeInfo>();
  /** Order nodes are visited in; rotated so load spreads when only a sample is scored. */
  nodeNames: string[] = [];
  private readonly podNode = new Map<string, string>();
  readonly assumed = new Map<string, string>();

  private info(name: string): NodeInfo {
    let n = this.nodes.get(name);
    if (!n) this.nodes.set(name, (n = new NodeInfo(name)));
    return n;
  }

  setNode(node: Node): void {
    const name = node.metadata.name ?? '';
    const isNew = !this.nodes.get(name)?.node;
    this.info(name).setNode(node);
    if (isNew) this.nodeNames.push(name);
  }

  removeNode(name: string): void {
    const n = this.nodes.get(name);
    if (!n) return;
    n.node = undefined;
    this.nodeNames = this.nodeNames.filter((x) => x !== name);
    if (n.pods.size === 0) this.nodes.delete(name);
  }

  /** Records a pod the informer reports on a node (or drops it if it no longer occupies one). */
  updatePod(pod: Pod, occupies: boolean): void {
    const uid = pod.metadata.uid ?? '';
    const nodeName = pod.spec?.nodeName;
    const prev = this.podNode.get(uid);
    // An unbound pod may be assumed: only the bind result or its bound form settles that.
    if (!nodeName) return;
    if (!occupies) {
      this.removePod(uid);
      return;
    }
    if (prev && prev !== nodeName) this.nodes.get(prev)?.removePod(uid);
    this.assumed.delete(uid);
    this.podNode.set(uid, nodeName);
    this.info(nodeName).addPod(uid, pod);
  }

  removePod(uid: string): void {
    const prev = this.podNode.get(uid);
    if (prev) {
      const info = this.nodes.get(prev);
      info?.removePod(uid);
      if (info && !info.node && info.pods.size === 0) this.nodes.delete(prev);
    }
    this.podNode.delete(uid);
    this.assumed.delete(uid);
  }

  assume(pod: Pod, nodeName: string): void {
    const uid = pod.metadata.uid ?? '';
    this.assumed.set(uid, nodeName);
    this.podNode.set(uid, nodeName);
    this.info(nodeName).addPod(uid, pod);
  }

  /** Undoes an assumption after a failed binding. */
  forget(pod: Pod): void {
    const uid = pod.metadata.uid ?? '';
    if (this.assumed.has(uid)) this.removePod(uid);
  }

  isAssumed(uid: string): boolean {
    return this.assumed.has(uid);
  }

  nodeOf(uid: string): string | undefined {
    return this.podNode.get(uid);
  }
}
