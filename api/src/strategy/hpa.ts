// autoscaling/v2 HorizontalPodAutoscaler: defaults (SetDefaults_HorizontalPodAutoscaler)
// and validation (autoscaling/validation), on the stored v2 shape.
import type { FieldError } from '../errors.js';
import type { KubeObject } from '../meta.js';
import { compareQuantities, isValidQuantity, QUANTITY_FORMAT_ERROR } from '../quantity.js';
import { isDns1123Label } from '../selectors/label-syntax.js';
import {
  arr,
  child,
  each,
  fieldForbidden,
  fieldInvalid,
  fieldNotSupported,
  fieldRequired,
  isObj,
  obj,
  str,
  type Json,
} from './field-errors.js';
import { convertHpaV1ToV2 } from './hpa-convert.js';
import { pathSegmentProblems } from './object-meta.js';
import { validateLabelSelector } from './workloads.js';

export const DEFAULT_CPU_UTILIZATION = 80;
const MAX_PERIOD_SECONDS = 1800;
const MAX_STABILIZATION_WINDOW_SECONDS = 3600;

/**
 * The scaling rules Kubernetes fills into a `behavior` that is present but
 * partial. scaleDown.stabilizationWindowSeconds is left unset on purpose: the
 * controller's --horizontal-pod-autoscaler-downscale-stabilization (300 s) applies.
 */
export function defaultHpaScaleUpRules(): Json {
  return {
    stabilizationWindowSeconds: 0,
    selectPolicy: 'Max',
    policies: [
      { type: 'Pods', value: 4, periodSeconds: 15 },
      { type: 'Percent', value: 100, periodSeconds: 15 },
    ],
  };
}
export function defaultHpaScaleDownRules(): Json {
  return { selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] };
}

/** The behavior an HPA without one acts with (scale-down window from the controller default of 300 s). */
export function defaultHpaBehavior(downscaleStabilizationSeconds = 300): Json {
  return { scaleUp: defaultHpaScaleUpRules(), scaleDown: { stabilizationWindowSeconds: downscaleStabilizationSeconds, ...defaultHpaScaleDownRules() } };
}

function fillRules(given: unknown, defaults: Json): Json {
  const g = obj(given);
  if (!g) return defaults;
  for (const k of ['selectPolicy', 'stabilizationWindowSeconds', 'policies', 'tolerance']) {
    if (g[k] !== undefined && g[k] !== null) defaults[k] = g[k];
  }
  return defaults;
}

export function defaultHpa(o: KubeObject): void {
  const spec = child(o, 'spec');
  if (spec.minReplicas === undefined || spec.minReplicas === null) spec.minReplicas = 1;
  // autoscaling/v1 defaults only minReplicas; its implied 80% CPU target is added by conversion.
  if (o.apiVersion === 'autoscaling/v1') return;
  if (!Array.isArray(spec.metrics) || spec.metrics.length === 0) {
    spec.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: DEFAULT_CPU_UTILIZATION } } }];
  }
  // Kubernetes completes a behavior that is given and leaves an absent one absent.
  const behavior = obj(spec.behavior);
  if (behavior) {
    behavior.scaleUp = fillRules(behavior.scaleUp, defaultHpaScaleUpRules());
    behavior.scaleDown = fillRules(behavior.scaleDown, defaultHpaScaleDownRules());
  }
}

function validateCrossVersionRef(ref: unknown, field: string): FieldError[] {
  const r = obj(ref) ?? {};
  const errs: FieldError[] = [];
  for (const k of ['kind', 'name']) {
    const v = str(r[k]);
    if (!v) errs.push(fieldRequired(`${field}.${k}`));
    else errs.push(...each(`${field}.${k}`, v, pathSegmentProblems(v)));
  }
  return errs;
}

function quantityErrors(v: unknown, field: string): FieldError[] {
  if (v === undefined || v === null) return [];
  if ((typeof v !== 'string' && typeof v !== 'number') || !isValidQuantity(v)) return [fieldInvalid(field, v, QUANTITY_FORMAT_ERROR)];
  return compareQuantities(v, 0) <= 0 ? [fieldInvalid(field, String(v), 'must be positive')] : [];
}

