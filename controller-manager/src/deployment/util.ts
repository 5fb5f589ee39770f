// Deployment helpers with Kubernetes' exact arithmetic: template hashing,
// revision annotations, surge/unavailable fenceposts and proportions.
import type { Deployment, DeploymentCondition, PodTemplateSpec, ReplicaSet } from '@wharf/api';
import { scaledValue } from '../util/int-or-percent.js';

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
export const DESIRED_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/max-replicas';
export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';

/** Deployment annotations that are not copied onto its ReplicaSets. */
const SKIPPED_ANNOTATIONS = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION_ANNOTATION,
  'deployment.kubernetes.io/revision-history',
  DESIRED_REPLICAS_ANNOTATION,
  MAX_REPLICAS_ANNOTATION,
  'deprecated.deployment.rollback.to',
]);

/** JSON with sorted keys: equal objects always give equal text. */
export function stableJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${stableJson(o[k])}`)
    .join(',')}}`;
}

function fnv32a(s: string): number {
  let h = 0x811c9dc5;
  const bytes = Buffer.from(s, 'utf8');
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

const SAFE = 'bcdfghjklmnpqrstvwxz2456789';

/** pod-template-hash: FNV-32a of the template (and collision count), spelled in Kubernetes' safe alphabet. */
export function computeHash(template: PodTemplateSpec, collisionCount?: number): string {
  const digits = String(fnv32a(stableJson(template) + (collisionCount ? String(collisionCount) : '')));
  let out = '';
  for (let i = 0; i < digits.length; i++) out += SAFE[digits.charCodeAt(i) % SAFE.length];
  return out;
}

/**
 * Drops nulls and empty objects/arrays: Go compares typed structs, where
 * `creationTimestamp: null` (what `kubectl rollout undo` sends back) and an
 * absent field are the same zero value.
 */
function normalize(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(normalize);
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    const n = normalize(x);
    if (n === null || n === undefined) continue;
    if (typeof n === 'object' && (Array.isArray(n) ? n.length === 0 : Object.keys(n).length === 0)) continue;
    out[k] = n;
  }
  return out;
}

function withoutHash(t: PodTemplateSpec | undefined): unknown {
  const copy = structuredClone(t ?? {});
  if (copy.metadata?.labels) delete copy.metadata.labels[POD_TEMPLATE_HASH_LABEL];
  return normalize(copy);
}

/** Templates equal apart from pod-template-hash: how the new ReplicaSet is recognized (and rollback reuses an old one). */
export function equalIgnoreHash(a: PodTemplateSpec | undefined, b: PodTemplateSpec | undefined): boolean {
  return stableJson(withoutHash(a)) === stableJson(withoutHash(b));
}

export function revisionOf(rs: ReplicaSet): number {
  const v = Number(rs.metadata.annotations?.[REVISION_ANNOTATION] ?? '0');
  return Number.isFinite(v) ? v : 0;
}

export function maxRevision(rss: ReplicaSet[]): number {
  return rss.reduce((m, rs) => Math.max(m, revisionOf(rs)), 0);
}

export function isRollingUpdate(d: Deployment): boolean {
  return (d.spec?.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
}

export function specReplicas(d: { spec?: { replicas?: number } }): number {
  return d.spec?.replicas ?? 1;
}

/** resolveFenceposts: surge rounds up, unavailable rounds down, and both zero means unavailable 1. */
export function resolveFenceposts(d: Deployment): { maxSurge: number; maxUnavailable: number } {
  const desired = specReplicas(d);
  const ru = d.spec?.strategy?.rollingUpdate;
  const maxSurge = scaledValue(ru?.maxSurge, desired, true, '25%');
  let maxUnavailable = scaledValue(ru?.maxUnavailable, desired, false, '25%');
  if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable };
}

export function maxSurge(d: Deployment): number {
  return isRollingUpdate(d) ? resolveFenceposts(d).maxSurge : 0;
}

