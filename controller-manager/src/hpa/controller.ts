// The HorizontalPodAutoscaler controller (autoscaling/v2; v1 objects arrive
// converted by the apiserver). Every sync period each HPA is reconciled:
// read the target's scale, compute a proposal per metric from metrics.k8s.io
// (the largest wins), normalize it (stabilization, policies, min/max), write
// the scale subresource if it changed, then the status. Follows
// pkg/controller/podautoscaler/horizontal.go step by step, reasons included.
import { objectKey, isConflict, parseLabelSelector, RESOURCES, resourceForKind, type HorizontalPodAutoscaler, type HorizontalPodAutoscalerCondition, type HorizontalPodAutoscalerStatus, type MetricSpec, type MetricStatus, type Pod, type ResourceInfo, type Scale } from '@wharf/api';
import { R, runWorkers, unwrapTombstone, WorkQueue, type ApiClient, type EventRecorder, type ReconcileResult, type SharedInformer } from '@wharf/client';
import type { Controller, ControllerContext } from '../context.js';
import { completeBehavior, ScalingHistory, type ScalingRules } from './behavior.js';
import { setCondition, type HpaConditionType } from './conditions.js';
import { computeMetricProposal, type MetricContext } from './metric-proposal.js';
import { hpaOptionsFrom, type HpaOptions } from './options.js';

export const REASON_SUCCESSFUL_RESCALE = 'SuccessfulRescale';
export const REASON_FAILED_RESCALE = 'FailedRescale';
export const REASON_FAILED_GET_SCALE = 'FailedGetScale';
export const REASON_FAILED_COMPUTE = 'FailedComputeMetricsReplicas';
export const REASON_SELECTOR_REQUIRED = 'SelectorRequired';
export const REASON_INVALID_SELECTOR = 'InvalidSelector';

export class HpaSyncError extends Error {
  override name = 'HpaSyncError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The scale subresource a scaleTargetRef points at. */
export function scaleTargetResource(ref: { apiVersion?: string; kind: string }): ResourceInfo | undefined {
  const hasScale = (r: ResourceInfo | undefined) => (r?.subresources.some((s) => s.name === 'scale') ? r : undefined);
  if (ref.apiVersion) return hasScale(resourceForKind(ref.apiVersion, ref.kind));
  return RESOURCES.find((r) => r.kind === ref.kind && r.subresources.some((s) => s.name === 'scale'));
}

const iso = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

/** What one reconcile is building: the status in progress. */
interface Work {
  hpa: HorizontalPodAutoscaler;
  key: string;
  conditions: HorizontalPodAutoscalerCondition[];
  lastScaleTime: string | undefined;
}

export class HorizontalPodAutoscalerController implements Controller {
  readonly name = 'horizontalpodautoscaling';
  readonly queue = new WorkQueue('horizontalpodautoscaling');
  private readonly hpaInformer: SharedInformer<HorizontalPodAutoscaler>;
  /** Pods give readiness, start times and requests; usage comes from the metrics API. */
  private readonly podInformer: SharedInformer<Pod>;
  private readonly recorder: EventRecorder;
  /** Recent recommendations and scale events per HPA (stabilization and rate limits). */
  readonly history: ScalingHistory;
  readonly options: HpaOptions;
  private readonly client: ApiClient;

  constructor(private readonly ctx: ControllerContext, now: () => number = Date.now) {
    this.client = ctx.client;
    this.options = hpaOptionsFrom(ctx.options as Parameters<typeof hpaOptionsFrom>[0]);
    this.history = new ScalingHistory(now);
    this.hpaInformer = ctx.informers.forResource<HorizontalPodAutoscaler>(R.horizontalpodautoscalers);
    this.podInformer = ctx.informers.forResource<Pod>(R.pods);
    this.recorder = ctx.recorder('horizontal-pod-autoscaler');
    this.hpaInformer.addEventHandler({
      add: (hpa) => this.queue.add(objectKey(hpa)),
      // Our own status writes come back as updates: only a spec change is worth an early look.
      update: (old, hpa) => {
        if (old.metadata.generation !== hpa.metadata.generation || JSON.stringify(old.spec) !== JSON.stringify(hpa.spec)) this.queue.add(objectKey(hpa));
      },
      delete: (hpa) => this.history.forget(objectKey(unwrapTombstone(hpa))),
    });
  }

  async run(signal: AbortSignal): Promise<void> {
    if (!(await this.hpaInformer.waitForSync(signal)) || !(await this.podInformer.waitForSync(signal))) return;
    await runWorkers({ queue: this.queue, reconciler: this, workers: this.ctx.options.workers, log: this.ctx.log.child({ controller: this.name }), signal });
  }

  async reconcile(key: string): Promise<ReconcileResult | void> {
    const cached = this.hpaInformer.store.get(key);
    if (!cached) {
      this.history.forget(key);
      return;
    }
    try {
      await this.reconcileAutoscaler(structuredClone(cached), key);
    } catch (err) {
      // A lost race on the status is retried at once; anything else waits for the next period like Kubernetes.
      if (isConflict(err)) return { requeue: true };
      this.ctx.log.info('hpa sync failed', { controller: this.name, key, err: err instanceof Error ? err.message : String(err) });
    }
    return { requeueAfter: this.options.syncPeriodMs };
  }

