// Scores: of the nodes that fit, which is best? Each plugin scores 0–100;
// the weighted sum decides (weights as in Kubernetes' default profile).
import type { Pod } from '@wharf/api';
import { matchNodeSelectorTerm } from './filters.js';
import type { NodeInfo } from './node-info.js';
import type { PodRequests } from '../util/pod.js';

const WEIGHT_LEAST_ALLOCATED = 1;
const WEIGHT_SPREAD = 2;
const WEIGHT_NODE_AFFINITY = 2;

/** Free share of cpu and memory after placing the pod, averaged. */
function leastAllocated(req: PodRequests, info: NodeInfo): number {
  const cpuReq = info.nonZeroCpu + (req.milliCpu || 100);
  const memReq = info.nonZeroMemory + (req.memory || 200 * 1024 * 1024);
  const part = (used: number, cap: number) => (cap <= 0 ? 0 : Math.max(0, ((cap - used) * 100) / cap));
  return (part(cpuReq, info.allocMilliCpu) + part(memReq, info.allocMemory)) / 2;
}

export function scoreNodes(pod: Pod, req: PodRequests, nodes: NodeInfo[]): number[] {
  const owner = pod.metadata.ownerReferences?.find((r) => r.controller)?.uid;
  const preferred = pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [];
  let maxOwner = 0;
  let maxAffinity = 0;
  const ownerCounts = nodes.map((n) => {
    const c = owner ? (n.ownerCounts.get(owner) ?? 0) : 0;
    if (c > maxOwner) maxOwner = c;
    return c;
  });
  const affinity = nodes.map((n) => {
    let s = 0;
    for (const term of preferred) if (matchNodeSelectorTerm(term.preference, n.node?.metadata.labels ?? {}, n.name)) s += term.weight;
    if (s > maxAffinity) maxAffinity = s;
    return s;
  });
  return nodes.map((n, i) => {
    const spread = maxOwner === 0 ? 100 : ((maxOwner - ownerCounts[i]!) * 100) / maxOwner;
    const aff = maxAffinity === 0 ? 0 : (affinity[i]! * 100) / maxAffinity;
    return WEIGHT_LEAST_ALLOCATED * leastAllocated(req, n) + WEIGHT_SPREAD * spread + WEIGHT_NODE_AFFINITY * aff;
  });
}
