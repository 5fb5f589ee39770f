// PodSpec validation (core/validation's ValidatePodSpec) and the Pod update rule:
// a running pod's spec is fixed except for a handful of fields.
import type { FieldError } from '../errors.js';
import { isDns1123Label, isDns1123Subdomain, isQualifiedName } from '../selectors/label-syntax.js';
import { validateContainer, type ContainerContext } from './container-validation.js';
import {
  arr,
  deepEqual,
  each,
  fieldDuplicate,
  fieldForbidden,
  fieldInvalid,
  fieldNotSupported,
  fieldRequired,
  inRangeMessage,
  isObj,
  nonNegative,
  obj,
  str,
  type Json,
} from './field-errors.js';
import { validateLabels } from './object-meta.js';

const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const DNS_POLICIES = ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'];
const VOLUME_SOURCES = [
  'hostPath',
  'emptyDir',
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'gitRepo',
  'secret',
  'nfs',
  'iscsi',
  'glusterfs',
  'persistentVolumeClaim',
  'rbd',
  'flexVolume',
  'cinder',
  'cephfs',
  'flocker',
  'downwardAPI',
  'fc',
  'azureFile',
  'configMap',
  'vsphereVolume',
  'quobyte',
  'azureDisk',
  'photonPersistentDisk',
  'projected',
  'portworxVolume',
  'scaleIO',
  'storageos',
  'csi',
  'ephemeral',
  'image',
];
const TOLERATION_OPERATORS = ['Equal', 'Exists'];
const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

function validateMode(v: unknown, field: string): FieldError[] {
  if (v === undefined || v === null) return [];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0o777) {
    return [fieldInvalid(field, v, 'must be a number between 0 and 0777 (octal), both inclusive')];
  }
  return [];
}

function validateVolumes(volumes: unknown, field: string): { errs: FieldError[]; names: Set<string> } {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  arr(volumes).forEach((v, i) => {
    const vol = obj(v) ?? {};
    const path = `${field}[${i}]`;
    const name = vol.name;
    if (typeof name !== 'string' || name === '') errs.push(fieldRequired(`${path}.name`));
    else {
      errs.push(...each(`${path}.name`, name, isDns1123Label(name)));
      if (names.has(name)) errs.push(fieldDuplicate(`${path}.name`, name));
      names.add(name);
    }
    const sources = VOLUME_SOURCES.filter((s) => isObj(vol[s]));
    if (sources.length === 0) errs.push(fieldRequired(path, 'must specify a volume type'));
    for (const extra of sources.slice(1)) errs.push(fieldForbidden(`${path}.${extra}`, 'may not specify more than 1 volume type'));
    const hostPath = obj(vol.hostPath);
    if (hostPath && !str(hostPath.path)) errs.push(fieldRequired(`${path}.hostPath.path`));
    const configMap = obj(vol.configMap);
    if (configMap) {
      if (!str(configMap.name)) errs.push(fieldRequired(`${path}.configMap.name`));
      errs.push(...validateMode(configMap.defaultMode, `${path}.configMap.defaultMode`));
      errs.push(...validateItems(configMap.items, `${path}.configMap.items`));
    }
    const secret = obj(vol.secret);
    if (secret) {
      if (!str(secret.secretName)) errs.push(fieldRequired(`${path}.secret.secretName`));
      errs.push(...validateMode(secret.defaultMode, `${path}.secret.defaultMode`));
      errs.push(...validateItems(secret.items, `${path}.secret.items`));
    }
    const pvc = obj(vol.persistentVolumeClaim);
    if (pvc && !str(pvc.claimName)) errs.push(fieldRequired(`${path}.persistentVolumeClaim.claimName`));
    const emptyDir = obj(vol.emptyDir);
    if (emptyDir && emptyDir.medium !== undefined && !['', 'Memory', 'HugePages'].includes(emptyDir.medium as string)) {
      errs.push(fieldNotSupported(`${path}.emptyDir.medium`, emptyDir.medium, ['', 'Memory', 'HugePages']));
    }
  });
  return { errs, names };
}

