// Container validation (core/validation's validateContainers and friends):
// names, images, ports, env, resources, probes and volume mounts.
import type { FieldError } from '../errors.js';
import { compareQuantities, isValidQuantity, parseExactQuantity, QUANTITY_FORMAT_ERROR } from '../quantity.js';
import { isDns1123Label, isQualifiedName } from '../selectors/label-syntax.js';
import {
  arr,
  each,
  fieldDuplicate,
  fieldForbidden,
  fieldInvalid,
  fieldNotFound,
  fieldNotSupported,
  fieldRequired,
  inRangeMessage,
  nonNegative,
  obj,
  str,
  type Json,
} from './field-errors.js';

export const PROTOCOLS = ['SCTP', 'TCP', 'UDP'] as const;
const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
const TERMINATION_MESSAGE_POLICIES = ['FallbackToLogsOnError', 'File'];
const STANDARD_CONTAINER_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage']);

export function isValidPortNum(v: unknown): boolean {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 65535;
}

/** IsValidPortName: IANA service names (1–15 chars, a letter, no leading/trailing/double '-'). */
export function portNameProblems(name: string): string[] {
  const errs: string[] = [];
  if (name.length > 15) errs.push('must be no more than 15 characters');
  if (!/^[-a-z0-9]+$/.test(name)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(name)) errs.push('must contain at least one letter (a-z)');
  if (name.includes('--')) errs.push('must not contain consecutive hyphens');
  if (name.startsWith('-') || name.endsWith('-')) errs.push('must not begin or end with a hyphen');
  return errs;
}

/** A port given as a number (1–65535) or an IANA name, as probes and Service targetPort take it. */
export function validatePortNumOrName(v: unknown, field: string): FieldError[] {
  if (typeof v === 'number') return isValidPortNum(v) ? [] : [fieldInvalid(field, v, inRangeMessage(1, 65535))];
  if (typeof v === 'string') return v === '' ? [fieldRequired(field)] : each(field, v, portNameProblems(v));
  return [fieldRequired(field)];
}

function validatePorts(ports: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  arr(ports).forEach((p, i) => {
    const port = obj(p) ?? {};
    const path = `${field}[${i}]`;
    const name = str(port.name);
    if (name) {
      errs.push(...each(`${path}.name`, name, portNameProblems(name)));
      if (names.has(name)) errs.push(fieldDuplicate(`${path}.name`, name));
      names.add(name);
    }
    if (port.containerPort === undefined || port.containerPort === 0) errs.push(fieldRequired(`${path}.containerPort`));
    else if (!isValidPortNum(port.containerPort)) errs.push(fieldInvalid(`${path}.containerPort`, port.containerPort, inRangeMessage(1, 65535)));
    if (port.hostPort !== undefined && port.hostPort !== 0 && !isValidPortNum(port.hostPort)) {
      errs.push(fieldInvalid(`${path}.hostPort`, port.hostPort, inRangeMessage(1, 65535)));
    }
    if (port.protocol === undefined || port.protocol === '') errs.push(fieldRequired(`${path}.protocol`));
    else if (!(PROTOCOLS as readonly unknown[]).includes(port.protocol)) errs.push(fieldNotSupported(`${path}.protocol`, port.protocol, PROTOCOLS));
  });
  return errs;
}

const FIELD_REF_PATHS = [
  'metadata.annotations',
  'metadata.labels',
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'spec.nodeName',
  'spec.serviceAccountName',
  'status.hostIP',
  'status.hostIPs',
  'status.podIP',
  'status.podIPs',
];

