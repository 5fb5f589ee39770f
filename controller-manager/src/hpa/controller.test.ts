// The HPA controller against the fixture (seeded informer caches, FakeClient):
// one reconcile, then the exact scale write, status and events.
import { describe, expect, it } from 'vitest';
import { findResource, type HorizontalPodAutoscaler, type KubeObject, type Pod } from '@wharf/api';
import { R } from '@wharf/client';
import { newFixture } from '../testing/fixture.js';
import { HorizontalPodAutoscalerController } from './controller.js';
import { milliQuantity } from './conditions.js';
import { parseWindow, podMetricsInfo } from './metrics-client.js';

const POD_METRICS = findResource('metrics.k8s.io', 'v1beta1', 'pods')!;
const NOW = Date.now();
const OLD = new Date(NOW - 10 * 60_000).toISOString();

function pod(name: string, cpuRequest = '100m'): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: { app: 'web' } },
    spec: { containers: [{ name: 'app', image: 'busybox', resources: { requests: { cpu: cpuRequest, memory: '64Mi' } } }] },
    status: { phase: 'Running', startTime: OLD, conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: OLD }] },
  };
}

function podMetrics(name: string, cpu: string, memory = '10Mi'): KubeObject {
  return { apiVersion: 'metrics.k8s.io/v1beta1', kind: 'PodMetrics', metadata: { name, namespace: 'default' }, timestamp: new Date(NOW).toISOString(), window: '5s', containers: [{ name: 'app', usage: { cpu, memory } }] } as KubeObject;
}

function hpa(spec: Partial<NonNullable<HorizontalPodAutoscaler['spec']>> = {}): HorizontalPodAutoscaler {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'web', namespace: 'default', generation: 1 },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      minReplicas: 1,
      maxReplicas: 5,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }],
      ...spec,
    },
  };
}

