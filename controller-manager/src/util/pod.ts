// Pod facts every controller agrees on: readiness, availability, activity.
import type { Pod, PodCondition } from '@wharf/api';
import { milli, parseQuantity } from './quantity.js';

export function podCondition(pod: Pod, type: string): PodCondition | undefined {
  return pod.status?.conditions?.find((c) => c.type === type);
}

export function isPodReady(pod: Pod): boolean {
  return podCondition(pod, 'Ready')?.status === 'True';
}

/** Ready for at least minReadySeconds (measured from the Ready transition). */
export function isPodAvailable(pod: Pod, minReadySeconds: number, now = Date.now()): boolean {
  const c = podCondition(pod, 'Ready');
  if (c?.status !== 'True') return false;
  if (minReadySeconds <= 0) return true;
  const since = c.lastTransitionTime ? Date.parse(c.lastTransitionTime) : NaN;
  return Number.isFinite(since) && since + minReadySeconds * 1000 <= now;
}

export function isPodTerminal(pod: Pod): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

/** Counts toward a controller's replicas: not finished and not being deleted. */
export function isPodActive(pod: Pod): boolean {
  return !isPodTerminal(pod) && !pod.metadata.deletionTimestamp;
}

export interface PodRequests {
  milliCpu: number;
  memory: number;
  /** Any other requested resources, in base units. */
  other: Record<string, number>;
}

function safe(fn: () => number): number {
  try {
    return fn();
  } catch {
    return 0;
  }
}

/**
 * Effective requests as the scheduler computes them: the sum over containers,
 * raised to the largest init container, plus pod overhead. A limit with no
 * request counts as the request (the apiserver defaults it that way).
 */
export function podRequests(pod: Pod): PodRequests {
  const sum: PodRequests = { milliCpu: 0, memory: 0, other: {} };
  const add = (acc: PodRequests, list: Record<string, string> | undefined, sign = 1) => {
    for (const [k, v] of Object.entries(list ?? {})) {
      if (k === 'cpu') acc.milliCpu += sign * safe(() => milli(v));
      else if (k === 'memory') acc.memory += sign * safe(() => parseQuantity(v));
      else acc.other[k] = (acc.other[k] ?? 0) + sign * safe(() => parseQuantity(v));
    }
  };
  const reqs = (c: { resources?: { requests?: Record<string, string>; limits?: Record<string, string> } }) => ({ ...(c.resources?.limits ?? {}), ...(c.resources?.requests ?? {}) });
  for (const c of pod.spec?.containers ?? []) add(sum, reqs(c));
  for (const c of pod.spec?.initContainers ?? []) {
    const one: PodRequests = { milliCpu: 0, memory: 0, other: {} };
    add(one, reqs(c));
    sum.milliCpu = Math.max(sum.milliCpu, one.milliCpu);
    sum.memory = Math.max(sum.memory, one.memory);
    for (const [k, v] of Object.entries(one.other)) sum.other[k] = Math.max(sum.other[k] ?? 0, v);
  }
  add(sum, pod.spec?.overhead);
  return sum;
}

export function nowIso(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}
