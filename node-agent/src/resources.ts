// Requests and limits → cgroup settings (the kubelet's formulas) and the QoS class.
import { milli, parseQuantity, type Container, type Pod } from '@wharf/api';
import type * as P from '@wharf/proto';

const CPU_PERIOD = 100_000;
const MIN_SHARES = 2;

export function linuxResources(c: Container): P.DeepPartial<P.LinuxContainerResources> {
  const req = c.resources?.requests ?? {};
  const lim = c.resources?.limits ?? {};
  // A limit without a request means request = limit (API defaulting does this too).
  const cpuReq = req['cpu'] ?? lim['cpu'];
  const out: P.DeepPartial<P.LinuxContainerResources> = {
    cpu_shares: cpuReq !== undefined ? Math.max(MIN_SHARES, Math.floor((milli(cpuReq) * 1024) / 1000)) : MIN_SHARES,
  };
  if (lim['cpu'] !== undefined) {
    out.cpu_period = CPU_PERIOD;
    out.cpu_quota = Math.max(1000, Math.floor((milli(lim['cpu']) * CPU_PERIOD) / 1000));
  }
  if (lim['memory'] !== undefined) out.memory_limit_in_bytes = Math.floor(parseQuantity(lim['memory']));
  return out;
}

export type QosClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

export function qosClass(pod: Pod): QosClass {
  const all = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
  let any = false;
  let guaranteed = true;
  for (const c of all) {
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    for (const r of ['cpu', 'memory']) {
      const q = req[r] ?? lim[r];
      if (q !== undefined && parseQuantity(q) > 0) any = true;
      const l = lim[r];
      if (l === undefined || (req[r] !== undefined && parseQuantity(req[r]!) !== parseQuantity(l))) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}
