import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../meta.js';
import { convertHpaV1ToV2, convertHpaV2ToV1, HPA_BEHAVIOR_ANNOTATION, HPA_METRICS_ANNOTATION } from './hpa-convert.js';
import { defaultHpaBehavior } from './hpa.js';
import { strategyFor } from './registry.js';
import { applyScaleToObject, scaleFromObject, validateScale } from './scale.js';

const hpas = strategyFor('autoscaling', 'HorizontalPodAutoscaler');

function hpa(mutate: (h: any) => void = () => {}): KubeObject {
  const h: any = {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      maxReplicas: 5,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }],
    },
  };
  mutate(h);
  hpas.applyDefaults(h);
  return h;
}

describe('HPA defaults', () => {
  it('sets minReplicas 1 and the 80% CPU metric when none is given', () => {
    const h: any = hpa((x) => delete x.spec.metrics);
    expect(h.spec.minReplicas).toBe(1);
    expect(h.spec.metrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }]);
    expect(h.spec.behavior).toBeUndefined();
  });

  it('completes a partial behavior with Kubernetes scaling rules', () => {
    const h: any = hpa((x) => (x.spec.behavior = { scaleDown: { stabilizationWindowSeconds: 60 } }));
    expect(h.spec.behavior).toEqual({
      scaleUp: {
        stabilizationWindowSeconds: 0,
        selectPolicy: 'Max',
        policies: [
          { type: 'Pods', value: 4, periodSeconds: 15 },
          { type: 'Percent', value: 100, periodSeconds: 15 },
        ],
      },
      scaleDown: { stabilizationWindowSeconds: 60, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
    });
    expect(defaultHpaBehavior().scaleDown).toMatchObject({ stabilizationWindowSeconds: 300 });
  });
});

describe('HPA validation', () => {
  it('accepts a valid HPA', () => {
    expect(hpas.validateCreate(hpa())).toEqual([]);
    expect(
      hpas.validateCreate(
        hpa((x) =>
          x.spec.metrics.push(
            { type: 'Pods', pods: { metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue: '10' } } },
            { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '100Mi' } } },
          ),
        ),
      ),
    ).toEqual([]);
  });

  it.each<[string, (h: any) => void, string, string?]>([
    ['minReplicas', (h) => (h.spec.minReplicas = 0), 'spec.minReplicas', 'Invalid value: 0: must be greater than or equal to 1'],
    ['maxReplicas', (h) => ((h.spec.maxReplicas = 0), (h.spec.minReplicas = 0)), 'spec.maxReplicas', 'Invalid value: 0: must be greater than 0'],
    ['min above max', (h) => (h.spec.minReplicas = 6), 'spec.maxReplicas', 'must be greater than or equal to `minReplicas`'],
    ['target kind', (h) => delete h.spec.scaleTargetRef.kind, 'spec.scaleTargetRef.kind', 'Required value'],
    ['target name', (h) => (h.spec.scaleTargetRef.name = 'a/b'), 'spec.scaleTargetRef.name', "may not contain '/'"],
    ['metric type', (h) => (h.spec.metrics[0].type = 'Cpu'), 'spec.metrics[0].type', 'supported values: "ContainerResource", "External", "Object", "Pods", "Resource"'],
    ['missing source', (h) => (h.spec.metrics[0] = { type: 'Pods' }), 'spec.metrics[0].pods', 'must populate information for the given metric source'],
    ['extra source', (h) => (h.spec.metrics[0].pods = { metric: { name: 'x' } }), 'spec.metrics[0].pods', 'must populate the given metric source only'],
    ['utilization below 1', (h) => (h.spec.metrics[0].resource.target.averageUtilization = 0), 'spec.metrics[0].resource.target.averageUtilization', 'must be greater than 0'],
    ['target type', (h) => (h.spec.metrics[0].resource.target.type = 'Percent'), 'spec.metrics[0].resource.target.type', 'must be either Utilization, Value, or AverageValue'],
    ['no target value', (h) => (h.spec.metrics[0].resource.target = { type: 'Utilization' }), 'spec.metrics[0].resource.target.averageUtilization', 'must set either a target raw value or a target utilization'],
    ['bad averageValue', (h) => (h.spec.metrics[0] = { type: 'Pods', pods: { metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue: '-1' } } }), 'spec.metrics[0].pods.target.averageValue', 'must be positive'],
    ['policy value', (h) => (h.spec.behavior = { scaleUp: { policies: [{ type: 'Pods', value: 0, periodSeconds: 15 }] } }), 'spec.behavior.scaleUp.policies[0].value', 'must be greater than zero'],
    ['policy period', (h) => (h.spec.behavior = { scaleUp: { policies: [{ type: 'Pods', value: 1, periodSeconds: 1801 }] } }), 'spec.behavior.scaleUp.policies[0].periodSeconds', 'must be less than or equal to 1800'],
    ['policies empty', (h) => (h.spec.behavior = { scaleDown: { policies: [] } }), 'spec.behavior.scaleDown.policies', 'must specify at least one Policy'],
    ['window', (h) => (h.spec.behavior = { scaleDown: { stabilizationWindowSeconds: 4000 } }), 'spec.behavior.scaleDown.stabilizationWindowSeconds', 'must be less than or equal to 3600'],
    ['selectPolicy', (h) => (h.spec.behavior = { scaleDown: { selectPolicy: 'Avg' } }), 'spec.behavior.scaleDown.selectPolicy', 'supported values: "Disabled", "Max", "Min"'],
  ])('%s', (_name, mutate, field, message) => {
    const errs = hpas.validateCreate(hpa(mutate));
    const hit = errs.find((e) => e.field === field);
    expect(hit, JSON.stringify(errs)).toBeDefined();
    if (message) expect(hit?.message).toContain(message);
  });
});

