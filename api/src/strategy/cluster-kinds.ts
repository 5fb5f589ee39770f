// Namespace, Node, Lease, Event and Binding: defaults and validation.
import type { FieldError } from '../errors.js';
import type { KubeObject } from '../meta.js';
import { isDns1123Subdomain, isQualifiedName } from '../selectors/label-syntax.js';
import {
  arr,
  child,
  each,
  fieldDuplicate,
  fieldForbidden,
  fieldInvalid,
  fieldNotSupported,
  fieldRequired,
  isObj,
  nonNegative,
  obj,
  setDefault,
  str,
} from './field-errors.js';

export function defaultNamespace(o: KubeObject): void {
  // Every namespace carries its own name as a label, so selectors can pick namespaces by name.
  const name = o.metadata.name;
  if (typeof name === 'string' && name !== '') {
    const labels = child(o.metadata as Record<string, unknown>, 'labels');
    labels['kubernetes.io/metadata.name'] = name;
  }
  const spec = child(o, 'spec');
  if (!Array.isArray(spec.finalizers)) spec.finalizers = ['kubernetes'];
  setDefault(child(o, 'status'), 'phase', 'Active');
}

export function validateNamespace(o: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  arr(obj(o.spec)?.finalizers).forEach((f, i) => {
    if (typeof f !== 'string') errs.push(fieldInvalid(`spec.finalizers[${i}]`, f, 'must be a string'));
    else errs.push(...each('spec.finalizers', f, isQualifiedName(f)));
  });
  const phase = obj(o.status)?.phase;
  if (phase !== undefined && phase !== 'Active' && phase !== 'Terminating') errs.push(fieldNotSupported('status.phase', phase, ['Active', 'Terminating']));
  return errs;
}

/** Namespace finalizers change only through /finalize: a plain update keeps the stored ones. */
export function keepNamespaceFinalizers(o: KubeObject, old: KubeObject): void {
  const prev = obj(old.spec)?.finalizers;
  if (prev !== undefined) child(o, 'spec').finalizers = structuredClone(prev);
}

export function defaultNode(o: KubeObject): void {
  const status = obj(o.status);
  if (status && isObj(status.capacity) && !isObj(status.allocatable)) status.allocatable = { ...status.capacity };
  const spec = obj(o.spec);
  if (spec && typeof spec.podCIDR === 'string' && spec.podCIDR !== '' && !Array.isArray(spec.podCIDRs)) spec.podCIDRs = [spec.podCIDR];
}

const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

export function isCidr(s: string): boolean {
  const m = CIDR.exec(s);
  if (m) return m.slice(1, 5).every((x) => Number(x) <= 255) && Number(m[5]) <= 32;
  const [addr, bits] = s.split('/');
  if (!addr || bits === undefined || !/^\d{1,3}$/.test(bits) || Number(bits) > 128 || !addr.includes(':')) return false;
  try {
    return new URL(`http://[${addr}]/`).hostname.length > 2;
  } catch {
    return false;
  }
}

const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

export function validateNode(o: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const spec = obj(o.spec) ?? {};
  const seen = new Set<string>();
  arr(spec.taints).forEach((t, i) => {
    const taint = obj(t) ?? {};
    const path = `spec.taints[${i}]`;
    const key = str(taint.key) ?? '';
    if (key === '') errs.push(fieldRequired(`${path}.key`));
    else errs.push(...each(`${path}.key`, key, isQualifiedName(key)));
    if (!taint.effect) errs.push(fieldRequired(`${path}.effect`));
    else if (!TAINT_EFFECTS.includes(taint.effect as string)) errs.push(fieldNotSupported(`${path}.effect`, taint.effect, TAINT_EFFECTS));
    const id = `${key}/${String(taint.effect)}`;
    if (seen.has(id)) errs.push(fieldDuplicate(path, `${key}=${String(taint.value ?? '')}:${String(taint.effect)}`));
    seen.add(id);
  });
  const cidrs = arr(spec.podCIDRs);
  cidrs.forEach((c, i) => {
    if (typeof c !== 'string' || !isCidr(c)) errs.push(fieldInvalid(`spec.podCIDRs[${i}]`, c, 'must be a valid CIDR'));
  });
  if (typeof spec.podCIDR === 'string' && spec.podCIDR !== '' && cidrs.length > 0 && cidrs[0] !== spec.podCIDR) {
    errs.push(fieldInvalid('spec.podCIDRs', cidrs, 'first value must match `podCIDR`'));
  }
  return errs;
}

