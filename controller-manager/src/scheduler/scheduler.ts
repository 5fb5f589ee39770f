// The scheduler: picks a node for every pending pod and binds it through
// pods/binding. Decisions are made one pod at a time against an in-memory
// cache in which a pod counts on its node from the moment it is assumed, so
// bindings can run concurrently without ever overcommitting a node.
import { isConflict, isNotFound, objectKey, type Node, type Pod } from '@wharf/api';
import {
  ItemExponentialBackoff,
  R,
  unwrapTombstone,
  WorkQueue,
  type EventRecorder,
  type SharedInformer,
} from '@wharf/client';
import type { Controller, ControllerContext } from '../context.js';
import { isPodTerminal, nowIso, podRequests } from '../util/pod.js';
import { compilePodFilter, filterNode, unschedulableMessage } from './filters.js';
import { hostPorts, SchedulerCache, type NodeInfo } from './node-info.js';
import { scoreNodes } from './scoring.js';

export const SCHEDULER_NAME = 'default-scheduler';
export const REASON_SCHEDULED = 'Scheduled';
export const REASON_FAILED_SCHEDULING = 'FailedScheduling';

/** Pods parked as unschedulable are retried at least this often even without a cluster change. */
const UNSCHEDULABLE_FLUSH_MS = 30_000;
/** Scheduling is synchronous CPU work: yield to the event loop this often so watches keep flowing. */
const YIELD_EVERY = 32;

export interface SchedulerStats {
  scheduled: number;
  unschedulable: number;
  bindErrors: number;
}

/** What of a node the filters read; a change to anything else cannot make a pod fit. */
function schedulingView(n: Node): string {
  const ready = n.status?.conditions?.find((c) => c.type === 'Ready')?.status;
  return JSON.stringify([n.spec?.unschedulable, n.spec?.taints, n.metadata.labels, n.status?.allocatable, ready]);
}

/** Kubernetes' adaptive sample: score only a share of a large cluster's feasible nodes. */
export function numFeasibleNodesToFind(total: number): number {
  if (total < 100) return total;
  const pct = Math.max(5, 50 - Math.floor(total / 125));
  return Math.max(100, Math.floor((total * pct) / 100));
}

export class Scheduler implements Controller {
  readonly name = 'scheduler';
  readonly cache = new SchedulerCache();
  /** Active pods waiting for a decision; retries back off 1 s → 10 s per pod. */
  readonly queue = new WorkQueue('scheduler', new ItemExponentialBackoff(1000, 10_000));
  /** Pods that fit nowhere, parked until a node or pod change could help them. */
  private readonly unschedulable = new Map<string, number>();
  private readonly pods: SharedInformer<Pod>;
  private readonly nodes: SharedInformer<Node>;
  private readonly recorder: EventRecorder;
  private nextStart = 0;
  private inflight = 0;
  private slotWaiters: Array<() => void> = [];
  readonly stats: SchedulerStats = { scheduled: 0, unschedulable: 0, bindErrors: 0 };

  constructor(private readonly ctx: ControllerContext) {
    this.pods = ctx.informers.forResource<Pod>(R.pods);
    this.nodes = ctx.informers.forResource<Node>(R.nodes);
    this.recorder = ctx.recorder(SCHEDULER_NAME);
    this.pods.addEventHandler({
      add: (p) => this.onPod(undefined, p),
      update: (o, n) => this.onPod(o, n),
      delete: (p) => this.onPodDelete(unwrapTombstone(p)),
    });
    this.nodes.addEventHandler({
      add: (n) => {
        this.cache.setNode(n);
        this.retryUnschedulable();
      },
      update: (o, n) => {
        this.cache.setNode(n);
        // Heartbeats change nothing a filter looks at: only real changes wake parked pods.
        if (schedulingView(o) !== schedulingView(n)) this.retryUnschedulable();
      },
      delete: (n) => this.cache.removeNode(unwrapTombstone(n).metadata.name ?? ''),
    });
  }

  private responsible(pod: Pod): boolean {
    return (pod.spec?.schedulerName ?? SCHEDULER_NAME) === SCHEDULER_NAME && !pod.metadata.deletionTimestamp && !isPodTerminal(pod);
  }

  private onPod(old: Pod | undefined, pod: Pod): void {
    if (pod.spec?.nodeName) {
      this.cache.updatePod(pod, !isPodTerminal(pod));
      this.unschedulable.delete(objectKey(pod));
      // A pod that finished frees its node's resources for parked pods.
      if (old && !isPodTerminal(old) && isPodTerminal(pod)) this.retryUnschedulable();
      return;
    }
    if (!this.responsible(pod)) return;
    const key = objectKey(pod);
    if (this.unschedulable.has(key)) {
      // Our own status write comes back as an update: only a change to what
      // scheduling looks at makes a parked pod worth another try.
      if (old && JSON.stringify([old.spec, old.metadata.labels]) === JSON.stringify([pod.spec, pod.metadata.labels])) return;
      this.unschedulable.delete(key);
    }
    this.queue.add(key);
  }

  private onPodDelete(pod: Pod): void {
    this.cache.removePod(pod.metadata.uid ?? '');
    this.unschedulable.delete(objectKey(pod));
    if (pod.spec?.nodeName) this.retryUnschedulable();
  }

  private retryUnschedulable(): void {
    for (const key of this.unschedulable.keys()) this.queue.addRateLimited(key);
    this.unschedulable.clear();
  }

