// One sync of one Deployment: find or create the new ReplicaSet, scale
// ReplicaSets, compute status and conditions. Holds the working copies so the
// rollout strategies (rollout.ts) read like Kubernetes' sync functions.
import { isAlreadyExists, type Deployment, type DeploymentStatus, type Logger, type Pod, type ReplicaSet } from '@wharf/api';
import { R, type ApiClient, type EventRecorder, type ReconcileResult } from '@wharf/client';
import { isControlledBy, ownerRefTo } from '../util/owner.js';
import {
  byCreation,
  computeHash,
  equalIgnoreHash,
  getCondition,
  isRollingUpdate,
  maxRevision,
  maxSurge,
  maxUnavailable,
  newCondition,
  newRSNewReplicas,
  POD_TEMPLATE_HASH_LABEL,
  removeCondition,
  REVISION_ANNOTATION,
  revisionOf,
  setCondition,
  setNewReplicaSetAnnotations,
  setReplicasAnnotations,
  specReplicas,
  sumSpec,
  sumStatus,
  MAX_REPLICAS_ANNOTATION,
  DESIRED_REPLICAS_ANNOTATION,
} from './util.js';

export const REASON_SCALING_REPLICA_SET = 'ScalingReplicaSet';
export const REASON_NEW_RS_CREATED = 'NewReplicaSetCreated';
export const REASON_FOUND_NEW_RS = 'FoundNewReplicaSet';
export const REASON_NEW_RS_AVAILABLE = 'NewReplicaSetAvailable';
export const REASON_RS_UPDATED = 'ReplicaSetUpdated';
export const REASON_TIMED_OUT = 'ProgressDeadlineExceeded';
export const REASON_FAILED_RS_CREATE = 'FailedRSCreate';
export const REASON_PAUSED = 'DeploymentPaused';
export const REASON_RESUMED = 'DeploymentResumed';
export const REASON_MIN_AVAILABLE = 'MinimumReplicasAvailable';
export const REASON_MIN_UNAVAILABLE = 'MinimumReplicasUnavailable';

export interface SyncEnv {
  client: ApiClient;
  recorder: EventRecorder;
  log: Logger;
  /** Pods (any state) controlled by a ReplicaSet. */
  podsOf(rs: ReplicaSet): Pod[];
}

export class DeploymentSync {
  newRS: ReplicaSet | undefined;
  oldRSs: ReplicaSet[] = [];
  result: ReconcileResult = {};

  constructor(
    readonly env: SyncEnv,
    public d: Deployment,
    public rsList: ReplicaSet[],
  ) {}

  get allRSs(): ReplicaSet[] {
    return this.newRS ? [...this.oldRSs, this.newRS] : [...this.oldRSs];
  }

  /** getAllReplicaSetsAndSyncRevision. */
  async getAll(createIfNotExisted: boolean): Promise<void> {
    const sorted = [...this.rsList].sort(byCreation);
    const existing = sorted.find((rs) => equalIgnoreHash(rs.spec?.template, this.d.spec?.template));
    this.oldRSs = sorted.filter((rs) => rs !== existing);
    this.newRS = await this.getNewReplicaSet(existing, createIfNotExisted);
  }

