// Turning the metrics' proposal into the replica count actually written
// (horizontal.go's normalizeDesiredReplicas*): stabilization over recent
// recommendations, rate limits from the scaling policies over the recent
// scale events, and min/max clamping — each with the condition reason
// Kubernetes reports for it.
import type { HorizontalPodAutoscalerBehavior, HPAScalingRules } from '@wharf/api';

interface Recommendation {
  replicas: number;
  atMs: number;
}

interface ScaleEvent {
  change: number;
  atMs: number;
  outdated: boolean;
}

export interface ConditionOutcome {
  status: 'True' | 'False';
  reason: string;
  message: string;
}

export interface Normalized {
  desired: number;
  /** AbleToScale is True with this reason (ReadyForNewScale, ScaleUpStabilized, ScaleDownStabilized). */
  ableToScale: ConditionOutcome;
  scalingLimited: ConditionOutcome;
}

/** Complete scaling rules: what the controller acts with once defaults are filled in. */
export interface ScalingRules {
  stabilizationWindowSeconds: number;
  selectPolicy: 'Max' | 'Min' | 'Disabled';
  policies: Array<{ type: 'Pods' | 'Percent'; value: number; periodSeconds: number }>;
}

/** Without behavior, scale-ups are capped at max(2 × current, 4) (horizontal.go's scaleUpLimitFactor/Minimum). */
const SCALE_UP_LIMIT_FACTOR = 2;
const SCALE_UP_LIMIT_MINIMUM = 4;

/** Fills a behavior's gaps with Kubernetes' defaults; the scale-down window comes from the controller flag when unset. */
export function completeBehavior(b: HorizontalPodAutoscalerBehavior, downscaleStabilizationSeconds: number): { scaleUp: ScalingRules; scaleDown: ScalingRules } {
  const fill = (r: HPAScalingRules | undefined, window: number, policies: ScalingRules['policies']): ScalingRules => ({
    stabilizationWindowSeconds: r?.stabilizationWindowSeconds ?? window,
    selectPolicy: r?.selectPolicy ?? 'Max',
    policies: r?.policies?.length ? r.policies : policies,
  });
  return {
    scaleUp: fill(b.scaleUp, 0, [
      { type: 'Pods', value: 4, periodSeconds: 15 },
      { type: 'Percent', value: 100, periodSeconds: 15 },
    ]),
    scaleDown: fill(b.scaleDown, downscaleStabilizationSeconds, [{ type: 'Percent', value: 100, periodSeconds: 15 }]),
  };
}

/**
 * Per-HPA memory the normalization needs: recent recommendations and recent
 * scale events. It lives in the controller process only, as in Kubernetes — a
 * restarted controller starts with the current size as its only recommendation.
 */
export class ScalingHistory {
  private readonly recommendations = new Map<string, Recommendation[]>();
  private readonly upEvents = new Map<string, ScaleEvent[]>();
  private readonly downEvents = new Map<string, ScaleEvent[]>();

  constructor(private readonly now: () => number = Date.now) {}

  forget(key: string): void {
    this.recommendations.delete(key);
    this.upEvents.delete(key);
    this.downEvents.delete(key);
  }

  recordInitial(key: string, current: number): void {
    if (!this.recommendations.has(key)) this.recommendations.set(key, [{ replicas: current, atMs: this.now() }]);
  }

