// The ReplicaSet controller: keeps spec.replicas pods matching the selector,
// owned through a controller ownerReference, and reports their readiness.
import { controllerRef, objectKey, splitKey, isNotFound, type Pod, type ReplicaSet, type ReplicaSetCondition, type ReplicaSetStatus } from '@wharf/api';
import {
  R,
  runWorkers,
  selectorMatches,
  unwrapTombstone,
  UIDTrackingExpectations,
  WorkQueue,
  type EventRecorder,
  type ReconcileResult,
  type SharedInformer,
} from '@wharf/client';
import type { Controller, ControllerContext } from '../context.js';
import { adoptPatch, ownerRefTo, releasePatch } from '../util/owner.js';
import { isPodActive, isPodAvailable, isPodReady, nowIso } from '../util/pod.js';
import { podsToDelete } from './ranking.js';
import { slowStartBatch } from './slow-start.js';
import { isNamespaceTerminating } from '../util/errors.js';

export const REASON_SUCCESSFUL_CREATE = 'SuccessfulCreate';
export const REASON_FAILED_CREATE = 'FailedCreate';
export const REASON_SUCCESSFUL_DELETE = 'SuccessfulDelete';
export const REASON_FAILED_DELETE = 'FailedDelete';

/** At most this many creations or deletions per sync (Kubernetes' burstReplicas). */
export const BURST_REPLICAS = 500;
const RS_KIND = 'ReplicaSet';

export class ReplicaSetController implements Controller {
  readonly name = 'replicaset';
  readonly queue = new WorkQueue('replicaset');
  /** Stops a second round of creates/deletes before the cache has seen the first. */
  readonly expectations = new UIDTrackingExpectations();
  private readonly rsInformer: SharedInformer<ReplicaSet>;
  private readonly podInformer: SharedInformer<Pod>;
  private readonly recorder: EventRecorder;

  constructor(private readonly ctx: ControllerContext) {
    this.rsInformer = ctx.informers.forResource<ReplicaSet>(R.replicasets);
    this.podInformer = ctx.informers.forResource<Pod>(R.pods);
    this.recorder = ctx.recorder('replicaset-controller');
    this.rsInformer.addEventHandler({
      add: (rs) => this.queue.add(objectKey(rs)),
      update: (_o, rs) => this.queue.add(objectKey(rs)),
      delete: (rs) => {
        const key = objectKey(unwrapTombstone(rs));
        this.expectations.delete(key);
        this.queue.add(key);
      },
    });
    this.podInformer.addEventHandler({
      add: (p) => this.onPodAdd(p),
      update: (o, n) => this.onPodUpdate(o, n),
      delete: (p) => this.onPodDelete(unwrapTombstone(p)),
    });
  }

  /** The key of the ReplicaSet that controls pod, if it exists in the cache with that uid. */
  private ownerKey(pod: Pod): string | undefined {
    const ref = controllerRef(pod);
    if (!ref || ref.kind !== RS_KIND) return undefined;
    const rs = this.rsInformer.store.getByName(pod.metadata.namespace, ref.name);
    return rs && rs.metadata.uid === ref.uid ? objectKey(rs) : undefined;
  }

  private enqueueMatching(pod: Pod): void {
    for (const rs of this.rsInformer.store.listInNamespace(pod.metadata.namespace ?? '')) {
      if (selectorMatches(rs.spec?.selector, pod.metadata.labels)) this.queue.add(objectKey(rs));
    }
  }

  private onPodAdd(pod: Pod): void {
    if (pod.metadata.deletionTimestamp) return this.onPodDelete(pod);
    const ref = controllerRef(pod);
    if (ref) {
      const key = this.ownerKey(pod);
      if (!key) return;
      this.expectations.creationObserved(key);
      this.queue.add(key);
      return;
    }
    this.enqueueMatching(pod);
  }

  private onPodUpdate(old: Pod, pod: Pod): void {
    if (old.metadata.resourceVersion === pod.metadata.resourceVersion) return;
    if (pod.metadata.deletionTimestamp && !old.metadata.deletionTimestamp) {
      // Graceful deletion has started: for expectations the pod is gone.
      this.onPodDelete(pod);
    }
    const oldRef = controllerRef(old);
    const newRef = controllerRef(pod);
    if (oldRef && oldRef.uid !== newRef?.uid) {
      const oldKey = this.ownerKey(old);
      if (oldKey) this.queue.add(oldKey);
    }
    const key = this.ownerKey(pod);
    if (key) {
      this.queue.add(key);
      return;
    }
    // An orphan may now match a ReplicaSet that can adopt it.
    if (!newRef) this.enqueueMatching(pod);
  }