function validateEnv(env: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  arr(env).forEach((e, i) => {
    const v = obj(e) ?? {};
    const path = `${field}[${i}]`;
    const name = v.name;
    if (typeof name !== 'string' || name === '') errs.push(fieldRequired(`${path}.name`));
    // RelaxedEnvironmentVariableValidation (on by default since 1.32): printable ASCII except '='.
    else if (!/^[\x20-\x7e]+$/.test(name) || name.includes('=')) {
      errs.push(fieldInvalid(`${path}.name`, name, "a valid environment variable name must consist only of printable ASCII characters other than '='"));
    }
    const from = obj(v.valueFrom);
    if (!from) return;
    const sources = ['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef'].filter((k) => obj(from[k]));
    if (sources.length === 0) errs.push(fieldInvalid(`${path}.valueFrom`, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
    else if (sources.length > 1) errs.push(fieldInvalid(`${path}.valueFrom`, '', 'may not have more than one field specified at a time'));
    if (typeof v.value === 'string' && v.value !== '') errs.push(fieldInvalid(`${path}.valueFrom`, '', 'may not be specified when `value` is not empty'));
    for (const ref of ['configMapKeyRef', 'secretKeyRef']) {
      const r = obj(from[ref]);
      if (!r) continue;
      if (!str(r.key)) errs.push(fieldRequired(`${path}.valueFrom.${ref}.key`));
      if (!str(r.name)) errs.push(fieldRequired(`${path}.valueFrom.${ref}.name`));
    }
    const fieldRef = obj(from.fieldRef);
    if (fieldRef) {
      const fp = str(fieldRef.fieldPath);
      const p = `${path}.valueFrom.fieldRef.fieldPath`;
      if (!fp) errs.push(fieldRequired(p));
      else {
        const base = /^metadata\.(labels|annotations)\['[^']+'\]$/.test(fp) ? fp.slice(0, fp.indexOf('[')) : fp;
        if (base === fp && (fp === 'metadata.labels' || fp === 'metadata.annotations')) {
          // Whole-map references only work in downward API volumes.
          errs.push(fieldNotSupported(p, fp, FIELD_REF_PATHS.filter((x) => x !== 'metadata.labels' && x !== 'metadata.annotations')));
        } else if (!FIELD_REF_PATHS.includes(base)) errs.push(fieldNotSupported(p, fp, FIELD_REF_PATHS));
      }
    }
    const resourceRef = obj(from.resourceFieldRef);
    if (resourceRef && !str(resourceRef.resource)) errs.push(fieldRequired(`${path}.valueFrom.resourceFieldRef.resource`));
  });
  return errs;
}

function validateResourceName(name: string, field: string): FieldError[] {
  const problems = isQualifiedName(name);
  if (problems.length > 0) return each(field, name, problems);
  if (!name.includes('/') && !STANDARD_CONTAINER_RESOURCES.has(name) && !name.startsWith('hugepages-')) {
    return [fieldInvalid(field, name, 'must be a standard resource for containers')];
  }
  return [];
}

export function validateResources(resources: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const r = obj(resources);
  if (!r) return resources === undefined || resources === null ? errs : [fieldInvalid(field, resources, 'must be an object')];
  const parsed = (list: Json, which: string): Map<string, string | number> => {
    const ok = new Map<string, string | number>();
    for (const [name, q] of Object.entries(list)) {
      const p = `${field}.${which}[${name}]`;
      errs.push(...validateResourceName(name, p));
      if ((typeof q !== 'string' && typeof q !== 'number') || !isValidQuantity(q)) errs.push(fieldInvalid(p, q, QUANTITY_FORMAT_ERROR));
      else if (parseExactQuantity(q).mantissa < 0n) errs.push(fieldInvalid(p, String(q), 'must be greater than or equal to 0'));
      else ok.set(name, q);
    }
    return ok;
  };
  const limits = parsed(obj(r.limits) ?? {}, 'limits');
  const requests = parsed(obj(r.requests) ?? {}, 'requests');
  for (const [name, q] of requests) {
    const limit = limits.get(name);
    if (limit !== undefined && compareQuantities(q, limit) > 0) {
      errs.push(fieldInvalid(`${field}.requests[${name}]`, String(q), `must be less than or equal to ${name} limit of ${String(limit)}`));
    }
  }
  return errs;
}

const HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc'];

/** A probe or lifecycle handler: exactly one handler type. */
function validateHandler(handler: Json, field: string, allowed: string[]): FieldError[] {
  const errs: FieldError[] = [];
  const present = allowed.filter((k) => obj(handler[k]));
  if (present.length === 0) return [fieldRequired(field, 'must specify a handler type')];
  for (const extra of present.slice(1)) errs.push(fieldForbidden(`${field}.${extra}`, 'may not specify more than 1 handler type'));
  const exec = obj(handler.exec);
  if (exec && arr(exec.command).length === 0) errs.push(fieldRequired(`${field}.exec.command`));
  const httpGet = obj(handler.httpGet);
  if (httpGet) {
    if (!str(httpGet.path)) errs.push(fieldRequired(`${field}.httpGet.path`));
    errs.push(...validatePortNumOrName(httpGet.port, `${field}.httpGet.port`));
    if (httpGet.scheme !== undefined && httpGet.scheme !== 'HTTP' && httpGet.scheme !== 'HTTPS') {
      errs.push(fieldNotSupported(`${field}.httpGet.scheme`, httpGet.scheme, ['HTTP', 'HTTPS']));
    }
  }
  const tcp = obj(handler.tcpSocket);
  if (tcp) errs.push(...validatePortNumOrName(tcp.port, `${field}.tcpSocket.port`));
  const grpc = obj(handler.grpc);
  if (grpc && !isValidPortNum(grpc.port)) errs.push(fieldInvalid(`${field}.grpc.port`, grpc.port ?? 0, inRangeMessage(1, 65535)));
  return errs;
}

function validateProbe(probe: unknown, field: string, mustSucceedOnce: boolean): FieldError[] {
  const p = obj(probe);
  if (!p) return [];
  const errs = validateHandler(p, field, HANDLERS);
  for (const k of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold', 'terminationGracePeriodSeconds']) {
    errs.push(...nonNegative(`${field}.${k}`, p[k]));
  }
  if (mustSucceedOnce && p.successThreshold !== undefined && p.successThreshold !== 1) {
    errs.push(fieldInvalid(`${field}.successThreshold`, p.successThreshold, 'must be 1'));
  }
  return errs;
}

function validateVolumeMounts(mounts: unknown, field: string, volumes: ReadonlySet<string>): FieldError[] {
  const errs: FieldError[] = [];
  const paths = new Set<string>();
  arr(mounts).forEach((m, i) => {
    const mount = obj(m) ?? {};
    const path = `${field}[${i}]`;
    const name = str(mount.name);
    if (!name) errs.push(fieldRequired(`${path}.name`));
    else if (!volumes.has(name)) errs.push(fieldNotFound(`${path}.name`, name));
    const mountPath = str(mount.mountPath);
    if (!mountPath) errs.push(fieldRequired(`${path}.mountPath`));
    else {
      if (paths.has(mountPath)) errs.push(fieldInvalid(`${path}.mountPath`, mountPath, 'must be unique'));
      paths.add(mountPath);
    }
    const subPath = str(mount.subPath);
    if (subPath && (subPath.startsWith('/') || subPath.split('/').includes('..'))) {
      errs.push(fieldInvalid(`${path}.subPath`, subPath, subPath.startsWith('/') ? 'must be a relative path' : "must not contain '..'"));
    }
  });
  return errs;
}

export interface ContainerContext {
  volumes: ReadonlySet<string>;
  /** Names already used by containers of the pod (init and regular share one namespace). */
  names: Set<string>;
  /** Init containers may not have lifecycle or probes (except restartable sidecars). */
  init: boolean;
}

export function validateContainer(c: unknown, field: string, ctx: ContainerContext): FieldError[] {
  const container = obj(c);
  if (!container) return [fieldInvalid(field, c ?? null, 'must be an object')];
  const errs: FieldError[] = [];
  const name = container.name;
  if (typeof name !== 'string' || name === '') errs.push(fieldRequired(`${field}.name`));
  else {
    errs.push(...each(`${field}.name`, name, isDns1123Label(name)));
    if (ctx.names.has(name)) errs.push(fieldDuplicate(`${field}.name`, name));
    ctx.names.add(name);
  }
  const image = container.image;
  if (typeof image !== 'string' || image.trim() === '') errs.push(fieldRequired(`${field}.image`));
  else if (image !== image.trim()) errs.push(fieldInvalid(`${field}.image`, image, 'must not have leading or trailing whitespace'));
  const pull = container.imagePullPolicy;
  if (pull === undefined || pull === '') errs.push(fieldRequired(`${field}.imagePullPolicy`));
  else if (!PULL_POLICIES.includes(pull as string)) errs.push(fieldNotSupported(`${field}.imagePullPolicy`, pull, PULL_POLICIES));
  const tmp = container.terminationMessagePolicy;
  if (tmp === undefined || tmp === '') errs.push(fieldRequired(`${field}.terminationMessagePolicy`));
  else if (!TERMINATION_MESSAGE_POLICIES.includes(tmp as string)) {
    errs.push(fieldNotSupported(`${field}.terminationMessagePolicy`, tmp, TERMINATION_MESSAGE_POLICIES));
  }
  for (const k of ['command', 'args']) {
    if (container[k] !== undefined && !Array.isArray(container[k])) errs.push(fieldInvalid(`${field}.${k}`, container[k], 'must be a list of strings'));
  }
  errs.push(...validatePorts(container.ports, `${field}.ports`));
  errs.push(...validateEnv(container.env, `${field}.env`));
  errs.push(...validateResources(container.resources, `${field}.resources`));
  errs.push(...validateVolumeMounts(container.volumeMounts, `${field}.volumeMounts`, ctx.volumes));
  const sidecar = ctx.init && container.restartPolicy === 'Always';
  if (ctx.init && container.restartPolicy !== undefined && container.restartPolicy !== 'Always') {
    errs.push(fieldNotSupported(`${field}.restartPolicy`, container.restartPolicy, ['Always']));
  }
  if (!ctx.init && container.restartPolicy !== undefined) errs.push(fieldForbidden(`${field}.restartPolicy`, 'may not be set for non-init containers'));
  for (const [k, once] of [
    ['livenessProbe', true],
    ['readinessProbe', false],
    ['startupProbe', true],
  ] as const) {
    if (ctx.init && !sidecar && container[k] !== undefined) errs.push(fieldForbidden(`${field}.${k}`, `may not be set for init containers without restartPolicy=Always`));
    else errs.push(...validateProbe(container[k], `${field}.${k}`, once));
  }
  const lifecycle = obj(container.lifecycle);
  if (lifecycle) {
    if (ctx.init && !sidecar) errs.push(fieldForbidden(`${field}.lifecycle`, 'may not be set for init containers without restartPolicy=Always'));
    for (const hook of ['postStart', 'preStop']) {
      const h = obj(lifecycle[hook]);
      if (h) errs.push(...validateHandler(h, `${field}.lifecycle.${hook}`, ['exec', 'httpGet', 'tcpSocket', 'sleep']));
    }
  }
  return errs;
}
