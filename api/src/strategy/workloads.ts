// apps/v1 Deployment and ReplicaSet: defaults (SetDefaults_Deployment,
// SetDefaults_ReplicaSet) and validation (apps/validation), including the
// selector/template-labels agreement and the immutable selector.
import type { FieldError } from '../errors.js';
import type { KubeObject } from '../meta.js';
import { isLabelValue, isQualifiedName } from '../selectors/label-syntax.js';
import { labelSelectorFromObject, type LabelSelectorObject } from '../selectors/label-selector.js';
import {
  arr,
  child,
  each,
  fieldForbidden,
  fieldInvalid,
  fieldNotSupported,
  fieldRequired,
  goValue,
  isObj,
  nonNegative,
  obj,
  setDefault,
  str,
  type Json,
  deepEqual,
} from './field-errors.js';
import { validateLabels } from './object-meta.js';
import { defaultPodSpec } from './pod-defaults.js';
import { validatePodTemplate } from './pod-validation.js';

export function defaultPodTemplate(template: unknown): void {
  const t = obj(template);
  if (t) defaultPodSpec(child(t, 'spec'));
}

export function defaultReplicaSet(o: KubeObject): void {
  const spec = child(o, 'spec');
  setDefault(spec, 'replicas', 1);
  defaultPodTemplate(spec.template);
}

export function defaultDeployment(o: KubeObject): void {
  const spec = child(o, 'spec');
  setDefault(spec, 'replicas', 1);
  const strategy = child(spec, 'strategy');
  setDefault(strategy, 'type', 'RollingUpdate');
  if (strategy.type === 'RollingUpdate') {
    const ru = child(strategy, 'rollingUpdate');
    setDefault(ru, 'maxUnavailable', '25%');
    setDefault(ru, 'maxSurge', '25%');
  }
  setDefault(spec, 'revisionHistoryLimit', 10);
  setDefault(spec, 'progressDeadlineSeconds', 600);
  defaultPodTemplate(spec.template);
}

/** How Go prints a metav1.LabelSelector with %#v: Kubernetes puts this in selector errors. */
export function goLabelSelector(sel: unknown): string {
  const s = obj(sel) ?? {};
  const labels = isObj(s.matchLabels) ? goValue(s.matchLabels) : 'map[string]string(nil)';
  const exprs = Array.isArray(s.matchExpressions)
    ? `[]v1.LabelSelectorRequirement{${s.matchExpressions
        .map((e) => {
          const x = obj(e) ?? {};
          const values = Array.isArray(x.values) ? goValue(x.values) : '[]string(nil)';
          return `v1.LabelSelectorRequirement{Key:${JSON.stringify(str(x.key) ?? '')}, Operator:${JSON.stringify(str(x.operator) ?? '')}, Values:${values}}`;
        })
        .join(', ')}}`
    : '[]v1.LabelSelectorRequirement(nil)';
  return `v1.LabelSelector{MatchLabels:${labels}, MatchExpressions:${exprs}}`;
}

function invalidSelector(field: string, sel: unknown, detail: string): FieldError {
  return { type: 'FieldValueInvalid', field, message: `Invalid value: ${goLabelSelector(sel)}: ${detail}` };
}

