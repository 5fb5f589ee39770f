// HPA conditions and the status write, as Kubernetes' setCondition does it: a
// condition keeps its place in the list and its lastTransitionTime until its
// status actually changes.
import type { HorizontalPodAutoscalerCondition } from '@wharf/api';

export type HpaConditionType = 'AbleToScale' | 'ScalingActive' | 'ScalingLimited';

export function setCondition(list: HorizontalPodAutoscalerCondition[], type: HpaConditionType, status: 'True' | 'False', reason: string, message: string, now: () => string): HorizontalPodAutoscalerCondition[] {
  const out = list.map((c) => ({ ...c }));
  let c = out.find((x) => x.type === type);
  if (!c) {
    c = { type, status };
    out.push(c);
    c.lastTransitionTime = now();
  } else if (c.status !== status) c.lastTransitionTime = now();
  c.status = status;
  c.reason = reason;
  c.message = message;
  return out;
}

/** A thousandths count as Kubernetes prints NewMilliQuantity(v, DecimalSI): "250m", "2", "1500m", "10485760". */
export function milliQuantity(v: number): string {
  const n = Math.trunc(v);
  if (n % 1000 !== 0) return `${n}m`;
  const whole = n / 1000;
  if (whole !== 0 && whole % 1000 === 0) {
    const suffixes = ['', 'k', 'M', 'G', 'T', 'P', 'E'];
    let x = whole;
    let i = 0;
    while (x % 1000 === 0 && i < suffixes.length - 1) {
      x /= 1000;
      i++;
    }
    return `${x}${suffixes[i]}`;
  }
  return String(whole);
}