describe('HPA served as autoscaling/v1', () => {
  const v1 = (mutate: (h: any) => void = () => {}): KubeObject => {
    const h: any = {
      apiVersion: 'autoscaling/v1',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web', namespace: 'default' },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, maxReplicas: 5, targetCPUUtilizationPercentage: 50 },
    };
    mutate(h);
    hpas.applyDefaults(h);
    return h;
  };

  it('defaults only minReplicas and keeps the v1 shape', () => {
    const h: any = v1();
    expect(h.spec).toEqual({ scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, maxReplicas: 5, targetCPUUtilizationPercentage: 50, minReplicas: 1 });
    expect(hpas.validateCreate(h)).toEqual([]);
  });

  it('validates through the v2 form, with v2 field paths as Kubernetes does', () => {
    expect(hpas.validateCreate(v1((h) => (h.spec.targetCPUUtilizationPercentage = 0))).map((e) => e.field)).toEqual([
      'spec.metrics[0].resource.target.averageUtilization',
    ]);
    expect(hpas.validateCreate(v1((h) => (h.spec.minReplicas = 9))).map((e) => e.field)).toEqual(['spec.maxReplicas']);
  });
});

describe('HPA conversion', () => {
  it('converts v1 targetCPUUtilizationPercentage to a v2 CPU Utilization metric', () => {
    const v1: KubeObject = {
      apiVersion: 'autoscaling/v1',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web', namespace: 'default' },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 2, maxReplicas: 10, targetCPUUtilizationPercentage: 60 },
      status: { currentReplicas: 3, desiredReplicas: 4, currentCPUUtilizationPercentage: 75 },
    };
    const v2 = convertHpaV1ToV2(v1) as any;
    expect(v2.apiVersion).toBe('autoscaling/v2');
    expect(v2.spec.metrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } }]);
    expect(v2.status.currentMetrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 75 } } }]);
    expect(v2.spec.minReplicas).toBe(2);
    // Back in v1, the current metrics also ride in an annotation, as in Kubernetes.
    const again = convertHpaV2ToV1(v2) as any;
    expect({ ...again, metadata: { ...again.metadata, annotations: undefined } }).toEqual({ ...v1, metadata: { ...v1.metadata, annotations: undefined } });
    expect(JSON.parse(again.metadata.annotations['autoscaling.alpha.kubernetes.io/current-metrics'])).toEqual([
      { type: 'Resource', resource: { name: 'cpu', currentAverageUtilization: 75 } },
    ]);
  });

  it('defaults a v1 HPA without a target to 80% CPU', () => {
    const v2 = convertHpaV1ToV2({ metadata: { name: 'x' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'x' }, maxReplicas: 3 } }) as any;
    expect(v2.spec.metrics[0].resource.target.averageUtilization).toBe(80);
  });

  it('carries other metrics, behavior and conditions through v1 annotations and back', () => {
    const v2 = hpa((x) => {
      x.spec.metrics.push({ type: 'Pods', pods: { metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue: '10' } } });
      x.spec.behavior = { scaleDown: { stabilizationWindowSeconds: 60 } };
      x.metadata.annotations = { team: 'a' };
      x.status = {
        currentReplicas: 2,
        desiredReplicas: 2,
        currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 40, averageValue: '200m' } } }],
        conditions: [{ type: 'AbleToScale', status: 'True', lastTransitionTime: '2026-01-01T00:00:00Z', reason: 'ReadyForNewScale', message: 'ok' }],
      };
    }) as any;
    const v1 = convertHpaV2ToV1(v2) as any;
    expect(v1.spec.targetCPUUtilizationPercentage).toBe(50);
    expect(v1.status.currentCPUUtilizationPercentage).toBe(40);
    expect(JSON.parse(v1.metadata.annotations[HPA_METRICS_ANNOTATION])).toEqual([{ type: 'Pods', pods: { metricName: 'rps', targetAverageValue: '10' } }]);
    expect(JSON.parse(v1.metadata.annotations[HPA_BEHAVIOR_ANNOTATION]).ScaleDown.StabilizationWindowSeconds).toBe(60);
    expect(v1.metadata.annotations.team).toBe('a');
    const back = convertHpaV1ToV2(v1) as any;
    expect(back.metadata.annotations).toEqual({ team: 'a' });
    // Kubernetes puts the CPU metric after the annotation's metrics.
    expect(back.spec.metrics).toEqual([v2.spec.metrics[1], v2.spec.metrics[0]]);
    expect(back.spec.behavior).toEqual(v2.spec.behavior);
    expect(back.status.currentMetrics).toEqual(v2.status.currentMetrics);
    expect(back.status.conditions).toEqual(v2.status.conditions);
  });
});

