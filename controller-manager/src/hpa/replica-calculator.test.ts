// Cases from Kubernetes' pkg/controller/podautoscaler/replica_calculator_test.go
// (same replicas, levels, requests and targets), plus the AverageValue path.
import { describe, expect, it } from 'vitest';
import type { Pod } from '@wharf/api';
import { groupPods, plainMetricReplicas, ReplicaCalculationError, resourceReplicas, type CalculatorOptions, type PodMetricsInfo } from './replica-calculator.js';

const NOW = Date.parse('2026-01-01T12:00:00Z');
// Kubernetes' tests: tolerance 0.1, CPU initialization period 2 min, initial readiness delay 10 s.
const OPTS: CalculatorOptions = { tolerance: 0.1, cpuInitializationPeriodMs: 120_000, delayOfInitialReadinessStatusMs: 10_000, now: NOW };
const COOL_START = NOW - 3 * 60_000;

interface Case {
  name: string;
  current: number;
  expected: number;
  levels: Array<number | undefined>;
  requests: number[];
  target: number;
  utilization?: number;
  rawAverage?: number;
  ready?: boolean[];
  phases?: string[];
  deleted?: boolean[];
  started?: number[];
  readySince?: number[];
}

function pods(c: Case, resource = 'cpu'): { pods: Pod[]; metrics: PodMetricsInfo } {
  const list: Pod[] = [];
  const metrics: PodMetricsInfo = new Map();
  c.requests.forEach((req, i) => {
    const start = c.started?.[i] ?? COOL_START;
    const ready = c.ready?.[i] ?? true;
    list.push({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `test-pod-${i}`, namespace: 'default', labels: { name: 'test-pod' }, ...(c.deleted?.[i] ? { deletionTimestamp: new Date(NOW).toISOString() } : {}) },
      spec: { containers: [{ name: 'c', image: 'x', resources: { requests: { [resource]: `${req}m` } } }] },
      status: {
        phase: (c.phases?.[i] ?? 'Running') as 'Running',
        startTime: new Date(start).toISOString(),
        conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: new Date(c.readySince?.[i] ?? start).toISOString() }],
      },
    });
    const level = c.levels[i];
    if (level !== undefined) metrics.set(`test-pod-${i}`, { value: level, timestampMs: NOW, windowMs: 30_000 });
  });
  return { pods: list, metrics };
}

const UTILIZATION_CASES: Case[] = [
  { name: 'scale up', current: 3, expected: 5, levels: [300, 500, 700], requests: [1000, 1000, 1000], target: 30, utilization: 50, rawAverage: 500 },
  { name: 'scale up, unready pods scale less', current: 3, expected: 4, ready: [false, true, true], levels: [300, 500, 700], requests: [1000, 1000, 1000], target: 30, utilization: 60, rawAverage: 600 },
  { name: 'scale up, unready pods prevent scaling', current: 3, expected: 3, ready: [true, false, false], levels: [400, 500, 700], requests: [1000, 1000, 1000], target: 30, utilization: 40, rawAverage: 400 },
  { name: 'scale up ignores failed pods', current: 2, expected: 4, ready: [true, true, false, false], phases: ['Running', 'Running', 'Failed', 'Failed'], levels: [500, 700, 0, 0], requests: [1000, 1000, 1000, 1000], target: 30, utilization: 60, rawAverage: 600 },
  { name: 'scale up ignores pods being deleted', current: 2, expected: 4, ready: [true, true, false, false], deleted: [false, false, true, true], levels: [500, 700, 0, 0], requests: [1000, 1000, 1000, 1000], target: 30, utilization: 60, rawAverage: 600 },
  { name: 'pending pods count as 0% on a scale-up', current: 2, expected: 2, phases: ['Running', 'Pending'], levels: [1000, undefined], requests: [500, 500], target: 100, utilization: 200, rawAverage: 1000 },
  { name: 'pending pods damp a larger scale-up', current: 2, expected: 3, phases: ['Running', 'Pending'], levels: [1500, undefined], requests: [500, 500], target: 100, utilization: 300, rawAverage: 1500 },
  { name: 'scale down', current: 5, expected: 3, levels: [100, 300, 500, 250, 250], requests: [1000, 1000, 1000, 1000, 1000], target: 50, utilization: 28, rawAverage: 280 },
  { name: 'scale down ignores unready pods', current: 5, expected: 2, ready: [true, true, true, false, false], levels: [100, 300, 500, 250, 250], requests: [1000, 1000, 1000, 1000, 1000], target: 50, utilization: 30, rawAverage: 300 },
  { name: 'within tolerance', current: 3, expected: 3, levels: [1010, 1030, 1020], requests: [900, 1000, 1100], target: 100, utilization: 102, rawAverage: 1020 },
  { name: 'missing metrics count as 100% on a scale-down', current: 4, expected: 3, levels: [400, 95, undefined, undefined], requests: [1000, 1000, 1000, 1000], target: 100, utilization: 24, rawAverage: 247 },
  { name: 'missing metrics, ratio exactly 1: no change', current: 2, expected: 2, levels: [1000, undefined], requests: [1000, 1000], target: 100, utilization: 100, rawAverage: 1000 },
  { name: 'missing metrics as 0% bring a scale-up within tolerance', current: 2, expected: 2, levels: [1900, undefined], requests: [1000, 1000], target: 100, utilization: 190, rawAverage: 1900 },
  { name: 'missing metrics as 100% keep a scale-down small', current: 2, expected: 2, levels: [600, undefined], requests: [1000, 1000], target: 100, utilization: 60, rawAverage: 600 },
  { name: 'missing metrics would flip the direction: no change', current: 3, expected: 3, ready: [false, true, true], levels: [100, 450, undefined], requests: [1000, 1000, 1000], target: 50, utilization: 45, rawAverage: 450 },
  { name: 'missing and unready pods on a scale-up', current: 3, expected: 4, ready: [false, true, true], levels: [100, 2000, undefined], requests: [1000, 1000, 1000], target: 50, utilization: 200, rawAverage: 2000 },
  { name: 'missing and unready pods on a scale-down', current: 4, expected: 3, ready: [false, true, true, true], levels: [100, 100, 100, undefined], requests: [1000, 1000, 1000, 1000], target: 50, utilization: 10, rawAverage: 100 },
  {
    name: 'a young pod whose sample predates readiness counts as 0% on a scale-up',
    current: 2,
    expected: 3,
    levels: [1500, 1500],
    requests: [500, 500],
    started: [COOL_START, NOW - 20_000],
    readySince: [COOL_START, NOW - 5_000],
    target: 100,
    utilization: 300,
    rawAverage: 1500,
  },
];

