// The two rollout strategies, step for step as Kubernetes runs them.
import type { ReplicaSet } from '@wharf/api';
import type { DeploymentSync } from './sync.js';
import { byCreation, isRollingUpdate, maxUnavailable, newRSNewReplicas, specReplicas, sumSpec, sumStatus } from './util.js';
import { isComplete } from './sync.js';

export async function rolloutRolling(s: DeploymentSync): Promise<void> {
  await s.getAll(true);
  if (await reconcileNewReplicaSet(s)) return s.syncRolloutStatus();
  if (await reconcileOldReplicaSets(s)) return s.syncRolloutStatus();
  if (isComplete(s.d, s.calculateStatus())) await s.cleanup();
  await s.syncRolloutStatus();
}

async function reconcileNewReplicaSet(s: DeploymentSync): Promise<boolean> {
  const newRS = s.newRS;
  if (!newRS) return false;
  const replicas = specReplicas(s.d);
  const cur = newRS.spec?.replicas ?? 0;
  if (cur === replicas) return false;
  if (cur > replicas) return s.scaleReplicaSet(newRS, replicas);
  return s.scaleReplicaSet(newRS, newRSNewReplicas(s.d, s.allRSs, newRS));
}

async function reconcileOldReplicaSets(s: DeploymentSync): Promise<boolean> {
  const d = s.d;
  const oldCount = sumSpec(s.oldRSs);
  if (oldCount === 0) return false;
  const minAvailable = specReplicas(d) - maxUnavailable(d);
  const newRS = s.newRS;
  const newUnavailable = newRS ? (newRS.spec?.replicas ?? 0) - (newRS.status?.availableReplicas ?? 0) : 0;
  const maxScaledDown = sumSpec(s.allRSs) - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return false;
  const cleaned = await cleanupUnhealthyReplicas(s, maxScaledDown);
  const scaledDown = await scaleDownOldForRollingUpdate(s);
  return cleaned + scaledDown > 0;
}

/** Old ReplicaSets' unavailable pods go first: removing them costs no availability. */
async function cleanupUnhealthyReplicas(s: DeploymentSync, maxCleanup: number): Promise<number> {
  let total = 0;
  for (const rs of [...s.oldRSs].sort(byCreation)) {
    if (total >= maxCleanup) break;
    const spec = rs.spec?.replicas ?? 0;
    if (spec === 0) continue;
    const unhealthy = spec - (rs.status?.availableReplicas ?? 0);
    if (unhealthy <= 0) continue;
    const n = Math.min(maxCleanup - total, unhealthy);
    await s.scaleReplicaSet(rs, spec - n);
    total += n;
  }
  return total;
}

async function scaleDownOldForRollingUpdate(s: DeploymentSync): Promise<number> {
  const d = s.d;
  const minAvailable = specReplicas(d) - maxUnavailable(d);
  const available = sumStatus(s.allRSs, 'availableReplicas');
  if (available <= minAvailable) return 0;
  const want = available - minAvailable;
  let total = 0;
  for (const rs of [...s.oldRSs].sort(byCreation)) {
    if (total >= want) break;
    const spec = rs.spec?.replicas ?? 0;
    if (spec === 0) continue;
    const n = Math.min(spec, want - total);
    await s.scaleReplicaSet(rs, spec - n);
    total += n;
  }
  return total;
}

export async function rolloutRecreate(s: DeploymentSync): Promise<void> {
  await s.getAll(false);
  const active = s.oldRSs.filter((rs: ReplicaSet) => (rs.spec?.replicas ?? 0) > 0);
  let scaledDown = false;
  for (const rs of active) if (await s.scaleReplicaSet(rs, 0)) scaledDown = true;
  if (scaledDown) return s.syncRolloutStatus();
  if (s.oldPodsRunning()) return s.syncRolloutStatus();
  if (!s.newRS) await s.getAll(true);
  if (s.newRS && (s.newRS.spec?.replicas ?? 0) !== specReplicas(s.d)) await s.scaleReplicaSet(s.newRS, specReplicas(s.d));
  if (isComplete(s.d, s.calculateStatus())) await s.cleanup();
  await s.syncRolloutStatus();
}

export { isRollingUpdate };