/** The fake client answers a scale get with the object itself, so the Deployment carries Scale's status.selector too. */
function setup(replicas: number, usages: string[], h = hpa()) {
  const f = newFixture({ workers: 1 });
  f.seed(R.deployments, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' }, spec: { replicas }, status: { replicas, selector: 'app=web' } } as KubeObject);
  usages.forEach((u, i) => {
    f.seed(R.pods, pod(`web-${i}`));
    f.seed(POD_METRICS, podMetrics(`web-${i}`, u));
  });
  const seeded = f.seed(R.horizontalpodautoscalers, h);
  const c = new HorizontalPodAutoscalerController(f.ctx);
  return { f, c, hpa: seeded };
}

describe('HorizontalPodAutoscalerController', () => {
  it('scales up through the scale subresource, records SuccessfulRescale and the status', async () => {
    const { f, c } = setup(2, ['200000000n', '200000000n']);
    const result = await c.reconcile('default/web');
    expect(result).toEqual({ requeueAfter: 5000 });
    const writes = f.client.actions.filter((a) => a.verb === 'patch');
    expect(writes[0]).toMatchObject({ resource: 'deployments', subresource: 'scale', patchType: 'merge', body: { spec: { replicas: 4 } } });
    expect(f.recorder.events).toEqual(['Normal SuccessfulRescale New size: 4; reason: cpu resource utilization (percentage of request) above target']);
    const status = (writes[1]?.body as { status: HorizontalPodAutoscaler['status'] }).status!;
    expect(writes[1]).toMatchObject({ resource: 'horizontalpodautoscalers', subresource: 'status' });
    expect(status).toMatchObject({
      currentReplicas: 2,
      desiredReplicas: 4,
      currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 200, averageValue: '200m' } } }],
    });
    expect(status.lastScaleTime).toBeTruthy();
    expect(status.conditions?.map((x) => [x.type, x.status, x.reason])).toEqual([
      ['AbleToScale', 'True', 'SucceededRescale'],
      ['ScalingActive', 'True', 'ValidMetricFound'],
      // 8 proposed; without behavior a scale-up stops at max(2 × 2, 4).
      ['ScalingLimited', 'True', 'ScaleUpLimit'],
    ]);
    expect(status.conditions?.[1]?.message).toBe('the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)');
  });

  it('clamps to maxReplicas with ScalingLimited TooManyReplicas', async () => {
    const { f, c } = setup(3, ['1', '1', '1']);
    await c.reconcile('default/web');
    expect(f.client.actions.find((a) => a.subresource === 'scale' && a.verb === 'patch')?.body).toEqual({ spec: { replicas: 5 } });
    const status = (f.client.actions.find((a) => a.subresource === 'status')?.body as { status: HorizontalPodAutoscaler['status'] }).status!;
    expect(status.conditions?.find((x) => x.type === 'ScalingLimited')).toMatchObject({ status: 'True', reason: 'TooManyReplicas' });
  });

  it('takes the largest proposal of several metrics', async () => {
    const h = hpa({
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } },
        { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '5Mi' } } },
      ],
    });
    const { f, c } = setup(1, ['50m'], h);
    await c.reconcile('default/web');
    // cpu: 50% of 100m is on target; memory: 10Mi / 5Mi → 2 replicas.
    expect(f.client.actions.find((a) => a.subresource === 'scale' && a.verb === 'patch')?.body).toEqual({ spec: { replicas: 2 } });
    expect(f.recorder.events).toEqual(['Normal SuccessfulRescale New size: 2; reason: memory resource above target']);
  });

  it('does not scale when the usage is on target, and reports ReadyForNewScale', async () => {
    const { f, c } = setup(2, ['50m', '52m']);
    await c.reconcile('default/web');
    expect(f.client.actions.filter((a) => a.subresource === 'scale' && a.verb === 'patch')).toEqual([]);
    const status = (f.client.actions.find((a) => a.subresource === 'status')?.body as { status: HorizontalPodAutoscaler['status'] }).status!;
    expect(status).toMatchObject({ currentReplicas: 2, desiredReplicas: 2 });
    expect(status.conditions?.find((x) => x.type === 'AbleToScale')).toMatchObject({ reason: 'ReadyForNewScale' });
  });

  it('without metrics: ScalingActive False FailedGetResourceMetric and a warning', async () => {
    const { f, c } = setup(2, []);
    f.seed(R.pods, pod('web-0'));
    await c.reconcile('default/web');
    const status = (f.client.actions.find((a) => a.subresource === 'status')?.body as { status: HorizontalPodAutoscaler['status'] }).status!;
    expect(status.conditions?.find((x) => x.type === 'ScalingActive')).toMatchObject({ status: 'False', reason: 'FailedGetResourceMetric' });
    expect(f.recorder.events[0]).toBe('Warning FailedGetResourceMetric failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API');
    expect(f.recorder.events).toContain(
      'Warning FailedComputeMetricsReplicas invalid metrics (1 invalid out of 1), first error is: failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API',
    );
  });

  it('a target scaled to zero disables autoscaling', async () => {
    const { f, c } = setup(0, []);
    await c.reconcile('default/web');
    const status = (f.client.actions.find((a) => a.subresource === 'status')?.body as { status: HorizontalPodAutoscaler['status'] }).status!;
    expect(status.conditions?.find((x) => x.type === 'ScalingActive')).toMatchObject({ status: 'False', reason: 'ScalingDisabled' });
    expect(f.client.actions.filter((a) => a.subresource === 'scale' && a.verb === 'patch')).toEqual([]);
  });

  it('brings a target below minReplicas up to it', async () => {
    const { f, c } = setup(1, ['1m'], hpa({ minReplicas: 3 }));
    await c.reconcile('default/web');
    expect(f.client.actions.find((a) => a.subresource === 'scale' && a.verb === 'patch')?.body).toEqual({ spec: { replicas: 3 } });
    expect(f.recorder.events).toEqual(['Normal SuccessfulRescale New size: 3; reason: Current number of replicas below Spec.MinReplicas']);
  });

  it('ContainerResource metrics count only the named container', async () => {
    const h = hpa({ metrics: [{ type: 'ContainerResource', containerResource: { name: 'cpu', container: 'app', target: { type: 'Utilization', averageUtilization: 50 } } }] });
    const { f, c } = setup(1, ['150m'], h);
    await c.reconcile('default/web');
    expect(f.client.actions.find((a) => a.subresource === 'scale' && a.verb === 'patch')?.body).toEqual({ spec: { replicas: 3 } });
    expect(f.recorder.events).toEqual(['Normal SuccessfulRescale New size: 3; reason: cpu container resource utilization (percentage of request) above target']);
    const status = (f.client.actions.find((a) => a.subresource === 'status')?.body as { status: HorizontalPodAutoscaler['status'] }).status!;
    expect(status.currentMetrics).toEqual([{ type: 'ContainerResource', containerResource: { name: 'cpu', container: 'app', current: { averageUtilization: 150, averageValue: '150m' } } }]);
  });

  it('a Pods metric next to a valid one: the valid one scales up, the other is reported', async () => {
    const h = hpa({
      metrics: [
        { type: 'Pods', pods: { metric: { name: 'requests_per_second' }, target: { type: 'AverageValue', averageValue: '10' } } },
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } },
      ],
    });
    const { f, c } = setup(1, ['100m'], h);
    await c.reconcile('default/web');
    expect(f.client.actions.find((a) => a.subresource === 'scale' && a.verb === 'patch')?.body).toEqual({ spec: { replicas: 2 } });
    expect(f.recorder.events[0]).toBe('Warning FailedGetPodsMetric unable to get metric: no custom.metrics.k8s.io API is served by this cluster');
  });

  it('an unknown target kind fails with FailedGetScale', async () => {
    const { f, c } = setup(1, ['1m'], hpa({ scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Gizmo', name: 'web' } }));
    await c.reconcile('default/web');
    const status = (f.client.actions.find((a) => a.subresource === 'status')?.body as { status: HorizontalPodAutoscaler['status'] }).status!;
    expect(status.conditions?.[0]).toMatchObject({ type: 'AbleToScale', status: 'False', reason: 'FailedGetScale' });
  });
});

describe('metrics helpers', () => {
  it('parses windows and sums container usage in thousandths', () => {
    expect(parseWindow('5s')).toBe(5000);
    expect(parseWindow('1m0.5s')).toBe(60_500);
    expect(parseWindow('500ms')).toBe(500);
    const m = podMetricsInfo([{ ...(podMetrics('a', '123456n') as never), containers: [{ name: 'x', usage: { cpu: '123456n' } }, { name: 'y', usage: { cpu: '1' } }] }], 'cpu');
    expect(m.get('a')?.value).toBe(1 + 1000);
  });

  it('prints milli quantities as Kubernetes does', () => {
    expect(milliQuantity(250)).toBe('250m');
    expect(milliQuantity(2000)).toBe('2');
    expect(milliQuantity(10485760000)).toBe('10485760');
    expect(milliQuantity(2_000_000_000)).toBe('2M');
  });
});