  private cond(w: Work, type: HpaConditionType, status: 'True' | 'False', reason: string, message: string): void {
    w.conditions = setCondition(w.conditions, type, status, reason, message, iso);
  }

  async reconcileAutoscaler(hpa: HorizontalPodAutoscaler, key: string): Promise<void> {
    const spec = hpa.spec!;
    const ns = hpa.metadata.namespace ?? 'default';
    const ref = spec.scaleTargetRef;
    const reference = `${ref.kind}/${ns}/${ref.name}`;
    const w: Work = { hpa, key, conditions: hpa.status?.conditions ?? [], lastScaleTime: hpa.status?.lastScaleTime };
    const previousMetrics = hpa.status?.currentMetrics;

    const target = scaleTargetResource(ref);
    let scale: Scale;
    try {
      if (!target) throw new HpaSyncError(`no matches for kind "${ref.kind}" in group "${ref.apiVersion?.includes('/') ? ref.apiVersion.split('/')[0] : ''}"`);
      scale = await this.client.get<Scale>(target, ns, ref.name, { subresource: 'scale' });
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      this.recorder.event(hpa, 'Warning', REASON_FAILED_GET_SCALE, msg);
      this.cond(w, 'AbleToScale', 'False', 'FailedGetScale', `the HPA controller was unable to get the target's current scale: ${msg}`);
      await this.writeStatus(w, hpa.status?.currentReplicas ?? 0, hpa.status?.desiredReplicas ?? 0, previousMetrics);
      throw new HpaSyncError(`failed to query scale subresource for ${reference}: ${msg}`, { cause: err });
    }
    this.cond(w, 'AbleToScale', 'True', 'SucceededGetScale', "the HPA controller was able to get the target's current scale");
    const current = scale.spec?.replicas ?? 0;
    this.history.recordInitial(key, current);
    const min = spec.minReplicas ?? 1;
    const max = spec.maxReplicas;
    const rules = spec.behavior ? completeBehavior(spec.behavior, this.options.downscaleStabilizationMs / 1000) : undefined;

    let desired = 0;
    let reason = '';
    let rescale = true;
    let metricStatuses: MetricStatus[] | undefined = previousMetrics;
    if (current === 0 && min !== 0) {
      desired = 0;
      rescale = false;
      this.cond(w, 'ScalingActive', 'False', 'ScalingDisabled', 'scaling is disabled since the replica count of the target is zero');
    } else if (current > max) {
      reason = 'Current number of replicas above Spec.MaxReplicas';
      desired = max;
    } else if (current < min) {
      reason = 'Current number of replicas below Spec.MinReplicas';
      desired = min;
    } else {
      let proposal;
      try {
        proposal = await this.computeReplicasForMetrics(w, scale, spec.metrics ?? []);
      } catch (err) {
        const msg = err instanceof Error ? err.message : String(err);
        await this.writeStatus(w, current, hpa.status?.desiredReplicas ?? current, (err as { statuses?: MetricStatus[] }).statuses ?? previousMetrics);
        this.recorder.event(hpa, 'Warning', REASON_FAILED_COMPUTE, msg);
        throw new HpaSyncError(`failed to compute desired number of replicas based on listed metrics for ${reference}: ${msg}`, { cause: err });
      }
      metricStatuses = proposal.statuses;
      desired = proposal.replicas;
      if (desired > current) reason = `${proposal.metric} above target`;
      if (desired < current) reason = 'All metrics below target';
      const n = rules
        ? this.history.normalizeWithBehavior(key, rules, current, desired, min, max)
        : this.history.normalize(key, current, desired, min, max, this.options.downscaleStabilizationMs);
      this.cond(w, 'AbleToScale', n.ableToScale.status, n.ableToScale.reason, n.ableToScale.message);
      this.cond(w, 'ScalingLimited', n.scalingLimited.status, n.scalingLimited.reason, n.scalingLimited.message);
      desired = n.desired;
      rescale = desired !== current;
    }

    if (rescale) {
      try {
        await this.client.patch(target!, ns, ref.name, 'merge', { spec: { replicas: desired } }, { subresource: 'scale' });
      } catch (err) {
        const msg = err instanceof Error ? err.message : String(err);
        this.recorder.event(hpa, 'Warning', REASON_FAILED_RESCALE, `New size: ${desired}; reason: ${reason}; error: ${msg}`);
        this.cond(w, 'AbleToScale', 'False', 'FailedUpdateScale', `the HPA controller was unable to update the target scale: ${msg}`);
        await this.writeStatus(w, current, hpa.status?.desiredReplicas ?? current, metricStatuses);
        throw new HpaSyncError(`failed to rescale ${reference}: ${msg}`, { cause: err });
      }
      this.cond(w, 'AbleToScale', 'True', 'SucceededRescale', `the HPA controller was able to update the target scale to ${desired}`);
      this.recorder.event(hpa, 'Normal', REASON_SUCCESSFUL_RESCALE, `New size: ${desired}; reason: ${reason}`);
      this.history.recordScale(key, rules, current, desired);
      w.lastScaleTime = iso();
      this.ctx.log.info('successful rescale', { controller: this.name, hpa: key, oldSize: current, newSize: desired, reason });
    } else {
      desired = current;
    }
    await this.writeStatus(w, current, desired, metricStatuses);
  }