function validateItems(items: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  arr(items).forEach((it, i) => {
    const item = obj(it) ?? {};
    const path = `${field}[${i}]`;
    if (!str(item.key)) errs.push(fieldRequired(`${path}.key`));
    const p = str(item.path);
    if (!p) errs.push(fieldRequired(`${path}.path`));
    else if (p.startsWith('/')) errs.push(fieldInvalid(`${path}.path`, p, 'must be a relative path'));
    else if (p.split('/').includes('..')) errs.push(fieldInvalid(`${path}.path`, p, "must not contain '..'"));
    errs.push(...validateMode(item.mode, `${path}.mode`));
  });
  return errs;
}

function validateTolerations(tolerations: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  arr(tolerations).forEach((t, i) => {
    const tol = obj(t) ?? {};
    const path = `${field}[${i}]`;
    const key = str(tol.key) ?? '';
    if (key !== '') errs.push(...each(`${path}.key`, key, isQualifiedName(key)));
    const op = tol.operator ?? 'Equal';
    if (key === '' && op !== 'Exists') errs.push(fieldInvalid(`${path}.operator`, op, 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    if (!TOLERATION_OPERATORS.includes(op as string)) errs.push(fieldNotSupported(`${path}.operator`, op, TOLERATION_OPERATORS));
    if (op === 'Exists' && str(tol.value)) errs.push(fieldInvalid(`${path}.operator`, tol.value, 'value must be empty when `operator` is \'Exists\''));
    if (tol.effect !== undefined && tol.effect !== '' && !TAINT_EFFECTS.includes(tol.effect as string)) errs.push(fieldNotSupported(`${path}.effect`, tol.effect, TAINT_EFFECTS));
    if (tol.tolerationSeconds !== undefined && tol.effect !== 'NoExecute') {
      errs.push(fieldInvalid(`${path}.effect`, tol.effect ?? '', 'effect must be \'NoExecute\' when `tolerationSeconds` is set'));
    }
  });
  return errs;
}

export interface PodSpecOptions {
  /** Pod templates of ReplicaSets and Deployments only allow restartPolicy Always. */
  template?: 'replicaset';
}

export function validatePodSpec(specValue: unknown, field: string, opts: PodSpecOptions = {}): FieldError[] {
  const spec = obj(specValue);
  if (!spec) return [fieldRequired(field)];
  const { errs, names: volumes } = validateVolumes(spec.volumes, `${field}.volumes`);
  const containers = spec.containers;
  if (!Array.isArray(containers) || containers.length === 0) errs.push(fieldRequired(`${field}.containers`));
  // One name space for all containers; regular ones go first so that Kubernetes
  // reports a clash on the init container.
  const names = new Set<string>();
  const regular: ContainerContext = { volumes, names, init: false };
  arr(containers).forEach((c, i) => errs.push(...validateContainer(c, `${field}.containers[${i}]`, regular)));
  arr(spec.initContainers).forEach((c, i) => errs.push(...validateContainer(c, `${field}.initContainers[${i}]`, { volumes, names, init: true })));
  const restart = spec.restartPolicy;
  if (restart === undefined || restart === '') errs.push(fieldRequired(`${field}.restartPolicy`));
  else if (opts.template === 'replicaset') {
    if (restart !== 'Always') errs.push(fieldNotSupported(`${field}.restartPolicy`, restart, ['Always']));
  } else if (!RESTART_POLICIES.includes(restart as string)) errs.push(fieldNotSupported(`${field}.restartPolicy`, restart, RESTART_POLICIES));
  const dns = spec.dnsPolicy;
  if (dns === undefined || dns === '') errs.push(fieldRequired(`${field}.dnsPolicy`));
  else if (!DNS_POLICIES.includes(dns as string)) errs.push(fieldNotSupported(`${field}.dnsPolicy`, dns, DNS_POLICIES));
  else if (dns === 'None' && !obj(spec.dnsConfig)) errs.push(fieldRequired(`${field}.dnsConfig`, 'must provide `dnsConfig` when `dnsPolicy` is None'));
  errs.push(...validateLabels(spec.nodeSelector, `${field}.nodeSelector`));
  errs.push(...nonNegative(`${field}.terminationGracePeriodSeconds`, spec.terminationGracePeriodSeconds));
  const deadline = spec.activeDeadlineSeconds;
  if (deadline !== undefined && deadline !== null) {
    if (opts.template === 'replicaset') errs.push(fieldForbidden(`${field}.activeDeadlineSeconds`, 'activeDeadlineSeconds in ReplicaSet is not Supported'));
    else if (typeof deadline !== 'number' || !Number.isInteger(deadline) || deadline < 1 || deadline > 2 ** 31 - 1) {
      errs.push(fieldInvalid(`${field}.activeDeadlineSeconds`, deadline, inRangeMessage(1, 2 ** 31 - 1)));
    }
  }
  for (const k of ['serviceAccountName', 'nodeName']) {
    const v = str(spec[k]);
    if (v) errs.push(...each(`${field}.${k}`, v, isDns1123Subdomain(v)));
  }
  const hostname = str(spec.hostname);
  if (hostname) errs.push(...each(`${field}.hostname`, hostname, isDns1123Label(hostname)));
  const subdomain = str(spec.subdomain);
  if (subdomain) errs.push(...each(`${field}.subdomain`, subdomain, isDns1123Label(subdomain)));
  errs.push(...validateTolerations(spec.tolerations, `${field}.tolerations`));
  arr(spec.imagePullSecrets).forEach((s, i) => {
    if (!str(obj(s)?.name)) errs.push(fieldRequired(`${field}.imagePullSecrets[${i}].name`));
  });
  return errs;
}

/** Pod template validation for ReplicaSets and Deployments: labels, then the spec with RS rules. */
export function validatePodTemplate(template: unknown, field: string): FieldError[] {
  const t = obj(template);
  if (!t) return [fieldRequired(field)];
  const errs = validateLabels(obj(t.metadata)?.labels, `${field}.metadata.labels`);
  errs.push(...validatePodSpec(t.spec, `${field}.spec`, { template: 'replicaset' }));
  return errs;
}

export const POD_UPDATE_MESSAGE =
  'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

function withoutImages(list: unknown): unknown[] {
  return arr(list).map((c) => (isObj(c) ? { ...c, image: undefined } : c));
}

/** ValidatePodUpdate: the spec is frozen except images, activeDeadlineSeconds, added tolerations, grace period. */
export function validatePodSpecUpdate(specValue: unknown, oldValue: unknown): FieldError[] {
  const spec = obj(specValue) ?? {};
  const old = obj(oldValue) ?? {};
  const errs: FieldError[] = [];
  const oldDeadline = old.activeDeadlineSeconds;
  const newDeadline = spec.activeDeadlineSeconds;
  // activeDeadlineSeconds may be set or shortened, never removed or lengthened.
  if (oldDeadline !== undefined && oldDeadline !== null) {
    if (newDeadline === undefined || newDeadline === null) errs.push(fieldInvalid('spec.activeDeadlineSeconds', null, 'must not update from a positive integer to nil value'));
    else if (typeof newDeadline === 'number' && typeof oldDeadline === 'number' && newDeadline > oldDeadline) {
      errs.push(fieldInvalid('spec.activeDeadlineSeconds', newDeadline, 'must be less than or equal to previous value'));
    }
  }
  const oldTolerations = arr(old.tolerations);
  const newTolerations = arr(spec.tolerations);
  const tolerationsOk = oldTolerations.every((t) => newTolerations.some((n) => deepEqual(n, t) || sameTolerationLongerOnly(n, t)));
  const comparable = (s: Json, o: Json): Json => {
    const c: Json = { ...s, containers: withoutImages(s.containers), initContainers: withoutImages(s.initContainers) };
    c.activeDeadlineSeconds = undefined;
    c.tolerations = undefined;
    // A negative grace period may be raised to 1; otherwise it is fixed.
    if (typeof o.terminationGracePeriodSeconds === 'number' && o.terminationGracePeriodSeconds < 0 && s.terminationGracePeriodSeconds === 1) {
      c.terminationGracePeriodSeconds = o.terminationGracePeriodSeconds;
    }
    return c;
  };
  const mutated = !deepEqual(comparable(spec, old), comparable(old, old));
  if (mutated || !tolerationsOk) errs.push(fieldForbidden('spec', POD_UPDATE_MESSAGE));
  return errs;
}

/** An existing toleration may only have its tolerationSeconds shortened. */
function sameTolerationLongerOnly(next: unknown, prev: unknown): boolean {
  const n = obj(next);
  const p = obj(prev);
  if (!n || !p) return false;
  const { tolerationSeconds: ns, ...nRest } = n;
  const { tolerationSeconds: ps, ...pRest } = p;
  return deepEqual(nRest, pRest) && typeof ns === 'number' && typeof ps === 'number' && ns <= ps;
}
