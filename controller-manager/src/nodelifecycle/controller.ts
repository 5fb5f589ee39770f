// Node lifecycle: a node whose Lease (or Ready heartbeat) has not moved for
// the grace period is marked Ready=Unknown and tainted unreachable:NoExecute;
// its pods are evicted once their toleration runs out and their controllers
// replace them elsewhere. Staleness is measured on this process's clock from
// the moment a change was observed, so clock skew between machines is harmless.
import { objectKey, type Lease, type Node, type NodeCondition, type Pod, type Taint, type Toleration } from '@wharf/api';
import { byNodeName, NODE_NAME_INDEX, R, type EventRecorder, type SharedInformer } from '@wharf/client';
import type { Controller, ControllerContext } from '../context.js';
import { isPodTerminal, nowIso } from '../util/pod.js';

export const NODE_LEASE_NAMESPACE = 'kube-node-lease';
export const TAINT_UNREACHABLE = 'node.kubernetes.io/unreachable';
export const TAINT_NOT_READY = 'node.kubernetes.io/not-ready';
export const REASON_NODE_NOT_READY = 'NodeNotReady';
export const REASON_EVICTION = 'TaintManagerEviction';

interface Probe {
  signature: string;
  observedAt: number;
}

/**
 * The toleration the apiserver's DefaultTolerationSeconds admission adds to
 * every pod (300 s, as in Kubernetes). Wharf replaces its duration with
 * --pod-eviction-timeout (default 10 s) so that a dead node's pods move quickly;
 * a toleration with any other duration is the user's and is honoured as written.
 */
export const ADMISSION_DEFAULT_TOLERATION_SECONDS = 300;

/** How long a pod may stay on a node with this NoExecute taint: Infinity, or ms from timeAdded. */
export function tolerationWindowMs(tolerations: Toleration[] | undefined, taint: Taint, defaultMs: number): number {
  let best: number | undefined;
  let matched = false;
  for (const t of tolerations ?? []) {
    if (t.effect && t.effect !== 'NoExecute') continue;
    const keyOk = t.operator === 'Exists' ? !t.key || t.key === taint.key : t.key === taint.key && (t.value ?? '') === (taint.value ?? '');
    if (!keyOk) continue;
    matched = true;
    if (t.tolerationSeconds === undefined) return Infinity;
    const isAdmissionDefault =
      t.operator === 'Exists' && t.key === taint.key && (taint.key === 'node.kubernetes.io/unreachable' || taint.key === 'node.kubernetes.io/not-ready') && t.tolerationSeconds === ADMISSION_DEFAULT_TOLERATION_SECONDS;
    best = Math.min(best ?? Infinity, isAdmissionDefault ? defaultMs : Math.max(0, t.tolerationSeconds) * 1000);
  }
  // Kubernetes' admission gives every pod a 300 s toleration for these taints; Wharf's default is shorter.
  if (!matched) return defaultMs;
  return best ?? Infinity;
}

export class NodeLifecycleController implements Controller {
  readonly name = 'nodelifecycle';
  private readonly nodes: SharedInformer<Node>;
  private readonly leases: SharedInformer<Lease>;
  private readonly pods: SharedInformer<Pod>;
  private readonly recorder: EventRecorder;
  private readonly probes = new Map<string, Probe>();

  constructor(private readonly ctx: ControllerContext) {
    this.nodes = ctx.informers.forResource<Node>(R.nodes);
    this.leases = ctx.informers.forResource<Lease>(R.leases);
    this.pods = ctx.informers.forResource<Pod>(R.pods);
    this.pods.addIndexers({ [NODE_NAME_INDEX]: byNodeName });
    this.recorder = ctx.recorder('node-controller');
  }

  async run(signal: AbortSignal): Promise<void> {
    for (const inf of [this.nodes, this.leases, this.pods]) if (!(await inf.waitForSync(signal))) return;
    const log = this.ctx.log.child({ controller: this.name });
    while (!signal.aborted) {
      try {
        await this.monitor();
      } catch (err) {
        log.warn('node monitor pass failed', { err });
      }
      await new Promise<void>((r) => {
        const t = setTimeout(r, this.ctx.options.nodeMonitorPeriodMs);
        signal.addEventListener('abort', () => (clearTimeout(t), r()), { once: true });
      });
    }
  }

  /** One pass over every node: health, taints, evictions. */
  async monitor(now = Date.now()): Promise<void> {
    for (const node of this.nodes.store.list()) {
      const name = node.metadata.name ?? '';
      try {
        const stale = this.isStale(node, now);
        const current = node.status?.conditions?.find((c) => c.type === 'Ready');
        let effective = current?.status ?? 'Unknown';
        if (stale && current?.status !== 'Unknown') {
          await this.markUnknown(node);
          effective = 'Unknown';
        }
        await this.syncTaints(name, effective === 'Unknown' ? TAINT_UNREACHABLE : effective === 'False' ? TAINT_NOT_READY : undefined);
        await this.evictPods(name, now);
      } catch (err) {
        // One node's conflict must not hold up the others; the next pass retries it.
        this.ctx.log.debug('node not synced this pass', { node: name, err });
      }
    }
    for (const name of this.probes.keys()) if (!this.nodes.store.get(name)) this.probes.delete(name);
  }