describe('Scale subresource', () => {
  const deploy = (): any => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', uid: 'u1', resourceVersion: '7', creationTimestamp: '2026-01-01T00:00:00Z', labels: { a: 'b' } },
    spec: { replicas: 3, selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['fe'] }] } },
    status: { replicas: 2 },
  });

  it('builds an autoscaling/v1 Scale with the selector as a string', () => {
    expect(scaleFromObject(deploy())).toEqual({
      apiVersion: 'autoscaling/v1',
      kind: 'Scale',
      metadata: { name: 'web', namespace: 'default', uid: 'u1', resourceVersion: '7', creationTimestamp: '2026-01-01T00:00:00Z' },
      spec: { replicas: 3 },
      status: { replicas: 2, selector: 'app=web,tier in (fe)' },
    });
  });

  it('validates and applies spec.replicas', () => {
    expect(validateScale({ metadata: {}, spec: { replicas: 4 } })).toEqual([]);
    expect(validateScale({ metadata: {}, spec: { replicas: -1 } })).toEqual([
      { type: 'FieldValueInvalid', field: 'spec.replicas', message: 'Invalid value: -1: must be greater than or equal to 0' },
    ]);
    const d = applyScaleToObject(deploy(), { metadata: {}, spec: { replicas: 7 } }) as any;
    expect(d.spec.replicas).toBe(7);
    expect(d.spec.selector.matchLabels).toEqual({ app: 'web' });
  });
});