  private async getNewReplicaSet(existing: ReplicaSet | undefined, create: boolean): Promise<ReplicaSet | undefined> {
    const d = this.d;
    const newRevision = maxRevision(this.oldRSs) + 1;
    const deadline = d.spec?.progressDeadlineSeconds !== undefined;
    if (existing) {
      const copy = structuredClone(existing);
      const annotationsChanged = setNewReplicaSetAnnotations(d, copy, newRevision, true);
      const minReadyChanged = (copy.spec?.minReadySeconds ?? 0) !== (d.spec?.minReadySeconds ?? 0);
      if (annotationsChanged || minReadyChanged) {
        copy.spec = { ...copy.spec!, minReadySeconds: d.spec?.minReadySeconds ?? 0 };
        const updated = await this.env.client.update<ReplicaSet>(R.replicasets, copy);
        this.rsList = this.rsList.map((x) => (x.metadata.uid === updated.metadata.uid ? updated : x));
        return updated;
      }
      await this.setDeploymentRevision(copy.metadata.annotations?.[REVISION_ANNOTATION] ?? '');
      if (deadline && !getCondition(d.status?.conditions, 'Progressing')) {
        const conds = setCondition(d.status?.conditions ?? [], newCondition('Progressing', 'True', REASON_FOUND_NEW_RS, `Found new replica set "${existing.metadata.name}"`));
        await this.writeStatus({ ...(d.status ?? {}), conditions: conds });
      }
      return existing;
    }
    if (!create) return undefined;

    const template = structuredClone(d.spec!.template);
    const hash = computeHash(template, d.status?.collisionCount);
    template.metadata = { ...(template.metadata ?? {}), labels: { ...(template.metadata?.labels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash } };
    const selector = structuredClone(d.spec!.selector);
    selector.matchLabels = { ...(selector.matchLabels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash };
    const rs: ReplicaSet = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `${d.metadata.name}-${hash}`,
        namespace: d.metadata.namespace,
        labels: { ...template.metadata.labels },
        ownerReferences: [ownerRefTo(d, 'apps/v1', 'Deployment')],
      },
      spec: { replicas: 0, minReadySeconds: d.spec?.minReadySeconds ?? 0, selector, template },
    };
    const count = newRSNewReplicas(d, [...this.oldRSs, rs], rs);
    rs.spec!.replicas = count;
    setNewReplicaSetAnnotations(d, rs, newRevision, false);
    let created: ReplicaSet;
    try {
      created = await this.env.client.create<ReplicaSet>(R.replicasets, d.metadata.namespace, rs);
    } catch (err) {
      if (isAlreadyExists(err)) {
        const other = this.rsList.find((x) => x.metadata.name === rs.metadata.name);
        if (other && isControlledBy(other, d) && equalIgnoreHash(other.spec?.template, d.spec?.template)) return other;
        // A different object holds our name: bump collisionCount so the next hash differs.
        await this.writeStatus({ ...(d.status ?? {}), collisionCount: (d.status?.collisionCount ?? 0) + 1 });
        throw err;
      }
      if (deadline) {
        const msg = `Failed to create new replica set "${rs.metadata.name}": ${err instanceof Error ? err.message : String(err)}`;
        const conds = setCondition(d.status?.conditions ?? [], newCondition('Progressing', 'False', REASON_FAILED_RS_CREATE, msg));
        await this.writeStatus({ ...(d.status ?? {}), conditions: conds }).catch(() => undefined);
      }
      throw err;
    }
    if (count > 0) this.env.recorder.event(d, 'Normal', REASON_SCALING_REPLICA_SET, `Scaled up replica set ${created.metadata.name} from 0 to ${count}`);
    await this.setDeploymentRevision(String(newRevision));
    if (deadline) {
      const conds = setCondition(d.status?.conditions ?? [], newCondition('Progressing', 'True', REASON_NEW_RS_CREATED, `Created new replica set "${created.metadata.name}"`));
      await this.writeStatus({ ...(d.status ?? {}), conditions: conds });
    }
    return created;
  }

  private async setDeploymentRevision(revision: string): Promise<void> {
    if (!revision || this.d.metadata.annotations?.[REVISION_ANNOTATION] === revision) return;
    this.d = await this.env.client.patch<Deployment>(R.deployments, this.d.metadata.namespace, this.d.metadata.name ?? '', 'merge', {
      metadata: { annotations: { [REVISION_ANNOTATION]: revision } },
    });
  }

  /** Scales one ReplicaSet (and refreshes its replica annotations); returns whether the size changed. */
  async scaleReplicaSet(rs: ReplicaSet, size: number): Promise<boolean> {
    const d = this.d;
    const copy = structuredClone(rs);
    const sizeChanged = (rs.spec?.replicas ?? 0) !== size;
    const annotationsChanged = setReplicasAnnotations(copy, specReplicas(d), specReplicas(d) + maxSurge(d));
    if (!sizeChanged && !annotationsChanged) return false;
    copy.spec = { ...copy.spec!, replicas: size };
    const updated = await this.env.client.update<ReplicaSet>(R.replicasets, copy);
    this.replace(updated);
    if (sizeChanged) {
      const from = rs.spec?.replicas ?? 0;
      this.env.recorder.event(d, 'Normal', REASON_SCALING_REPLICA_SET, `Scaled ${size > from ? 'up' : 'down'} replica set ${rs.metadata.name} from ${from} to ${size}`);
    }
    return sizeChanged;
  }

  private replace(rs: ReplicaSet): void {
    this.rsList = this.rsList.map((x) => (x.metadata.uid === rs.metadata.uid ? rs : x));
    if (this.newRS?.metadata.uid === rs.metadata.uid) this.newRS = rs;
    this.oldRSs = this.oldRSs.map((x) => (x.metadata.uid === rs.metadata.uid ? rs : x));
  }

  /** isScalingEvent: some active ReplicaSet was sized for a different spec.replicas. */
  async isScalingEvent(): Promise<boolean> {
    await this.getAll(false);
    return this.allRSs.some((rs) => {
      if ((rs.spec?.replicas ?? 0) <= 0) return false;
      const desired = rs.metadata.annotations?.[DESIRED_REPLICAS_ANNOTATION];
      return desired !== undefined && Number(desired) !== specReplicas(this.d);
    });
  }

