// Stabilization and scaling policies: cases from the Kubernetes HPA
// documentation ("Scaling policies", "Stabilization window", "Default
// Behavior") and horizontal_test.go's rate-limit tables.
import { describe, expect, it } from 'vitest';
import { completeBehavior, ScalingHistory, type ScalingRules } from './behavior.js';

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (s: number) => (t += s * 1000) };
}

const DEFAULT = completeBehavior({}, 300);

describe('completeBehavior', () => {
  it('fills the Kubernetes defaults', () => {
    expect(DEFAULT).toEqual({
      scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }] },
      scaleDown: { stabilizationWindowSeconds: 300, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
    });
    expect(completeBehavior({ scaleDown: { stabilizationWindowSeconds: 10 } }, 300).scaleDown.stabilizationWindowSeconds).toBe(10);
  });
});

describe('rate limits (calculateScale{Up,Down}Limit)', () => {
  const docsDown: ScalingRules = { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 60 }, { type: 'Percent', value: 10, periodSeconds: 60 }] };
  it.each([
    // Docs: "the second policy will only be used when the number of pod replicas is more than 40".
    [80, 'Max', 72],
    [40, 'Max', 36],
    [30, 'Max', 26],
    [80, 'Min', 76],
    [80, 'Disabled', 80],
  ] as const)('scale-down from %d with selectPolicy %s allows down to %d', (current, selectPolicy, limit) => {
    const h = new ScalingHistory(clock().now);
    expect(h.scaleDownLimit('k', current, { ...docsDown, selectPolicy })).toBe(limit);
  });

  it.each([
    [5, 'Max', 10], // max(5+4, 5×2)
    [1, 'Max', 5], // max(1+4, 2)
    [5, 'Min', 9],
    [5, 'Disabled', 5],
  ] as const)('default scale-up from %d with selectPolicy %s allows up to %d', (current, selectPolicy, limit) => {
    const h = new ScalingHistory(clock().now);
    expect(h.scaleUpLimit('k', current, { ...DEFAULT.scaleUp, selectPolicy })).toBe(limit);
  });

  it('counts recent scale events against the period', () => {
    const c = clock();
    const h = new ScalingHistory(c.now);
    h.recordScale('k', DEFAULT, 3, 5); // +2
    c.advance(10);
    // Period start 3: max(3+4, 3×2) = 7.
    expect(h.scaleUpLimit('k', 5, DEFAULT.scaleUp)).toBe(7);
    c.advance(6); // the event is now older than 15 s
    expect(h.scaleUpLimit('k', 5, DEFAULT.scaleUp)).toBe(10);
  });

  it('with a Pods policy of 1 per 60 s, a second scale-up in the period is limited', () => {
    const c = clock();
    const rules = completeBehavior({ scaleUp: { policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] } }, 300);
    const h = new ScalingHistory(c.now);
    h.recordInitial('k', 2);
    let n = h.normalizeWithBehavior('k', rules, 2, 6, 1, 10);
    expect(n.desired).toBe(3);
    expect(n.scalingLimited).toMatchObject({ status: 'True', reason: 'ScaleUpLimit' });
    h.recordScale('k', rules, 2, 3);
    c.advance(30);
    n = h.normalizeWithBehavior('k', rules, 3, 6, 1, 10);
    expect(n.desired).toBe(3);
    c.advance(31);
    n = h.normalizeWithBehavior('k', rules, 3, 6, 1, 10);
    expect(n.desired).toBe(4);
  });
});