  async run(signal: AbortSignal): Promise<void> {
    if (!(await this.pods.waitForSync(signal)) || !(await this.nodes.waitForSync(signal))) return;
    const onAbort = () => this.queue.shutDown();
    signal.addEventListener('abort', onAbort, { once: true });
    const flush = setInterval(() => this.retryUnschedulable(), UNSCHEDULABLE_FLUSH_MS);
    this.ctx.log.info('scheduler started', { nodes: this.cache.nodeNames.length });
    let n = 0;
    try {
      for (;;) {
        const key = await this.queue.get();
        if (key === undefined) break;
        try {
          this.scheduleOne(key);
        } catch (err) {
          this.ctx.log.error('scheduling failed', { key, err });
          this.queue.addRateLimited(key);
        } finally {
          this.queue.done(key);
        }
        if (this.inflight >= this.ctx.options.schedulerParallelism) await new Promise<void>((r) => this.slotWaiters.push(r));
        if (++n % YIELD_EVERY === 0) await new Promise((r) => setImmediate(r));
      }
    } finally {
      clearInterval(flush);
      signal.removeEventListener('abort', onAbort);
      while (this.inflight > 0) await new Promise<void>((r) => this.slotWaiters.push(r));
    }
  }

  /** Decides for one pod; the binding itself proceeds in the background. */
  scheduleOne(key: string): void {
    const pod = this.pods.store.get(key);
    if (!pod || pod.spec?.nodeName || !this.responsible(pod)) return;
    const uid = pod.metadata.uid ?? '';
    if (this.cache.isAssumed(uid)) return;
    const result = this.findNode(pod);
    if (typeof result === 'string') {
      this.stats.unschedulable++;
      this.unschedulable.set(key, Date.now());
      this.recordUnschedulable(pod, result);
      return;
    }
    this.cache.assume(pod, result.name);
    void this.bind(pod, result.name);
  }

  /** The best node, or the unschedulable message. */
  findNode(pod: Pod): NodeInfo | string {
    const names = this.cache.nodeNames;
    const total = names.length;
    const want = numFeasibleNodesToFind(total);
    const req = podRequests(pod);
    const filter = compilePodFilter(pod, req, hostPorts(pod));
    const feasible: NodeInfo[] = [];
    const reasons = new Map<string, readonly string[]>();
    let visited = 0;
    for (; visited < total && feasible.length < want; visited++) {
      const name = names[(this.nextStart + visited) % total]!;
      const info = this.cache.nodes.get(name);
      if (!info?.node) continue;
      const r = filterNode(filter, info);
      if (r.length) reasons.set(name, r);
      else feasible.push(info);
    }
    this.nextStart = total ? (this.nextStart + visited) % total : 0;
    if (feasible.length === 0) return unschedulableMessage(total, reasons);
    if (feasible.length === 1) return feasible[0]!;
    const scores = scoreNodes(pod, req, feasible);
    let best = 0;
    let ties = 1;
    for (let i = 1; i < feasible.length; i++) {
      if (scores[i]! > scores[best]!) {
        best = i;
        ties = 1;
      } else if (scores[i] === scores[best] && Math.random() * ++ties < 1) best = i;
    }
    return feasible[best]!;
  }

  private async bind(pod: Pod, nodeName: string): Promise<void> {
    this.inflight++;
    const { namespace, name } = pod.metadata;
    try {
      await this.ctx.client.create(
        R.pods,
        namespace,
        { apiVersion: 'v1', kind: 'Binding', metadata: { name, namespace, uid: pod.metadata.uid }, target: { apiVersion: 'v1', kind: 'Node', name: nodeName } },
        { subresource: 'binding' },
      );
      this.stats.scheduled++;
      this.queue.forget(objectKey(pod));
      this.recorder.event(pod, 'Normal', REASON_SCHEDULED, `Successfully assigned ${namespace}/${name} to ${nodeName}`);
    } catch (err) {
      this.stats.bindErrors++;
      this.cache.forget(pod);
      if (!isNotFound(err) && !isConflict(err)) {
        this.ctx.log.warn('binding failed', { pod: objectKey(pod), node: nodeName, err });
        this.recorder.event(pod, 'Warning', REASON_FAILED_SCHEDULING, `Binding rejected: ${err instanceof Error ? err.message : String(err)}`);
      }
      // Level-triggered: if the pod is still pending it is tried again.
      if (!isNotFound(err)) this.queue.addRateLimited(objectKey(pod));
    } finally {
      this.inflight--;
      this.slotWaiters.shift()?.();
    }
  }

  private recordUnschedulable(pod: Pod, message: string): void {
    this.recorder.event(pod, 'Warning', REASON_FAILED_SCHEDULING, message);
    const conds = pod.status?.conditions ?? [];
    const cur = conds.find((c) => c.type === 'PodScheduled');
    if (cur?.status === 'False' && cur.reason === 'Unschedulable' && cur.message === message) return;
    const next = { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message, lastProbeTime: null, lastTransitionTime: cur?.status === 'False' ? cur.lastTransitionTime : nowIso() };
    const conditions = [...conds.filter((c) => c.type !== 'PodScheduled'), next];
    this.ctx.client
      .patch(R.pods, pod.metadata.namespace, pod.metadata.name ?? '', 'merge', { status: { conditions } }, { subresource: 'status' })
      .catch((err) => this.ctx.log.debug('pod condition not updated', { pod: objectKey(pod), err }));
  }
}