function validateTarget(target: unknown, field: string): FieldError[] {
  const t = obj(target) ?? {};
  const errs: FieldError[] = [];
  if (!t.type) errs.push(fieldRequired(`${field}.type`, 'must specify a metric target type'));
  else if (!['Utilization', 'Value', 'AverageValue'].includes(t.type as string)) {
    errs.push(fieldInvalid(`${field}.type`, t.type, 'must be either Utilization, Value, or AverageValue'));
  }
  errs.push(...quantityErrors(t.value, `${field}.value`), ...quantityErrors(t.averageValue, `${field}.averageValue`));
  const u = t.averageUtilization;
  if (u !== undefined && u !== null && (typeof u !== 'number' || u < 1)) errs.push(fieldInvalid(`${field}.averageUtilization`, u, 'must be greater than 0'));
  return errs;
}

function validateMetricIdentifier(metric: unknown, field: string): FieldError[] {
  const m = obj(metric) ?? {};
  const name = str(m.name);
  const errs = name ? each(`${field}.name`, name, pathSegmentProblems(name)) : [fieldRequired(`${field}.name`, 'must specify a metric name')];
  errs.push(...validateLabelSelector(m.selector, `${field}.selector`));
  return errs;
}

function validateResourceSource(src: Json, field: string, container: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(src.name);
  if (!name) errs.push(fieldRequired(`${field}.name`, 'must specify a resource name'));
  if (container) {
    const c = str(src.container);
    if (!c) errs.push(fieldRequired(`${field}.container`, 'must specify a container'));
    else errs.push(...each(`${field}.container`, c, isDns1123Label(c)));
  }
  errs.push(...validateTarget(src.target, `${field}.target`));
  const t = obj(src.target) ?? {};
  if (t.averageUtilization === undefined && t.averageValue === undefined) {
    errs.push(fieldRequired(`${field}.target.averageUtilization`, 'must set either a target raw value or a target utilization'));
  }
  if (t.averageUtilization !== undefined && t.averageValue !== undefined) {
    errs.push(fieldForbidden(`${field}.target.averageValue`, 'may not set both a target raw value and a target utilization'));
  }
  return errs;
}

const METRIC_TYPES = ['ContainerResource', 'External', 'Object', 'Pods', 'Resource'];
const SOURCE_FIELD: Record<string, string> = { Object: 'object', Pods: 'pods', Resource: 'resource', External: 'external', ContainerResource: 'containerResource' };

function validateMetric(m: unknown, field: string): FieldError[] {
  const spec = obj(m) ?? {};
  const errs: FieldError[] = [];
  const type = spec.type;
  if (!type) errs.push(fieldRequired(`${field}.type`, 'must specify a metric source type'));
  else if (!METRIC_TYPES.includes(type as string)) errs.push(fieldNotSupported(`${field}.type`, type, METRIC_TYPES));
  const expected = SOURCE_FIELD[type as string];
  const present = Object.values(SOURCE_FIELD).filter((k) => isObj(spec[k]));
  if (expected && !present.includes(expected)) errs.push(fieldRequired(`${field}.${expected}`, 'must populate information for the given metric source'));
  if (present.length > 1) {
    for (const k of present) if (k !== expected) errs.push(fieldForbidden(`${field}.${k}`, 'must populate the given metric source only'));
  }
  const src = expected ? obj(spec[expected]) : undefined;
  if (!src) return errs;
  const p = `${field}.${expected}`;
  if (type === 'Resource' || type === 'ContainerResource') errs.push(...validateResourceSource(src, p, type === 'ContainerResource'));
  else {
    errs.push(...validateMetricIdentifier(src.metric, `${p}.metric`));
    errs.push(...validateTarget(src.target, `${p}.target`));
    const t = obj(src.target) ?? {};
    if (type === 'Pods' && t.averageValue === undefined) errs.push(fieldRequired(`${p}.target.averageValue`, 'must specify a positive target averageValue'));
    if (type === 'Object') {
      errs.push(...validateCrossVersionRef(src.describedObject, `${p}.describedObject`));
      if (t.value === undefined && t.averageValue === undefined) errs.push(fieldRequired(`${p}.target.averageValue`, 'must set either a target value or averageValue'));
    }
    if (type === 'External') {
      if (t.value === undefined && t.averageValue === undefined) {
        errs.push(fieldRequired(`${p}.target.averageValue`, 'must set either a target value for metric or a per-pod target'));
      }
      if (t.value !== undefined && t.averageValue !== undefined) {
        errs.push(fieldForbidden(`${p}.target.value`, 'may not set both a target value for metric and a per-pod target'));
      }
    }
  }
  return errs;
}