describe('resourceReplicas (Utilization targets)', () => {
  it.each(UTILIZATION_CASES)('$name', (c) => {
    const { pods: list, metrics } = pods(c);
    const r = resourceReplicas(c.current, c.target, 'cpu', list, metrics, OPTS);
    expect(r.replicas).toBe(c.expected);
    if (c.utilization !== undefined) expect(r.utilization).toBe(c.utilization);
    if (c.rawAverage !== undefined) expect(r.rawAverage).toBe(c.rawAverage);
  });

  it('fails without pods, without metrics, or without requests', () => {
    expect(() => resourceReplicas(1, 50, 'cpu', [], new Map(), OPTS)).toThrow('no pods returned by selector');
    const { pods: list } = pods({ name: '', current: 1, expected: 1, levels: [undefined], requests: [100], target: 50 });
    expect(() => resourceReplicas(1, 50, 'cpu', list, new Map(), OPTS)).toThrow(ReplicaCalculationError);
    const noReq = structuredClone(list);
    noReq[0]!.spec!.containers[0]!.resources = {};
    expect(() => resourceReplicas(1, 50, 'cpu', noReq, new Map([['test-pod-0', { value: 10, timestampMs: NOW, windowMs: 1 }]]), OPTS)).toThrow('missing request for cpu in container c of Pod test-pod-0');
  });

  it('does not discard memory samples of unready pods (only CPU has an initialization period)', () => {
    const { pods: list, metrics } = pods({ name: '', current: 2, expected: 0, ready: [true, false], levels: [100, 100], requests: [100, 100], target: 100 }, 'memory');
    const g = groupPods(list, metrics, 'memory', OPTS);
    expect(g.readyPodCount).toBe(2);
    expect(g.unready.size).toBe(0);
  });
});

describe('plainMetricReplicas (AverageValue targets)', () => {
  it.each([
    { name: 'memory doubles the target', current: 3, expected: 6, levels: [200, 200, 200], target: 100, utilization: 200 },
    { name: 'within tolerance', current: 3, expected: 3, levels: [105, 100, 95], target: 100, utilization: 100 },
    { name: 'scale down', current: 4, expected: 2, levels: [50, 50, 50, 50], target: 100, utilization: 50 },
    { name: 'missing metrics count as the target on a scale-down', current: 4, expected: 3, levels: [10, 10, undefined, undefined], target: 100, utilization: 10 },
  ])('$name', (c) => {
    const { pods: list, metrics } = pods({ ...c, requests: c.levels.map(() => 1) }, 'memory');
    const r = plainMetricReplicas(c.current, c.target, 'memory', list, metrics, OPTS);
    expect(r.replicas).toBe(c.expected);
    expect(r.utilization).toBe(c.utilization);
  });
});