  /** scale: proportional scaling of every active ReplicaSet. */
  async scale(): Promise<void> {
    const d = this.d;
    const replicas = specReplicas(d);
    const active = this.allRSs.filter((rs) => (rs.spec?.replicas ?? 0) > 0);
    const activeOrLatest = active.length === 1 ? active[0] : active.length === 0 ? (this.newRS ?? [...this.oldRSs].sort(byCreation).at(-1)) : undefined;
    if (activeOrLatest) {
      if ((activeOrLatest.spec?.replicas ?? 0) !== replicas) await this.scaleReplicaSet(activeOrLatest, replicas);
      return;
    }
    const newRS = this.newRS;
    if (newRS && (newRS.spec?.replicas ?? 0) === replicas && (newRS.status?.availableReplicas ?? 0) >= replicas) {
      for (const rs of this.oldRSs.filter((x) => (x.spec?.replicas ?? 0) > 0)) await this.scaleReplicaSet(rs, 0);
      return;
    }
    if (!isRollingUpdate(d)) return;
    const allowed = replicas > 0 ? replicas + maxSurge(d) : 0;
    const toAdd = allowed - sumSpec(active);
    if (toAdd === 0) return;
    const sorted = [...active].sort((a, b) => {
      const diff = (b.spec?.replicas ?? 0) - (a.spec?.replicas ?? 0);
      if (diff) return diff;
      return toAdd > 0 ? byCreation(b, a) : byCreation(a, b);
    });
    const sizes = new Map<ReplicaSet, number>();
    let added = 0;
    for (const rs of sorted) {
      const cur = rs.spec?.replicas ?? 0;
      const annotated = Number(rs.metadata.annotations?.[MAX_REPLICAS_ANNOTATION] ?? d.status?.replicas ?? 0);
      const fraction = replicas === 0 ? -cur : annotated > 0 ? Math.round((cur * (replicas + maxSurge(d))) / annotated) - cur : 0;
      const allowedLeft = toAdd - added;
      const proportion = toAdd > 0 ? Math.min(fraction, allowedLeft) : Math.max(fraction, allowedLeft);
      sizes.set(rs, cur + proportion);
      added += proportion;
    }
    const first = sorted[0]!;
    sizes.set(first, Math.max(0, sizes.get(first)! + (toAdd - added)));
    for (const rs of sorted) await this.scaleReplicaSet(rs, sizes.get(rs)!);
  }

  /** cleanupDeployment: delete the oldest unused ReplicaSets beyond revisionHistoryLimit. */
  async cleanup(): Promise<void> {
    const limit = this.d.spec?.revisionHistoryLimit ?? 10;
    const alive = this.oldRSs.filter((rs) => !rs.metadata.deletionTimestamp);
    const diff = alive.length - limit;
    if (diff <= 0) return;
    const sorted = [...alive].sort((a, b) => revisionOf(a) - revisionOf(b) || byCreation(a, b));
    for (let i = 0; i < diff; i++) {
      const rs = sorted[i]!;
      if ((rs.status?.replicas ?? 0) !== 0 || (rs.spec?.replicas ?? 0) !== 0 || (rs.metadata.generation ?? 0) > (rs.status?.observedGeneration ?? 0)) continue;
      await this.env.client.delete(R.replicasets, rs.metadata.namespace, rs.metadata.name ?? '', { preconditions: { uid: rs.metadata.uid ?? '' } }).catch(() => undefined);
    }
  }

  calculateStatus(): DeploymentStatus {
    const d = this.d;
    const all = this.allRSs;
    const available = sumStatus(all, 'availableReplicas');
    const total = sumSpec(all);
    const status: DeploymentStatus = {
      observedGeneration: d.metadata.generation ?? 0,
      replicas: sumStatus(all, 'replicas'),
      updatedReplicas: this.newRS ? (this.newRS.status?.replicas ?? 0) : 0,
      readyReplicas: sumStatus(all, 'readyReplicas'),
      availableReplicas: available,
      unavailableReplicas: Math.max(0, total - available),
      conditions: [...(d.status?.conditions ?? [])],
    };
    if (d.status?.collisionCount !== undefined) status.collisionCount = d.status.collisionCount;
    const replicas = specReplicas(d);
    status.conditions =
      available >= replicas - maxUnavailable(d)
        ? setCondition(status.conditions!, newCondition('Available', 'True', REASON_MIN_AVAILABLE, 'Deployment has minimum availability.'))
        : setCondition(status.conditions!, newCondition('Available', 'False', REASON_MIN_UNAVAILABLE, 'Deployment does not have minimum availability.'));
    return status;
  }

  async syncDeploymentStatus(): Promise<void> {
    await this.writeStatus(this.calculateStatus());
  }