  private isStale(node: Node, now: number): boolean {
    const name = node.metadata.name ?? '';
    const lease = this.leases.store.getByName(NODE_LEASE_NAMESPACE, name);
    const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
    const signature = `${lease?.spec?.renewTime ?? ''}|${ready?.lastHeartbeatTime ?? ''}|${ready?.status ?? ''}`;
    const probe = this.probes.get(name);
    if (!probe || probe.signature !== signature) {
      // First sight counts as fresh: a restarted controller gives every node a full grace period.
      this.probes.set(name, { signature, observedAt: now });
      return false;
    }
    return now - probe.observedAt > this.ctx.options.nodeMonitorGracePeriodMs;
  }

  private async markUnknown(node: Node): Promise<void> {
    const now = nowIso();
    const types = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'];
    const existing = node.status?.conditions ?? [];
    const conditions: NodeCondition[] = existing.filter((c) => !types.includes(c.type));
    for (const type of types) {
      const cur = existing.find((c) => c.type === type);
      if (!cur && type !== 'Ready') continue;
      conditions.push({
        type,
        status: 'Unknown',
        lastHeartbeatTime: cur?.lastHeartbeatTime ?? now,
        lastTransitionTime: now,
        reason: 'NodeStatusUnknown',
        message: 'Kubelet stopped posting node status.',
      });
    }
    await this.ctx.client.patch(R.nodes, undefined, node.metadata.name ?? '', 'merge', { status: { conditions } }, { subresource: 'status' });
    this.recorder.event({ ...node, kind: 'Node', apiVersion: 'v1' }, 'Normal', REASON_NODE_NOT_READY, `Node ${node.metadata.name} status is now: NodeNotReady`);
    this.ctx.log.info('node stopped renewing its lease', { node: node.metadata.name });
  }

  /** Keeps exactly the taints for the node's condition (NoSchedule + NoExecute of one key). */
  private async syncTaints(name: string, key: string | undefined): Promise<void> {
    // Re-read: markUnknown may just have changed the node.
    const node = this.nodes.store.get(name);
    if (!node) return;
    const taints = node.spec?.taints ?? [];
    const managed = (t: Taint) => (t.key === TAINT_UNREACHABLE || t.key === TAINT_NOT_READY) && (t.effect === 'NoExecute' || t.effect === 'NoSchedule');
    const keep = taints.filter((t) => !managed(t) || t.key === key);
    const want = [...keep];
    if (key) {
      for (const effect of ['NoSchedule', 'NoExecute'] as const) {
        if (!keep.some((t) => t.key === key && t.effect === effect)) want.push({ key, effect, ...(effect === 'NoExecute' ? { timeAdded: nowIso() } : {}) });
      }
    }
    if (JSON.stringify(want) === JSON.stringify(taints)) return;
    // A full update guarded by resourceVersion: taints written by others are never lost.
    await this.ctx.client.update(R.nodes, { ...node, spec: { ...(node.spec ?? {}), taints: want } });
  }

  private async evictPods(nodeName: string, now: number): Promise<void> {
    const node = this.nodes.store.get(nodeName);
    const noExecute = (node?.spec?.taints ?? []).filter((t) => t.effect === 'NoExecute');
    if (noExecute.length === 0) return;
    const unreachable = node?.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'Unknown';
    for (const pod of this.pods.store.byIndex(NODE_NAME_INDEX, nodeName)) {
      if (isPodTerminal(pod)) continue;
      if (pod.metadata.deletionTimestamp) {
        // Nobody is left on an unreachable node to finish a graceful deletion:
        // once its grace period (deletionTimestamp) has passed, finish it here.
        if (unreachable && Date.parse(pod.metadata.deletionTimestamp) <= now) await this.forceDelete(pod);
        continue;
      }
      let evictAt = Infinity;
      for (const taint of noExecute) {
        const window = tolerationWindowMs(pod.spec?.tolerations, taint, this.ctx.options.podEvictionTimeoutMs);
        const added = Date.parse(taint.timeAdded ?? '') || now;
        evictAt = Math.min(evictAt, added + window);
      }
      if (evictAt > now) continue;
      this.recorder.event({ ...pod, kind: 'Pod', apiVersion: 'v1' }, 'Normal', REASON_EVICTION, `Marking for deletion Pod ${objectKey(pod)}`);
      try {
        await this.ctx.client.delete(R.pods, pod.metadata.namespace, pod.metadata.name ?? '', { preconditions: { uid: pod.metadata.uid ?? '' } });
      } catch (err) {
        this.ctx.log.debug('eviction failed', { pod: objectKey(pod), err });
      }
    }
  }

  private async forceDelete(pod: Pod): Promise<void> {
    try {
      await this.ctx.client.delete(R.pods, pod.metadata.namespace, pod.metadata.name ?? '', { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid ?? '' } });
    } catch (err) {
      this.ctx.log.debug('force deletion failed', { pod: objectKey(pod), err });
    }
  }
}