function validateRules(rules: unknown, field: string): FieldError[] {
  const r = obj(rules);
  if (!r) return [];
  const errs: FieldError[] = [];
  const w = r.stabilizationWindowSeconds;
  if (typeof w === 'number' && w < 0) errs.push(fieldInvalid(`${field}.stabilizationWindowSeconds`, w, 'must be greater than or equal to zero'));
  if (typeof w === 'number' && w > MAX_STABILIZATION_WINDOW_SECONDS) {
    errs.push(fieldInvalid(`${field}.stabilizationWindowSeconds`, w, `must be less than or equal to ${MAX_STABILIZATION_WINDOW_SECONDS}`));
  }
  if (r.selectPolicy !== undefined && !['Disabled', 'Max', 'Min'].includes(r.selectPolicy as string)) {
    errs.push(fieldNotSupported(`${field}.selectPolicy`, r.selectPolicy, ['Disabled', 'Max', 'Min']));
  }
  const policies = arr(r.policies);
  if (policies.length === 0) errs.push(fieldRequired(`${field}.policies`, 'must specify at least one Policy'));
  policies.forEach((p, i) => {
    const policy = obj(p) ?? {};
    const path = `${field}.policies[${i}]`;
    if (policy.type !== 'Pods' && policy.type !== 'Percent') errs.push(fieldNotSupported(`${path}.type`, policy.type ?? '', ['Percent', 'Pods']));
    const value = typeof policy.value === 'number' ? policy.value : 0;
    if (value <= 0) errs.push(fieldInvalid(`${path}.value`, value, 'must be greater than zero'));
    const period = typeof policy.periodSeconds === 'number' ? policy.periodSeconds : 0;
    if (period <= 0) errs.push(fieldInvalid(`${path}.periodSeconds`, period, 'must be greater than zero'));
    if (period > MAX_PERIOD_SECONDS) errs.push(fieldInvalid(`${path}.periodSeconds`, period, `must be less than or equal to ${MAX_PERIOD_SECONDS}`));
  });
  return errs;
}

/**
 * Kubernetes validates the internal (v2-shaped) object whatever version came
 * in, so a v1 object is converted first and errors carry v2 field paths.
 */
export function validateHpa(o: KubeObject): FieldError[] {
  if (o.apiVersion === 'autoscaling/v1') return validateHpaV2(convertHpaV1ToV2(o));
  return validateHpaV2(o);
}

function validateHpaV2(o: KubeObject): FieldError[] {
  const spec = obj(o.spec);
  if (!spec) return [fieldRequired('spec')];
  const errs: FieldError[] = [];
  const min = spec.minReplicas;
  if (min !== undefined && min !== null && (typeof min !== 'number' || min < 1)) errs.push(fieldInvalid('spec.minReplicas', min, 'must be greater than or equal to 1'));
  const max = typeof spec.maxReplicas === 'number' ? spec.maxReplicas : 0;
  if (max < 1) errs.push(fieldInvalid('spec.maxReplicas', max, 'must be greater than 0'));
  if (typeof min === 'number' && max < min) errs.push(fieldInvalid('spec.maxReplicas', max, 'must be greater than or equal to `minReplicas`'));
  errs.push(...validateCrossVersionRef(spec.scaleTargetRef, 'spec.scaleTargetRef'));
  arr(spec.metrics).forEach((m, i) => errs.push(...validateMetric(m, `spec.metrics[${i}]`)));
  const behavior = obj(spec.behavior);
  if (behavior) {
    errs.push(...validateRules(behavior.scaleUp, 'spec.behavior.scaleUp'));
    errs.push(...validateRules(behavior.scaleDown, 'spec.behavior.scaleDown'));
  }
  return errs;
}