describe('normalizeWithBehavior', () => {
  it('clamps to maxReplicas (TooManyReplicas) and minReplicas (TooFewReplicas)', () => {
    const c = clock();
    const h = new ScalingHistory(c.now);
    const rules = completeBehavior({ scaleDown: { stabilizationWindowSeconds: 0 } }, 300);
    let n = h.normalizeWithBehavior('k', rules, 3, 20, 1, 5);
    expect(n).toMatchObject({ desired: 5, scalingLimited: { status: 'True', reason: 'TooManyReplicas', message: 'the desired replica count is more than the maximum replica count' } });
    n = h.normalizeWithBehavior('k', rules, 3, 0, 2, 5);
    expect(n).toMatchObject({ desired: 2, scalingLimited: { status: 'True', reason: 'TooFewReplicas' } });
    n = h.normalizeWithBehavior('k', rules, 3, 4, 2, 5);
    expect(n).toMatchObject({ desired: 4, ableToScale: { reason: 'ReadyForNewScale' }, scalingLimited: { status: 'False', reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range' } });
  });

  it('holds a scale-down for the stabilization window (the highest recent recommendation wins)', () => {
    const c = clock();
    const h = new ScalingHistory(c.now);
    const rules = completeBehavior({ scaleDown: { stabilizationWindowSeconds: 60 } }, 300);
    h.recordInitial('k', 4);
    let n = h.normalizeWithBehavior('k', rules, 4, 1, 1, 10);
    expect(n).toMatchObject({ desired: 4, ableToScale: { reason: 'ScaleDownStabilized', message: 'recent recommendations were higher than current one, applying the highest recent recommendation' } });
    c.advance(30);
    n = h.normalizeWithBehavior('k', rules, 4, 2, 1, 10);
    expect(n.desired).toBe(4);
    c.advance(31); // the 4 and the 1 from t=0 left the window; the 2 from t=30 remains
    n = h.normalizeWithBehavior('k', rules, 4, 1, 1, 10);
    expect(n.desired).toBe(2);
    c.advance(61);
    n = h.normalizeWithBehavior('k', rules, 2, 1, 1, 10);
    expect(n.desired).toBe(1);
  });

  it('with a scale-up stabilization window the lowest recent recommendation wins', () => {
    const c = clock();
    const h = new ScalingHistory(c.now);
    const rules = completeBehavior({ scaleUp: { stabilizationWindowSeconds: 30 } }, 300);
    h.recordInitial('k', 3);
    const n = h.normalizeWithBehavior('k', rules, 3, 6, 1, 10);
    expect(n).toMatchObject({ desired: 3, ableToScale: { reason: 'ScaleUpStabilized', message: 'recent recommendations were lower than current one, applying the lowest recent recommendation' } });
    c.advance(31);
    expect(h.normalizeWithBehavior('k', rules, 3, 6, 1, 10).desired).toBe(6);
  });

  it('a scale-down policy of 50% per 15 s halves at most each period', () => {
    const c = clock();
    const h = new ScalingHistory(c.now);
    const rules = completeBehavior({ scaleDown: { stabilizationWindowSeconds: 0, policies: [{ type: 'Percent', value: 50, periodSeconds: 15 }] } }, 300);
    let n = h.normalizeWithBehavior('k', rules, 8, 1, 1, 10);
    expect(n).toMatchObject({ desired: 4, scalingLimited: { status: 'True', reason: 'ScaleDownLimit', message: 'the desired replica count is decreasing faster than the maximum scale rate' } });
    h.recordScale('k', rules, 8, 4);
    c.advance(5);
    n = h.normalizeWithBehavior('k', rules, 4, 1, 1, 10);
    expect(n.desired).toBe(4); // period start is still 8: 50% of 8 already used
    c.advance(11);
    n = h.normalizeWithBehavior('k', rules, 4, 1, 1, 10);
    expect(n.desired).toBe(2);
  });
});

describe('stabilization never moves against the proposal', () => {
  it('a scale-down proposal below recent higher recommendations keeps the current size instead of growing', () => {
    const c = clock();
    const h = new ScalingHistory(c.now);
    const rules = completeBehavior({ scaleDown: { stabilizationWindowSeconds: 30 } }, 300);
    h.recordInitial('k', 6);
    // A recommendation of 10 was limited by the rate policy to 8.
    expect(h.normalizeWithBehavior('k', rules, 6, 10, 1, 8).desired).toBe(8);
    c.advance(10);
    const n = h.normalizeWithBehavior('k', rules, 8, 5, 1, 20);
    expect(n).toMatchObject({ desired: 8, ableToScale: { reason: 'ScaleDownStabilized' } });
  });
});

describe('normalize (no behavior)', () => {
  it('limits a scale-up to max(2×current, 4) and reports ScaleUpLimit', () => {
    const h = new ScalingHistory(clock().now);
    h.recordInitial('k', 1);
    expect(h.normalize('k', 1, 10, 1, 20, 300_000)).toMatchObject({ desired: 4, scalingLimited: { status: 'True', reason: 'ScaleUpLimit' } });
    expect(h.normalize('k', 3, 10, 1, 20, 300_000)).toMatchObject({ desired: 6 });
    expect(h.normalize('k', 3, 10, 1, 5, 300_000)).toMatchObject({ desired: 5, scalingLimited: { reason: 'TooManyReplicas' } });
  });

  it('keeps the highest recommendation of the downscale window', () => {
    const c = clock();
    const h = new ScalingHistory(c.now);
    h.recordInitial('k', 5);
    expect(h.normalize('k', 5, 2, 1, 10, 300_000)).toMatchObject({ desired: 5, ableToScale: { reason: 'ScaleDownStabilized' } });
    c.advance(301);
    expect(h.normalize('k', 5, 2, 1, 10, 300_000).desired).toBe(2);
  });
});