  /** The path without `behavior`: highest recommendation within the downscale window, then max(2×, 4) and min/max. */
  normalize(key: string, current: number, proposed: number, min: number, max: number, downscaleWindowMs: number): Normalized {
    const now = this.now();
    let stabilized = proposed;
    const recs = this.recommendations.get(key) ?? [];
    let oldIndex = -1;
    for (const [i, r] of recs.entries()) {
      if (r.atMs < now - downscaleWindowMs) oldIndex = i;
      else if (r.replicas > stabilized) stabilized = r.replicas;
    }
    if (oldIndex >= 0) recs[oldIndex] = { replicas: proposed, atMs: now };
    else recs.push({ replicas: proposed, atMs: now });
    this.recommendations.set(key, recs);
    const ableToScale: ConditionOutcome =
      stabilized !== proposed
        ? { status: 'True', reason: 'ScaleDownStabilized', message: 'recent recommendations were higher than current one, applying the highest recent recommendation' }
        : { status: 'True', reason: 'ReadyForNewScale', message: 'recommended size matches current size' };

    const scaleUpLimit = Math.max(SCALE_UP_LIMIT_FACTOR * current, SCALE_UP_LIMIT_MINIMUM);
    let maxAllowed: number;
    let limit: { reason: string; message: string };
    if (max > scaleUpLimit) {
      maxAllowed = scaleUpLimit;
      limit = { reason: 'ScaleUpLimit', message: 'the desired replica count is increasing faster than the maximum scale rate' };
    } else {
      maxAllowed = max;
      limit = { reason: 'TooManyReplicas', message: 'the desired replica count is more than the maximum replica count' };
    }
    let desired = stabilized;
    let outcome = { reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range' };
    if (stabilized < min) {
      desired = min;
      outcome = { reason: 'TooFewReplicas', message: 'the desired replica count is less than the minimum replica count' };
    } else if (stabilized > maxAllowed) {
      desired = maxAllowed;
      outcome = limit;
    }
    return { desired, ableToScale, scalingLimited: { status: desired === stabilized ? 'False' : 'True', ...outcome } };
  }

  /** The path with `behavior`: stabilization per direction, then the policies' rate limits, then min/max. */
  normalizeWithBehavior(key: string, rules: { scaleUp: ScalingRules; scaleDown: ScalingRules }, current: number, proposed: number, min: number, max: number): Normalized {
    const { stabilized, reason, message } = this.stabilize(key, rules, current, proposed);
    const ableToScale: ConditionOutcome = stabilized !== proposed ? { status: 'True', reason, message } : { status: 'True', reason: 'ReadyForNewScale', message: 'recommended size matches current size' };
    const limited = this.limitRate(key, rules, current, stabilized, min, max);
    return { desired: limited.desired, ableToScale, scalingLimited: { status: limited.desired === stabilized ? 'False' : 'True', reason: limited.reason, message: limited.message } };
  }

  /**
   * Kubernetes' current stabilizeRecommendationWithBehaviors: the lowest
   * recommendation of the scale-up window is a floor, the highest of the
   * scale-down window a ceiling, and the result starts from the current size,
   * so stabilization can hold a change back but never move the other way.
   */
  private stabilize(key: string, rules: { scaleUp: ScalingRules; scaleDown: ScalingRules }, current: number, proposed: number): { stabilized: number; reason: string; message: string } {
    const now = this.now();
    const upCutoff = now - rules.scaleUp.stabilizationWindowSeconds * 1000;
    const downCutoff = now - rules.scaleDown.stabilizationWindowSeconds * 1000;
    let upRecommendation = proposed;
    let downRecommendation = proposed;
    const recs = this.recommendations.get(key) ?? [];
    let oldIndex = -1;
    for (const [i, r] of recs.entries()) {
      if (r.atMs > upCutoff) upRecommendation = Math.min(r.replicas, upRecommendation);
      if (r.atMs > downCutoff) downRecommendation = Math.max(r.replicas, downRecommendation);
      if (r.atMs < upCutoff && r.atMs < downCutoff) oldIndex = i;
    }
    let stabilized = current;
    if (stabilized < upRecommendation) stabilized = upRecommendation;
    if (stabilized > downRecommendation) stabilized = downRecommendation;
    if (oldIndex >= 0) recs[oldIndex] = { replicas: proposed, atMs: now };
    else recs.push({ replicas: proposed, atMs: now });
    this.recommendations.set(key, recs);
    return proposed >= current
      ? { stabilized, reason: 'ScaleUpStabilized', message: 'recent recommendations were lower than current one, applying the lowest recent recommendation' }
      : { stabilized, reason: 'ScaleDownStabilized', message: 'recent recommendations were higher than current one, applying the highest recent recommendation' };
  }

  private changeInPeriod(events: ScaleEvent[], periodSeconds: number): number {
    const cutoff = this.now() - periodSeconds * 1000;
    let sum = 0;
    for (const e of events) if (e.atMs > cutoff) sum += e.change;
    return sum;
  }

  /** calculateScaleUpLimitWithScalingRules: the most replicas the policies allow right now. */
  scaleUpLimit(key: string, current: number, rules: ScalingRules): number {
    if (rules.selectPolicy === 'Disabled') return current;
    const events = this.upEvents.get(key) ?? [];
    const min = rules.selectPolicy === 'Min';
    let result = min ? Number.MAX_SAFE_INTEGER : Number.MIN_SAFE_INTEGER;
    for (const p of rules.policies) {
      const periodStart = current - this.changeInPeriod(events, p.periodSeconds);
      // Rounded up, or a small Percent policy would never add a pod.
      const proposed = p.type === 'Pods' ? periodStart + p.value : Math.ceil(periodStart * (1 + p.value / 100));
      result = min ? Math.min(result, proposed) : Math.max(result, proposed);
    }
    return result;
  }

  /** calculateScaleDownLimitWithBehaviors: the fewest replicas the policies allow right now. */
  scaleDownLimit(key: string, current: number, rules: ScalingRules): number {
    if (rules.selectPolicy === 'Disabled') return current;
    const events = this.downEvents.get(key) ?? [];
    // For a scale-down the smallest change ('Min') is the largest remaining count.
    const min = rules.selectPolicy === 'Min';
    let result = min ? Number.MIN_SAFE_INTEGER : Number.MAX_SAFE_INTEGER;
    for (const p of rules.policies) {
      const periodStart = current + this.changeInPeriod(events, p.periodSeconds);
      const proposed = p.type === 'Pods' ? periodStart - p.value : Math.trunc(periodStart * (1 - p.value / 100));
      result = min ? Math.max(result, proposed) : Math.min(result, proposed);
    }
    return result;
  }

  private limitRate(key: string, rules: { scaleUp: ScalingRules; scaleDown: ScalingRules }, current: number, desired: number, min: number, max: number): { desired: number; reason: string; message: string } {
    if (desired > current) {
      const limit = Math.max(this.scaleUpLimit(key, current, rules.scaleUp), current);
      const byRate = max > limit;
      const allowed = byRate ? limit : max;
      if (desired > allowed) {
        return byRate
          ? { desired: allowed, reason: 'ScaleUpLimit', message: 'the desired replica count is increasing faster than the maximum scale rate' }
          : { desired: allowed, reason: 'TooManyReplicas', message: 'the desired replica count is more than the maximum replica count' };
      }
    } else if (desired < current) {
      const limit = Math.min(this.scaleDownLimit(key, current, rules.scaleDown), current);
      const byRate = min < limit;
      const allowed = byRate ? limit : min;
      if (desired < allowed) {
        return byRate
          ? { desired: allowed, reason: 'ScaleDownLimit', message: 'the desired replica count is decreasing faster than the maximum scale rate' }
          : { desired: allowed, reason: 'TooFewReplicas', message: 'the desired replica count is less than the minimum replica count' };
      }
    }
    return { desired, reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range' };
  }

  /** storeScaleEvent: remembers a rescale so later rate limits count it (only needed with behavior). */
  recordScale(key: string, rules: { scaleUp: ScalingRules; scaleDown: ScalingRules } | undefined, prev: number, next: number): void {
    if (!rules) return;
    const up = next > prev;
    const map = up ? this.upEvents : this.downEvents;
    const longest = Math.max(0, ...(up ? rules.scaleUp : rules.scaleDown).policies.map((p) => p.periodSeconds));
    const cutoff = this.now() - longest * 1000;
    const events = map.get(key) ?? [];
    for (const e of events) if (e.atMs < cutoff) e.outdated = true;
    const ev: ScaleEvent = { change: Math.abs(next - prev), atMs: this.now(), outdated: false };
    const i = events.findIndex((e) => e.outdated);
    if (i >= 0) events[i] = ev;
    else events.push(ev);
    map.set(key, events);
  }
}