export function maxUnavailable(d: Deployment): number {
  const replicas = specReplicas(d);
  if (!isRollingUpdate(d) || replicas === 0) return 0;
  return Math.min(replicas, resolveFenceposts(d).maxUnavailable);
}

export function sumSpec(rss: ReplicaSet[]): number {
  return rss.reduce((n, rs) => n + (rs.spec?.replicas ?? 0), 0);
}
export function sumStatus(rss: ReplicaSet[], f: 'replicas' | 'readyReplicas' | 'availableReplicas'): number {
  return rss.reduce((n, rs) => n + (rs.status?.[f] ?? 0), 0);
}

/** NewRSNewReplicas: how big the new ReplicaSet may be right now. */
export function newRSNewReplicas(d: Deployment, all: ReplicaSet[], newRS: ReplicaSet): number {
  const replicas = specReplicas(d);
  if (!isRollingUpdate(d)) return replicas;
  const surge = resolveFenceposts(d).maxSurge;
  const current = sumSpec(all);
  const maxTotal = replicas + surge;
  const cur = newRS.spec?.replicas ?? 0;
  if (current >= maxTotal) return cur;
  return cur + Math.min(maxTotal - current, replicas - cur);
}

/** Sets desired/max replicas annotations; returns true if anything changed. */
export function setReplicasAnnotations(rs: ReplicaSet, desired: number, max: number): boolean {
  const a = (rs.metadata.annotations ??= {});
  let changed = false;
  if (a[DESIRED_REPLICAS_ANNOTATION] !== String(desired)) {
    a[DESIRED_REPLICAS_ANNOTATION] = String(desired);
    changed = true;
  }
  if (a[MAX_REPLICAS_ANNOTATION] !== String(max)) {
    a[MAX_REPLICAS_ANNOTATION] = String(max);
    changed = true;
  }
  return changed;
}

/** Copies the deployment's annotations and raises the revision; returns true if anything changed. */
export function setNewReplicaSetAnnotations(d: Deployment, rs: ReplicaSet, newRevision: number, exists: boolean): boolean {
  const a = (rs.metadata.annotations ??= {});
  let changed = false;
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) {
    if (SKIPPED_ANNOTATIONS.has(k) || a[k] === v) continue;
    a[k] = v;
    changed = true;
  }
  if (revisionOf(rs) < newRevision) {
    a[REVISION_ANNOTATION] = String(newRevision);
    changed = true;
  }
  if (!exists && setReplicasAnnotations(rs, specReplicas(d), specReplicas(d) + maxSurge(d))) changed = true;
  return changed;
}

export function getCondition(conds: DeploymentCondition[] | undefined, type: string): DeploymentCondition | undefined {
  return conds?.find((c) => c.type === type);
}

/** SetDeploymentCondition: same status and reason is a no-op; same status keeps lastTransitionTime. */
export function setCondition(conds: DeploymentCondition[], c: DeploymentCondition): DeploymentCondition[] {
  const cur = getCondition(conds, c.type);
  if (cur && cur.status === c.status && cur.reason === c.reason) return conds;
  const next = cur && cur.status === c.status ? { ...c, lastTransitionTime: cur.lastTransitionTime } : c;
  return [...conds.filter((x) => x.type !== c.type), next];
}

export function removeCondition(conds: DeploymentCondition[], type: string): DeploymentCondition[] {
  return conds.filter((c) => c.type !== type);
}

export function newCondition(type: string, status: 'True' | 'False' | 'Unknown', reason: string, message: string): DeploymentCondition {
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  return { type, status, lastUpdateTime: now, lastTransitionTime: now, reason, message };
}

export function creationTime(rs: ReplicaSet): number {
  const t = Date.parse(rs.metadata.creationTimestamp ?? '');
  return Number.isFinite(t) ? t : 0;
}

/** Oldest first; ties broken by name, as Kubernetes' ReplicaSetsByCreationTimestamp does. */
export function byCreation(a: ReplicaSet, b: ReplicaSet): number {
  return creationTime(a) - creationTime(b) || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '');
}