  private onPodDelete(pod: Pod): void {
    const key = this.ownerKey(pod);
    if (!key) return;
    this.expectations.deletionObservedOf(key, pod.metadata.uid ?? '');
    this.queue.add(key);
  }

  async run(signal: AbortSignal): Promise<void> {
    if (!(await this.rsInformer.waitForSync(signal)) || !(await this.podInformer.waitForSync(signal))) return;
    await runWorkers({ queue: this.queue, reconciler: this, workers: this.ctx.options.workers, log: this.ctx.log.child({ controller: this.name }), signal });
  }

  async reconcile(key: string): Promise<ReconcileResult | void> {
    const rs = this.rsInformer.store.get(key);
    if (!rs) {
      this.expectations.delete(key);
      return;
    }
    const needsSync = this.expectations.satisfied(key) && !rs.metadata.deletionTimestamp;
    const { namespace } = splitKey(key);
    const all = this.podInformer.store.listInNamespace(namespace ?? '');
    const pods = await this.claimPods(rs, all.filter(isPodActive));
    let manageError: unknown;
    if (needsSync) {
      try {
        await this.manageReplicas(key, rs, pods);
      } catch (err) {
        manageError = err;
      }
    }
    const status = calculateStatus(rs, pods, manageError);
    await this.updateStatus(rs, status);
    if (manageError) throw manageError;
    const minReady = rs.spec?.minReadySeconds ?? 0;
    if (minReady > 0 && (status.readyReplicas ?? 0) > (status.availableReplicas ?? 0)) return { requeueAfter: minReady * 1000 };
  }

  /** Adopts matching orphans and releases owned pods that no longer match. */
  private async claimPods(rs: ReplicaSet, pods: Pod[]): Promise<Pod[]> {
    const claimed: Pod[] = [];
    const uid = rs.metadata.uid;
    const ref = ownerRefTo(rs, 'apps/v1', RS_KIND);
    for (const pod of pods) {
      const owner = controllerRef(pod);
      const matches = selectorMatches(rs.spec?.selector, pod.metadata.labels);
      if (owner) {
        if (owner.uid !== uid) continue;
        if (matches) claimed.push(pod);
        else if (!rs.metadata.deletionTimestamp) await this.patchPod(pod, releasePatch(pod, uid ?? ''));
        continue;
      }
      if (!matches || rs.metadata.deletionTimestamp || pod.metadata.deletionTimestamp) continue;
      if (await this.patchPod(pod, adoptPatch(pod, ref))) claimed.push(pod);
    }
    return claimed;
  }

  private async patchPod(pod: Pod, patch: Record<string, unknown>): Promise<boolean> {
    try {
      await this.ctx.client.patch(R.pods, pod.metadata.namespace, pod.metadata.name ?? '', 'merge', patch);
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  private async manageReplicas(key: string, rs: ReplicaSet, pods: Pod[]): Promise<void> {
    const want = rs.spec?.replicas ?? 1;
    const diff = pods.length - want;
    if (diff < 0) {
      const n = Math.min(-diff, BURST_REPLICAS);
      this.expectations.expectCreations(key, n);
      const result = await slowStartBatch(n, 1, () => this.createPod(key, rs));
      const skipped = n - result.successes - result.failures;
      if (skipped > 0) this.expectations.lower(key, skipped, 0);
      if (result.firstError && !isNamespaceTerminating(result.firstError)) throw result.firstError;
    } else if (diff > 0) {
      const n = Math.min(diff, BURST_REPLICAS);
      const victims = podsToDelete(pods, pods, n);
      this.expectations.expectDeletionsOf(key, victims.map((p) => p.metadata.uid ?? ''));
      const results = await Promise.allSettled(victims.map((p) => this.deletePod(key, rs, p)));
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    }
  }

  private async createPod(key: string, rs: ReplicaSet): Promise<void> {
    const tmpl = rs.spec?.template ?? {};
    const meta = tmpl.metadata ?? {};
    const pod: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        generateName: `${rs.metadata.name}-`,
        namespace: rs.metadata.namespace,
        labels: { ...(meta.labels ?? {}) },
        ...(meta.annotations ? { annotations: { ...meta.annotations } } : {}),
        ...(meta.finalizers ? { finalizers: [...meta.finalizers] } : {}),
        ownerReferences: [ownerRefTo(rs, 'apps/v1', RS_KIND)],
      },
      spec: structuredClone(tmpl.spec ?? { containers: [] }),
    };
    try {
      const created = await this.ctx.client.create<Pod>(R.pods, rs.metadata.namespace, pod);
      this.recorder.event(rs, 'Normal', REASON_SUCCESSFUL_CREATE, `Created pod: ${created.metadata.name}`);
    } catch (err) {
      // The creation will never be observed: count it down now.
      this.expectations.creationObserved(key);
      if (isNamespaceTerminating(err)) throw err;
      this.recorder.event(rs, 'Warning', REASON_FAILED_CREATE, `Error creating: ${err instanceof Error ? err.message : String(err)}`);
      throw err;
    }
  }