/** A node's pod CIDR, once assigned, is fixed. */
export function validateNodeUpdate(o: KubeObject, old: KubeObject): FieldError[] {
  const prev = obj(old.spec)?.podCIDR;
  const next = obj(o.spec)?.podCIDR;
  if (typeof prev === 'string' && prev !== '' && next !== prev) return [fieldForbidden('spec.podCIDR', 'node updates may not change podCIDR except from "" to valid')];
  return [];
}

function isTimestamp(v: unknown): boolean {
  return typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(v) && !Number.isNaN(Date.parse(v));
}

export function validateLease(o: KubeObject): FieldError[] {
  const spec = obj(o.spec) ?? {};
  const errs: FieldError[] = [];
  const d = spec.leaseDurationSeconds;
  if (d !== undefined && d !== null && (typeof d !== 'number' || d <= 0)) errs.push(fieldInvalid('spec.leaseDurationSeconds', d, 'must be greater than 0'));
  errs.push(...nonNegative('spec.leaseTransitions', spec.leaseTransitions));
  for (const k of ['acquireTime', 'renewTime']) {
    const v = spec[k];
    if (v !== undefined && v !== null && !isTimestamp(v)) errs.push(fieldInvalid(`spec.${k}`, v, 'must be an RFC 3339 timestamp'));
  }
  if (spec.holderIdentity !== undefined && spec.holderIdentity !== null && typeof spec.holderIdentity !== 'string') {
    errs.push(fieldInvalid('spec.holderIdentity', spec.holderIdentity, 'must be a string'));
  }
  return errs;
}

/** The legacy core/v1 Event rules (events written without eventTime, as kubectl and controllers do). */
export function validateEvent(o: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const involved = obj(o.involvedObject);
  const ns = o.metadata.namespace ?? '';
  const involvedNs = str(involved?.namespace) ?? '';
  const newStyle = typeof o.eventTime === 'string' && o.eventTime !== '';
  if (!newStyle) {
    if (involvedNs === '' ? ns !== '' && ns !== 'default' : ns !== involvedNs) {
      errs.push(fieldInvalid('involvedObject.namespace', involvedNs, 'does not match event.namespace'));
    }
  } else {
    if (involvedNs === '' && ns !== 'default' && ns !== 'kube-system') errs.push(fieldInvalid('involvedObject.namespace', involvedNs, 'does not match event.namespace'));
    const controller = str(o.reportingComponent) ?? '';
    if (controller === '') errs.push(fieldRequired('reportingComponent'));
    else errs.push(...each('reportingComponent', controller, isQualifiedName(controller)));
    if (!str(o.reportingInstance)) errs.push(fieldRequired('reportingInstance'));
    if (!str(o.action)) errs.push(fieldRequired('action'));
    if (!str(o.reason)) errs.push(fieldRequired('reason'));
  }
  if (typeof o.message === 'string' && Buffer.byteLength(o.message) > 1024 * 1024) {
    errs.push(fieldInvalid('message', '', 'can have at most 1048576 characters'));
  }
  errs.push(...each('namespace', ns, isDns1123Subdomain(ns)));
  if (o.type !== undefined && o.type !== '' && o.type !== 'Normal' && o.type !== 'Warning' && newStyle) {
    errs.push(fieldNotSupported('type', o.type, ['Normal', 'Warning']));
  }
  return errs;
}

export function validateBinding(o: KubeObject): FieldError[] {
  const target = obj(o.target) ?? {};
  const errs: FieldError[] = [];
  const kind = str(target.kind) ?? '';
  if (kind !== '' && kind !== 'Node') errs.push(fieldNotSupported('target.kind', kind, ['Node', '<empty>']));
  if (!str(target.name)) errs.push(fieldRequired('target.name'));
  return errs;
}