/** metav1 ValidateLabelSelector. */
export function validateLabelSelector(selector: unknown, field: string): FieldError[] {
  const sel = obj(selector);
  if (!sel) return [];
  const errs = validateLabels(sel.matchLabels, `${field}.matchLabels`);
  arr(sel.matchExpressions).forEach((e, i) => {
    const expr = obj(e) ?? {};
    const path = `${field}.matchExpressions[${i}]`;
    const op = expr.operator;
    const values = expr.values;
    const hasValues = Array.isArray(values) && values.length > 0;
    if (op === 'In' || op === 'NotIn') {
      if (!hasValues) errs.push(fieldRequired(`${path}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
    } else if (op === 'Exists' || op === 'DoesNotExist') {
      if (hasValues) errs.push(fieldForbidden(`${path}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
    } else {
      errs.push(fieldInvalid(`${path}.operator`, op ?? '', 'not a valid selector operator'));
    }
    const key = str(expr.key) ?? '';
    errs.push(...each(`${path}.key`, key, isQualifiedName(key)));
    arr(values).forEach((v, j) => {
      if (typeof v === 'string') errs.push(...each(`${path}.values[${j}]`, v, isLabelValue(v)));
    });
  });
  return errs;
}

/** Selector present, non-empty, valid, and matching the template's labels. */
function validateSelectorAndTemplate(spec: Json): FieldError[] {
  const errs: FieldError[] = [];
  const selector = obj(spec.selector);
  if (!selector) {
    errs.push(fieldRequired('spec.selector'));
  } else {
    const selErrs = validateLabelSelector(selector, 'spec.selector');
    errs.push(...selErrs);
    let matcher;
    try {
      matcher = labelSelectorFromObject(selector as LabelSelectorObject);
    } catch {
      matcher = undefined;
    }
    if (matcher?.empty) errs.push(invalidSelector('spec.selector', selector, 'empty selector is invalid for deployment'));
    else if (matcher && selErrs.length === 0) {
      const labels = obj(obj(obj(spec.template)?.metadata)?.labels) ?? {};
      if (!matcher.matches(labels as Record<string, string>)) {
        errs.push(fieldInvalid('spec.template.metadata.labels', labels, '`selector` does not match template `labels`'));
      }
    }
  }
  errs.push(...validatePodTemplate(spec.template, 'spec.template'));
  return errs;
}

export function validateReplicaSet(o: KubeObject): FieldError[] {
  const spec = obj(o.spec);
  if (!spec) return [fieldRequired('spec')];
  const errs = [...nonNegative('spec.replicas', spec.replicas), ...nonNegative('spec.minReadySeconds', spec.minReadySeconds)];
  errs.push(...validateSelectorAndTemplate(spec));
  return errs;
}

/** IntOrString as Go prints it in errors: unquoted, e.g. `25%` or `0`. */
function intOrPercentError(field: string, v: unknown, detail: string): FieldError {
  return { type: 'FieldValueInvalid', field, message: `Invalid value: ${String(v)}: ${detail}` };
}

function validateIntOrPercent(v: unknown, field: string): FieldError[] {
  if (typeof v === 'string') {
    return /^[0-9]+%$/.test(v)
      ? []
      : [
          intOrPercentError(
            field,
            v,
            "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
          ),
        ];
  }
  if (typeof v === 'number' && Number.isInteger(v)) return v < 0 ? [intOrPercentError(field, v, 'must be greater than or equal to 0')] : [];
  return [intOrPercentError(field, JSON.stringify(v ?? null), "must be an integer or percentage (e.g '5%')")];
}

function intOrPercentIsZero(v: unknown): boolean {
  return v === 0 || v === '0%' || (typeof v === 'string' && /^0+%$/.test(v));
}

function validateStrategy(strategy: unknown): FieldError[] {
  const s = obj(strategy) ?? {};
  const errs: FieldError[] = [];
  if (s.type === 'Recreate') {
    if (s.rollingUpdate !== undefined && s.rollingUpdate !== null) {
      errs.push(fieldForbidden('spec.strategy.rollingUpdate', "may not be specified when strategy `type` is 'Recreate'"));
    }
  } else if (s.type === 'RollingUpdate') {
    const ru = obj(s.rollingUpdate);
    if (!ru) errs.push(fieldRequired('spec.strategy.rollingUpdate', 'this should be defaulted and never be nil'));
    else {
      errs.push(...validateIntOrPercent(ru.maxUnavailable, 'spec.strategy.rollingUpdate.maxUnavailable'));
      errs.push(...validateIntOrPercent(ru.maxSurge, 'spec.strategy.rollingUpdate.maxSurge'));
      if (intOrPercentIsZero(ru.maxUnavailable) && intOrPercentIsZero(ru.maxSurge)) {
        errs.push(intOrPercentError('spec.strategy.rollingUpdate.maxUnavailable', ru.maxUnavailable, 'may not be 0 when `maxSurge` is 0'));
      }
      const mu = ru.maxUnavailable;
      if (typeof mu === 'string' && /^[0-9]+%$/.test(mu) && Number.parseInt(mu, 10) > 100) {
        errs.push(intOrPercentError('spec.strategy.rollingUpdate.maxUnavailable', mu, 'must not be greater than 100%'));
      }
    }
  } else {
    errs.push(fieldNotSupported('spec.strategy', s.type ?? '', ['Recreate', 'RollingUpdate']));
  }
  return errs;
}

export function validateDeployment(o: KubeObject): FieldError[] {
  const spec = obj(o.spec);
  if (!spec) return [fieldRequired('spec')];
  const errs = [
    ...nonNegative('spec.replicas', spec.replicas),
    ...nonNegative('spec.minReadySeconds', spec.minReadySeconds),
    ...nonNegative('spec.revisionHistoryLimit', spec.revisionHistoryLimit),
  ];
  errs.push(...validateSelectorAndTemplate(spec));
  errs.push(...validateStrategy(spec.strategy));
  const pds = spec.progressDeadlineSeconds;
  if (pds !== undefined && pds !== null) {
    errs.push(...nonNegative('spec.progressDeadlineSeconds', pds));
    if (typeof pds === 'number' && pds <= (num0(spec.minReadySeconds))) {
      errs.push(fieldInvalid('spec.progressDeadlineSeconds', pds, 'must be greater than minReadySeconds'));
    }
  }
  return errs;
}

function num0(v: unknown): number {
  return typeof v === 'number' ? v : 0;
}

/** The selector of Deployments and ReplicaSets is immutable in apps/v1. */
export function validateSelectorUnchanged(o: KubeObject, old: KubeObject): FieldError[] {
  const next = obj(o.spec)?.selector;
  const prev = obj(old.spec)?.selector;
  return deepEqual(next, prev) ? [] : [invalidSelector('spec.selector', next, 'field is immutable')];
}
