// Filters: can this pod run on this node? Each returns the reasons it cannot,
// worded as Kubernetes words them, so the FailedScheduling message matches.
import type { NodeSelectorRequirement, NodeSelectorTerm, Pod, Taint, Toleration } from '@wharf/api';
import type { PodRequests } from '../util/pod.js';
import type { NodeInfo } from './node-info.js';

export const REASON_UNSCHEDULABLE = 'node(s) were unschedulable';
export const REASON_AFFINITY = "node(s) didn't match Pod's node affinity/selector";
export const REASON_PORTS = "node(s) didn't have free ports for the requested pod ports";
export const REASON_TOO_MANY_PODS = 'Too many pods';

/** Reasons a preemption could in principle fix (resources and ports); the rest it cannot. */
export function isResolvable(reason: string): boolean {
  return reason.startsWith('Insufficient ') || reason === REASON_TOO_MANY_PODS || reason === REASON_PORTS;
}

export function tolerates(tolerations: Toleration[] | undefined, taint: Taint): boolean {
  for (const t of tolerations ?? []) {
    if (t.effect && t.effect !== taint.effect) continue;
    if (t.operator === 'Exists') {
      if (!t.key || t.key === taint.key) return true;
      continue;
    }
    if (t.key === taint.key && (t.value ?? '') === (taint.value ?? '')) return true;
  }
  return false;
}

function matchRequirement(req: NodeSelectorRequirement, value: string | undefined): boolean {
  const has = value !== undefined;
  switch (req.operator) {
    case 'In':
      return has && (req.values ?? []).includes(value);
    case 'NotIn':
      return !has || !(req.values ?? []).includes(value);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'Gt':
      return has && Number(value) > Number(req.values?.[0]);
    case 'Lt':
      return has && Number(value) < Number(req.values?.[0]);
    default:
      return false;
  }
}

export function matchNodeSelectorTerm(term: NodeSelectorTerm, labels: Record<string, string>, nodeName: string): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  for (const r of exprs) if (!matchRequirement(r, labels[r.key])) return false;
  for (const r of fields) if (!matchRequirement(r, r.key === 'metadata.name' ? nodeName : undefined)) return false;
  return true;
}

/** A pod's scheduling constraints, extracted once and then checked against every node. */
export interface PodFilter {
  tolerations: Toleration[] | undefined;
  nodeSelector: Array<[string, string]>;
  required: NodeSelectorTerm[] | undefined;
  ports: string[];
  req: PodRequests;
  other: Array<[string, number]>;
  toleratesUnschedulable: boolean;
}

export function compilePodFilter(pod: Pod, req: PodRequests, ports: string[]): PodFilter {
  const spec = pod.spec;
  return {
    tolerations: spec?.tolerations,
    nodeSelector: Object.entries(spec?.nodeSelector ?? {}),
    required: spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms,
    ports,
    req,
    other: Object.entries(req.other).filter(([, v]) => v > 0),
    toleratesUnschedulable: tolerates(spec?.tolerations, { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }),
  };
}

/** The result for a node that fits; shared, never mutated. */
const FITS: readonly string[] = Object.freeze([]);

/**
 * Filters in Kubernetes' order; the first filter that fails decides the
 * node's reasons. Runs for hundreds of nodes per pod, so it allocates only
 * when a node does not fit.
 */
export function filterNode(f: PodFilter, info: NodeInfo): readonly string[] {
  const node = info.node!;
  if (node.spec?.unschedulable && !f.toleratesUnschedulable) return [REASON_UNSCHEDULABLE];
  for (const t of info.hardTaints) {
    if (!tolerates(f.tolerations, t)) return [`node(s) had untolerated taint {${t.key}: ${t.value ?? ''}}`];
  }
  if (f.nodeSelector.length || f.required) {
    const labels = node.metadata.labels ?? {};
    for (const [k, v] of f.nodeSelector) if (labels[k] !== v) return [REASON_AFFINITY];
    if (f.required && !f.required.some((t) => matchNodeSelectorTerm(t, labels, info.name))) return [REASON_AFFINITY];
  }
  for (const p of f.ports) if (info.usedPorts.has(p)) return [REASON_PORTS];
  const { req } = f;
  const tooMany = info.podCount + 1 > info.allocPods;
  const cpu = req.milliCpu > 0 && info.reqMilliCpu + req.milliCpu > info.allocMilliCpu;
  const mem = req.memory > 0 && info.reqMemory + req.memory > info.allocMemory;
  let other = false;
  for (const [k, v] of f.other) if ((info.reqOther[k] ?? 0) + v > (info.allocOther[k] ?? 0)) other = true;
  if (!tooMany && !cpu && !mem && !other) return FITS;
  const reasons: string[] = [];
  if (tooMany) reasons.push(REASON_TOO_MANY_PODS);
  if (cpu) reasons.push('Insufficient cpu');
  if (mem) reasons.push('Insufficient memory');
  for (const [k, v] of f.other) if ((info.reqOther[k] ?? 0) + v > (info.allocOther[k] ?? 0)) reasons.push(`Insufficient ${k}`);
  return reasons;
}

/**
 * `0/3 nodes are available: 1 node(s) had untolerated taint {a: b}, 2 Insufficient cpu. preemption: …`
 * Reason counts are sorted as strings, as Kubernetes' FitError sorts them.
 */
export function unschedulableMessage(total: number, reasonsByNode: Map<string, readonly string[]>): string {
  if (total === 0) return 'no nodes available to schedule pods';
  const counts = new Map<string, number>();
  let resolvableNodes = 0;
  for (const reasons of reasonsByNode.values()) {
    for (const r of reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
    if (reasons.length > 0 && reasons.every(isResolvable)) resolvableNodes++;
  }
  const parts = [...counts].map(([r, n]) => `${n} ${r}`).sort();
  const notHelpful = total - resolvableNodes;
  const pre = [resolvableNodes ? `${resolvableNodes} No preemption victims found for incoming pod` : '', notHelpful ? `${notHelpful} Preemption is not helpful for scheduling` : '']
    .filter(Boolean)
    .sort()
    .join(', ');
  return `0/${total} nodes are available: ${parts.join(', ')}. preemption: 0/${total} nodes are available: ${pre}.`;
}