  /** syncRolloutStatus: status plus the Progressing condition and the progress deadline. */
  async syncRolloutStatus(): Promise<void> {
    const d = this.d;
    const status = this.calculateStatus();
    const deadline = d.spec?.progressDeadlineSeconds;
    let conds = status.conditions ?? [];
    if (deadline === undefined) conds = removeCondition(conds, 'Progressing');
    const cur = getCondition(d.status?.conditions, 'Progressing');
    const rsName = this.newRS?.metadata.name;
    const what = rsName ? `ReplicaSet "${rsName}"` : `Deployment "${d.metadata.name}"`;
    const alreadyComplete = status.replicas === status.updatedReplicas && cur?.reason === REASON_NEW_RS_AVAILABLE;
    if (deadline !== undefined && !d.spec?.paused && !alreadyComplete) {
      if (isComplete(d, status)) {
        conds = setCondition(conds, newCondition('Progressing', 'True', REASON_NEW_RS_AVAILABLE, `${what} has successfully progressed.`));
      } else if (isProgressing(d, status)) {
        const c = newCondition('Progressing', 'True', REASON_RS_UPDATED, `${what} is progressing.`);
        if (cur?.status === 'True' && cur.lastTransitionTime) c.lastTransitionTime = cur.lastTransitionTime;
        conds = [...removeCondition(conds, 'Progressing'), c];
      } else if (timedOut(d, cur)) {
        conds = setCondition(conds, newCondition('Progressing', 'False', REASON_TIMED_OUT, `${what} has timed out progressing.`));
      }
    }
    const failure = this.allRSs.flatMap((rs) => rs.status?.conditions ?? []).find((c) => c.type === 'ReplicaFailure' && c.status === 'True');
    conds = failure ? setCondition(conds, newCondition('ReplicaFailure', 'True', failure.reason ?? 'FailedCreate', failure.message ?? '')) : removeCondition(conds, 'ReplicaFailure');
    status.conditions = conds;
    await this.writeStatus(status);
    // Come back when the deadline would pass, so a stuck rollout is reported on time.
    const after = getCondition(conds, 'Progressing');
    if (deadline !== undefined && !d.spec?.paused && after && after.reason !== REASON_NEW_RS_AVAILABLE && after.reason !== REASON_TIMED_OUT && !isComplete(d, status)) {
      const from = Date.parse(after.lastUpdateTime ?? '') || Date.now();
      this.result = { requeueAfter: Math.max(1000, from + deadline * 1000 - Date.now() + 500) };
    }
  }

  /** Writes status only if it differs; keeps the working copy current. */
  async writeStatus(status: DeploymentStatus): Promise<void> {
    const cur = this.d.status ?? {};
    if (sameStatus(cur, status)) return;
    this.d = await this.env.client.patch<Deployment>(
      R.deployments,
      this.d.metadata.namespace,
      this.d.metadata.name ?? '',
      'merge',
      { status: { ...status, conditions: status.conditions ?? null } },
      { subresource: 'status' },
    );
  }

  /** Pods of old ReplicaSets that still run (Recreate waits for them to be gone). */
  oldPodsRunning(): boolean {
    if (this.oldRSs.some((rs) => (rs.status?.replicas ?? 0) > 0)) return true;
    return this.oldRSs.some((rs) => this.env.podsOf(rs).some((p) => p.status?.phase !== 'Failed' && p.status?.phase !== 'Succeeded'));
  }
}

function sameStatus(a: DeploymentStatus, b: DeploymentStatus): boolean {
  const strip = (s: DeploymentStatus) => ({ ...s, conditions: (s.conditions ?? []).map((c) => ({ ...c })).sort((x, y) => x.type.localeCompare(y.type)) });
  return JSON.stringify(strip(a)) === JSON.stringify(strip(b));
}

export function isComplete(d: Deployment, s: DeploymentStatus): boolean {
  const replicas = specReplicas(d);
  return s.updatedReplicas === replicas && s.replicas === replicas && s.availableReplicas === replicas && (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 0);
}

function isProgressing(d: Deployment, s: DeploymentStatus): boolean {
  const old = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (s.replicas ?? 0) - (s.updatedReplicas ?? 0);
  return (s.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) || newOld < oldOld || (s.readyReplicas ?? 0) > (old.readyReplicas ?? 0) || (s.availableReplicas ?? 0) > (old.availableReplicas ?? 0);
}

function timedOut(d: Deployment, cur: { reason?: string; lastUpdateTime?: string } | undefined): boolean {
  if (!cur) return false;
  if (cur.reason === REASON_TIMED_OUT) return true;
  const from = Date.parse(cur.lastUpdateTime ?? '');
  return Number.isFinite(from) && from + (d.spec?.progressDeadlineSeconds ?? 600) * 1000 < Date.now();
}