  private async deletePod(key: string, rs: ReplicaSet, pod: Pod): Promise<void> {
    try {
      await this.ctx.client.delete(R.pods, pod.metadata.namespace, pod.metadata.name ?? '', { preconditions: { uid: pod.metadata.uid ?? '' } });
      this.recorder.event(rs, 'Normal', REASON_SUCCESSFUL_DELETE, `Deleted pod: ${pod.metadata.name}`);
    } catch (err) {
      this.expectations.deletionObservedOf(key, pod.metadata.uid ?? '');
      if (isNotFound(err)) return;
      this.recorder.event(rs, 'Warning', REASON_FAILED_DELETE, `Error deleting: ${err instanceof Error ? err.message : String(err)}`);
      throw err;
    }
  }

  private async updateStatus(rs: ReplicaSet, status: ReplicaSetStatus): Promise<void> {
    const cur = rs.status ?? { replicas: 0 };
    const same = (['replicas', 'fullyLabeledReplicas', 'readyReplicas', 'availableReplicas', 'observedGeneration'] as const).every((f) => (cur[f] ?? 0) === (status[f] ?? 0)) &&
      JSON.stringify(cur.conditions ?? []) === JSON.stringify(status.conditions ?? []);
    if (same) return;
    await this.ctx.client.patch(R.replicasets, rs.metadata.namespace, rs.metadata.name ?? '', 'merge', { status: { ...status, conditions: status.conditions ?? null } }, { subresource: 'status' });
  }
}

export function calculateStatus(rs: ReplicaSet, pods: Pod[], manageError: unknown, now = Date.now()): ReplicaSetStatus {
  const tmplLabels = rs.spec?.template?.metadata?.labels ?? {};
  const minReady = rs.spec?.minReadySeconds ?? 0;
  let fullyLabeled = 0;
  let ready = 0;
  let available = 0;
  for (const p of pods) {
    const labels = p.metadata.labels ?? {};
    if (Object.entries(tmplLabels).every(([k, v]) => labels[k] === v)) fullyLabeled++;
    if (isPodReady(p)) {
      ready++;
      if (isPodAvailable(p, minReady, now)) available++;
    }
  }
  const status: ReplicaSetStatus = {
    replicas: pods.length,
    fullyLabeledReplicas: fullyLabeled,
    readyReplicas: ready,
    availableReplicas: available,
    observedGeneration: rs.metadata.generation ?? 0,
  };
  const existing = rs.status?.conditions ?? [];
  const failure = existing.find((c) => c.type === 'ReplicaFailure');
  let conditions: ReplicaSetCondition[] = existing.filter((c) => c.type !== 'ReplicaFailure');
  const want = rs.spec?.replicas ?? 1;
  if (manageError && pods.length < want) {
    const message = manageError instanceof Error ? manageError.message : String(manageError);
    conditions = [...conditions, failure?.status === 'True' && failure.message === message ? failure : { type: 'ReplicaFailure', status: 'True', lastTransitionTime: nowIso(), reason: 'FailedCreate', message }];
  } else if (manageError && failure) {
    conditions = [...conditions, failure];
  }
  if (conditions.length) status.conditions = conditions;
  return status;
}
