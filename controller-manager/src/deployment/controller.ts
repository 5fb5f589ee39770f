// The Deployment controller: rolls a Deployment's pod template out through
// ReplicaSets, one per template, named and labelled by pod-template-hash.
import { controllerRef, objectKey, splitKey, isNotFound, type Deployment, type Pod, type ReplicaSet } from '@wharf/api';
import {
  OWNER_UID_INDEX,
  R,
  byOwnerUid,
  runWorkers,
  selectorIsEmpty,
  selectorMatches,
  unwrapTombstone,
  WorkQueue,
  type EventRecorder,
  type ReconcileResult,
  type SharedInformer,
} from '@wharf/client';
import type { Controller, ControllerContext } from '../context.js';
import { adoptPatch, ownerRefTo, releasePatch } from '../util/owner.js';
import { rolloutRecreate, rolloutRolling } from './rollout.js';
import { DeploymentSync, REASON_PAUSED, REASON_RESUMED } from './sync.js';
import { getCondition, isRollingUpdate, newCondition, setCondition } from './util.js';

export const REASON_SELECTING_ALL = 'SelectingAll';

export class DeploymentController implements Controller {
  readonly name = 'deployment';
  readonly queue = new WorkQueue('deployment');
  private readonly dInformer: SharedInformer<Deployment>;
  private readonly rsInformer: SharedInformer<ReplicaSet>;
  private readonly podInformer: SharedInformer<Pod>;
  private readonly recorder: EventRecorder;

  constructor(private readonly ctx: ControllerContext) {
    this.dInformer = ctx.informers.forResource<Deployment>(R.deployments);
    this.rsInformer = ctx.informers.forResource<ReplicaSet>(R.replicasets);
    this.podInformer = ctx.informers.forResource<Pod>(R.pods);
    this.podInformer.addIndexers({ [OWNER_UID_INDEX]: byOwnerUid });
    this.recorder = ctx.recorder('deployment-controller');
    this.dInformer.addEventHandler({
      add: (d) => this.queue.add(objectKey(d)),
      update: (_o, d) => this.queue.add(objectKey(d)),
      delete: (d) => this.queue.add(objectKey(unwrapTombstone(d))),
    });
    this.rsInformer.addEventHandler({
      add: (rs) => this.onReplicaSet(rs),
      update: (o, rs) => {
        if (o.metadata.resourceVersion === rs.metadata.resourceVersion) return;
        const oldRef = controllerRef(o);
        if (oldRef && oldRef.uid !== controllerRef(rs)?.uid) this.onReplicaSet(o);
        this.onReplicaSet(rs);
      },
      delete: (rs) => this.onReplicaSet(unwrapTombstone(rs)),
    });
    // Recreate waits for old pods to be gone: their deletion is news for the Deployment.
    this.podInformer.addEventHandler({
      delete: (p) => {
        const pod = unwrapTombstone(p);
        const ref = controllerRef(pod);
        if (!ref || ref.kind !== 'ReplicaSet') return;
        const rs = this.rsInformer.store.getByName(pod.metadata.namespace, ref.name);
        const d = rs && this.ownerOf(rs);
        if (d && d.spec?.strategy?.type === 'Recreate') this.queue.add(objectKey(d));
      },
    });
  }

  private ownerOf(rs: ReplicaSet): Deployment | undefined {
    const ref = controllerRef(rs);
    if (!ref || ref.kind !== 'Deployment') return undefined;
    const d = this.dInformer.store.getByName(rs.metadata.namespace, ref.name);
    return d && d.metadata.uid === ref.uid ? d : undefined;
  }

  private onReplicaSet(rs: ReplicaSet): void {
    const d = this.ownerOf(rs);
    if (d) return this.queue.add(objectKey(d));
    if (controllerRef(rs)) return;
    for (const dep of this.dInformer.store.listInNamespace(rs.metadata.namespace ?? '')) {
      if (selectorMatches(dep.spec?.selector, rs.metadata.labels)) this.queue.add(objectKey(dep));
    }
  }