  private async computeReplicasForMetrics(w: Work, scale: Scale, metrics: MetricSpec[]): Promise<{ replicas: number; metric: string; statuses: MetricStatus[] }> {
    const hpa = w.hpa;
    const selectorText = scale.status?.selector;
    if (!selectorText) {
      this.recorder.event(hpa, 'Warning', REASON_SELECTOR_REQUIRED, 'selector is required');
      this.cond(w, 'ScalingActive', 'False', 'InvalidSelector', "the HPA target's scale is missing a selector");
      throw new HpaSyncError('selector is required');
    }
    let selector;
    try {
      selector = parseLabelSelector(selectorText);
    } catch (err) {
      const msg = `couldn't convert selector into a corresponding internal selector object: ${err instanceof Error ? err.message : String(err)}`;
      this.recorder.event(hpa, 'Warning', REASON_INVALID_SELECTOR, msg);
      this.cond(w, 'ScalingActive', 'False', 'InvalidSelector', msg);
      throw new HpaSyncError(msg);
    }
    const ns = hpa.metadata.namespace ?? 'default';
    const pods = this.podInformer.store.listInNamespace(ns).filter((p) => selector.matches(p.metadata.labels));
    const specReplicas = scale.spec?.replicas ?? 0;
    const mc: MetricContext = { client: this.client, namespace: ns, selector: selectorText, pods, currentReplicas: specReplicas, options: this.options, now: Date.now() };
    const statuses: MetricStatus[] = [];
    let replicas = 0;
    let metric = '';
    let invalid = 0;
    let firstError: { err: Error; reason: string } | undefined;
    for (const spec of metrics) {
      try {
        const p = await computeMetricProposal(spec, mc);
        statuses.push(p.status);
        if (replicas === 0 || p.replicas > replicas) {
          replicas = p.replicas;
          metric = p.metric;
        }
      } catch (err) {
        const e = err instanceof Error ? err : new Error(String(err));
        const reason = (err as { reason?: string }).reason ?? 'FailedGetResourceMetric';
        // Kubernetes records a status entry of the metric's type even when it failed.
        statuses.push({ type: spec.type });
        this.recorder.event(hpa, 'Warning', reason, e.message);
        invalid++;
        firstError ??= { err: e, reason };
      }
    }
    // All invalid, or some invalid while the valid ones would scale down: act on nothing.
    if (firstError && (invalid >= metrics.length || replicas < specReplicas)) {
      this.cond(w, 'ScalingActive', 'False', firstError.reason, `the HPA was unable to compute the replica count: ${firstError.err.message}`);
      throw Object.assign(new HpaSyncError(`invalid metrics (${invalid} invalid out of ${metrics.length}), first error is: ${firstError.err.message}`, { cause: firstError.err }), { statuses });
    }
    this.cond(w, 'ScalingActive', 'True', 'ValidMetricFound', `the HPA was able to successfully calculate a replica count from ${metric}`);
    return { replicas, metric, statuses };
  }

  private async writeStatus(w: Work, currentReplicas: number, desiredReplicas: number, metrics: MetricStatus[] | undefined): Promise<void> {
    const hpa = w.hpa;
    const next: HorizontalPodAutoscalerStatus = {
      ...(hpa.metadata.generation !== undefined ? { observedGeneration: hpa.metadata.generation } : {}),
      ...(w.lastScaleTime ? { lastScaleTime: w.lastScaleTime } : {}),
      currentReplicas,
      desiredReplicas,
      ...(metrics?.length ? { currentMetrics: metrics } : {}),
      ...(w.conditions.length ? { conditions: w.conditions } : {}),
    };
    if (sameStatus(hpa.status, next)) return;
    const patch = { status: { ...next, currentMetrics: next.currentMetrics ?? null, lastScaleTime: next.lastScaleTime ?? null } };
    await this.client.patch(R.horizontalpodautoscalers, hpa.metadata.namespace, hpa.metadata.name ?? '', 'merge', patch, { subresource: 'status' });
  }
}

function sameStatus(a: HorizontalPodAutoscalerStatus | undefined, b: HorizontalPodAutoscalerStatus): boolean {
  if (!a) return false;
  const norm = (s: HorizontalPodAutoscalerStatus) =>
    JSON.stringify({ o: s.observedGeneration, l: s.lastScaleTime, c: s.currentReplicas ?? 0, d: s.desiredReplicas, m: s.currentMetrics ?? [], k: s.conditions ?? [] });
  return norm(a) === norm(b);
}

export type { ScalingRules };