  async run(signal: AbortSignal): Promise<void> {
    for (const inf of [this.dInformer, this.rsInformer, this.podInformer]) if (!(await inf.waitForSync(signal))) return;
    await runWorkers({ queue: this.queue, reconciler: this, workers: this.ctx.options.workers, log: this.ctx.log.child({ controller: this.name }), signal });
  }

  async reconcile(key: string): Promise<ReconcileResult | void> {
    const cached = this.dInformer.store.get(key);
    if (!cached) return;
    const d = structuredClone(cached);
    if (selectorIsEmpty(d.spec?.selector)) {
      this.recorder.event(d, 'Warning', REASON_SELECTING_ALL, 'This deployment is selecting all pods. A non-empty selector is required.');
      return;
    }
    const rsList = await this.claimReplicaSets(d);
    const s = new DeploymentSync(
      { client: this.ctx.client, recorder: this.recorder, log: this.ctx.log, podsOf: (rs) => this.podInformer.store.byIndex(OWNER_UID_INDEX, rs.metadata.uid ?? '') },
      d,
      rsList,
    );
    if (d.metadata.deletionTimestamp) {
      await s.getAll(false);
      await s.syncDeploymentStatus();
      return;
    }
    await this.checkPausedConditions(s);
    if (s.d.spec?.paused) {
      await this.syncScaleOnly(s);
      return s.result;
    }
    if (await s.isScalingEvent()) {
      await this.syncScaleOnly(s);
      return s.result;
    }
    if (isRollingUpdate(s.d)) await rolloutRolling(s);
    else await rolloutRecreate(s);
    return s.result;
  }

  /** sync(): scale without rolling out (paused Deployments and scaling events). */
  private async syncScaleOnly(s: DeploymentSync): Promise<void> {
    await s.getAll(false);
    await s.scale();
    if (s.d.spec?.paused) await s.cleanup();
    await s.syncDeploymentStatus();
  }

  private async checkPausedConditions(s: DeploymentSync): Promise<void> {
    const d = s.d;
    if (d.spec?.progressDeadlineSeconds === undefined) return;
    const cur = getCondition(d.status?.conditions, 'Progressing');
    if (cur?.reason === 'ProgressDeadlineExceeded') return;
    let conds = d.status?.conditions ?? [];
    if (d.spec.paused && cur?.reason !== REASON_PAUSED) conds = setCondition(conds, newCondition('Progressing', 'Unknown', REASON_PAUSED, 'Deployment is paused'));
    else if (!d.spec.paused && cur?.reason === REASON_PAUSED) conds = setCondition(conds, newCondition('Progressing', 'Unknown', REASON_RESUMED, 'Deployment is resumed'));
    else return;
    await s.writeStatus({ ...(d.status ?? {}), conditions: conds });
  }

  /** ReplicaSets this Deployment controls after adopting matching orphans and releasing strays. */
  private async claimReplicaSets(d: Deployment): Promise<ReplicaSet[]> {
    const { namespace } = splitKey(objectKey(d));
    const out: ReplicaSet[] = [];
    for (const rs of this.rsInformer.store.listInNamespace(namespace ?? '')) {
      const ref = controllerRef(rs);
      const matches = selectorMatches(d.spec?.selector, rs.metadata.labels);
      if (ref) {
        if (ref.uid !== d.metadata.uid) continue;
        if (matches) out.push(rs);
        else if (!d.metadata.deletionTimestamp) await this.patchRS(rs, releasePatch(rs, d.metadata.uid ?? ''));
        continue;
      }
      if (!matches || d.metadata.deletionTimestamp || rs.metadata.deletionTimestamp) continue;
      const adopted = await this.patchRS(rs, adoptPatch(rs, ownerRefTo(d, 'apps/v1', 'Deployment')));
      if (adopted) out.push(adopted);
    }
    return out;
  }

  private async patchRS(rs: ReplicaSet, patch: Record<string, unknown>): Promise<ReplicaSet | undefined> {
    try {
      return await this.ctx.client.patch<ReplicaSet>(R.replicasets, rs.metadata.namespace, rs.metadata.name ?? '', 'merge', patch);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }
}
