// core/v1 Service: defaults (SetDefaults_Service and the single-stack IP family
// the registry fills in), validation (ValidateService / ValidateServiceUpdate),
// and carrying allocated values (clusterIP, nodePorts) across a PUT that omits them.
import type { FieldError } from '../errors.js';
import type { KubeObject } from '../meta.js';
import { isDns1123Label, isDns1123Subdomain } from '../selectors/label-syntax.js';
import { PROTOCOLS, isValidPortNum, validatePortNumOrName } from './container-validation.js';
import {
  arr,
  child,
  each,
  fieldDuplicate,
  fieldForbidden,
  fieldInvalid,
  fieldNotSupported,
  fieldRequired,
  inRangeMessage,
  isObj,
  obj,
  setDefault,
  str,
  type Json,
} from './field-errors.js';
import { validateLabels } from './object-meta.js';

const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const TRAFFIC_POLICIES = ['Cluster', 'Local'];
export const NODE_PORT_RANGE = { min: 30000, max: 32767 } as const;

export function defaultService(o: KubeObject): void {
  const spec = child(o, 'spec');
  setDefault(spec, 'type', 'ClusterIP');
  setDefault(spec, 'sessionAffinity', 'None');
  if (spec.sessionAffinity === 'ClientIP') {
    const cfg = child(child(spec, 'sessionAffinityConfig'), 'clientIP');
    setDefault(cfg, 'timeoutSeconds', 10800);
  }
  for (const p of arr(spec.ports)) {
    const port = obj(p);
    if (!port) continue;
    setDefault(port, 'protocol', 'TCP');
    if (port.targetPort === undefined || port.targetPort === null || port.targetPort === 0 || port.targetPort === '') port.targetPort = port.port;
  }
  const type = spec.type;
  if ((type === 'NodePort' || type === 'LoadBalancer') && !spec.externalTrafficPolicy) spec.externalTrafficPolicy = 'Cluster';
  if (type !== 'ExternalName') {
    setDefault(spec, 'internalTrafficPolicy', 'Cluster');
    if (!Array.isArray(spec.ipFamilies) || spec.ipFamilies.length === 0) spec.ipFamilies = ['IPv4'];
    setDefault(spec, 'ipFamilyPolicy', 'SingleStack');
  }
  if (type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts === undefined) spec.allocateLoadBalancerNodePorts = true;
  // clusterIP and clusterIPs[0] are one value; whichever was given fills the other.
  const clusterIP = str(spec.clusterIP);
  const clusterIPs = Array.isArray(spec.clusterIPs) ? spec.clusterIPs : [];
  if (clusterIP && clusterIPs.length === 0) spec.clusterIPs = [clusterIP];
  else if (!clusterIP && typeof clusterIPs[0] === 'string') spec.clusterIP = clusterIPs[0];
}

/** Copies the allocated clusterIP(s) and nodePorts of `old` into an update that left them out (patchAllocatedValues). */
export function carryServiceAllocations(o: KubeObject, old: KubeObject): void {
  const spec = obj(o.spec);
  const prev = obj(old.spec);
  if (!spec || !prev) return;
  const needsClusterIP = (s: Json) => s.type !== 'ExternalName';
  if (needsClusterIP(spec) && needsClusterIP(prev)) {
    if (!spec.clusterIP && prev.clusterIP) spec.clusterIP = prev.clusterIP;
    if ((!Array.isArray(spec.clusterIPs) || spec.clusterIPs.length === 0) && Array.isArray(prev.clusterIPs)) spec.clusterIPs = [...prev.clusterIPs];
  }
  const needsNodePort = (s: Json) => s.type === 'NodePort' || s.type === 'LoadBalancer';
  if (needsNodePort(spec) && needsNodePort(prev)) {
    const used = new Set(arr(spec.ports).map((p) => obj(p)?.nodePort).filter((n) => typeof n === 'number' && n !== 0));
    for (const p of arr(spec.ports)) {
      const port = obj(p);
      if (!port || (port.nodePort !== undefined && port.nodePort !== 0)) continue;
      const match = arr(prev.ports)
        .map(obj)
        .find((q) => q && q.port === port.port && (q.protocol ?? 'TCP') === (port.protocol ?? 'TCP') && !used.has(q.nodePort));
      if (match && typeof match.nodePort === 'number') {
        port.nodePort = match.nodePort;
        used.add(match.nodePort);
      }
    }
    if (!spec.healthCheckNodePort && prev.healthCheckNodePort && spec.externalTrafficPolicy === 'Local') spec.healthCheckNodePort = prev.healthCheckNodePort;
  }
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

export function isIP(s: string): boolean {
  if (IPV4.test(s)) return true;
  // IPv6: let the URL parser decide, it implements the full grammar.
  if (!s.includes(':')) return false;
  try {
    return new URL(`http://[${s}]/`).hostname.length > 2;
  } catch {
    return false;
  }
}

function goPortKey(protocol: unknown, port: unknown): string {
  return `core.ServicePort{Name:"", Protocol:${JSON.stringify(protocol ?? '')}, AppProtocol:(*string)(nil), Port:${String(port ?? 0)}, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}`;
}

function validatePorts(spec: Json): FieldError[] {
  const errs: FieldError[] = [];
  const ports = arr(spec.ports);
  const names = new Set<string>();
  const pairs = new Set<string>();
  const nodePorts = new Set<string>();
  ports.forEach((p, i) => {
    const port = obj(p) ?? {};
    const path = `spec.ports[${i}]`;
    const name = str(port.name) ?? '';
    if (ports.length > 1 && name === '') errs.push(fieldRequired(`${path}.name`));
    if (name !== '') {
      errs.push(...each(`${path}.name`, name, isDns1123Label(name)));
      if (names.has(name)) errs.push(fieldDuplicate(`${path}.name`, name));
      names.add(name);
    }
    if (!isValidPortNum(port.port)) errs.push(fieldInvalid(`${path}.port`, port.port ?? 0, inRangeMessage(1, 65535)));
    if (port.protocol === undefined || port.protocol === '') errs.push(fieldRequired(`${path}.protocol`));
    else if (!(PROTOCOLS as readonly unknown[]).includes(port.protocol)) errs.push(fieldNotSupported(`${path}.protocol`, port.protocol, PROTOCOLS));
    if (port.targetPort !== undefined) errs.push(...validatePortNumOrName(port.targetPort, `${path}.targetPort`));
    const key = `${String(port.protocol)}/${String(port.port)}`;
    if (pairs.has(key)) errs.push({ type: 'FieldValueDuplicate', field: path, message: `Duplicate value: ${goPortKey(port.protocol, port.port)}` });
    pairs.add(key);
    const nodePort = port.nodePort;
    if (nodePort !== undefined && nodePort !== 0) {
      if (spec.type === 'ClusterIP' || spec.type === 'ExternalName') {
        errs.push(fieldForbidden(`${path}.nodePort`, `may not be used when \`type\` is '${String(spec.type)}'`));
      } else if (typeof nodePort !== 'number' || !Number.isInteger(nodePort) || nodePort < NODE_PORT_RANGE.min || nodePort > NODE_PORT_RANGE.max) {
        errs.push(
          fieldInvalid(
            `${path}.nodePort`,
            nodePort,
            `provided port is not in the valid range. The range of valid ports is ${NODE_PORT_RANGE.min}-${NODE_PORT_RANGE.max}`,
          ),
        );
      } else {
        const npKey = `${String(port.protocol)}/${nodePort}`;
        if (nodePorts.has(npKey)) errs.push(fieldDuplicate(`${path}.nodePort`, nodePort));
        nodePorts.add(npKey);
      }
    }
  });
  return errs;
}

export function validateService(o: KubeObject): FieldError[] {
  const spec = obj(o.spec);
  if (!spec) return [fieldRequired('spec')];
  const errs: FieldError[] = [];
  const type = spec.type;
  if (!SERVICE_TYPES.includes(type as string)) errs.push(fieldNotSupported('spec.type', type ?? '', SERVICE_TYPES));
  const clusterIPs = arr(spec.clusterIPs);
  const headless = clusterIPs[0] === 'None' || spec.clusterIP === 'None';
  if (arr(spec.ports).length === 0 && !headless && type !== 'ExternalName') errs.push(fieldRequired('spec.ports'));
  errs.push(...validatePorts(spec));
  if (type === 'ExternalName') {
    if (clusterIPs.length > 0 || str(spec.clusterIP)) errs.push(fieldForbidden('spec.clusterIPs', 'may not be set for ExternalName services'));
    const ext = str(spec.externalName);
    if (!ext) errs.push(fieldRequired('spec.externalName'));
    else errs.push(...each('spec.externalName', ext, isDns1123Subdomain(ext.endsWith('.') ? ext.slice(0, -1) : ext)));
  }
  clusterIPs.forEach((ip, i) => {
    if (i === 0 && ip === 'None') return;
    if (typeof ip !== 'string' || !isIP(ip)) errs.push(fieldInvalid(`spec.clusterIPs[${i}]`, ip, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'));
  });
  if (str(spec.clusterIP) && clusterIPs.length > 0 && spec.clusterIP !== clusterIPs[0]) {
    errs.push(fieldInvalid('spec.clusterIPs', clusterIPs, 'first value must match `clusterIP`'));
  }
  if (headless && (type === 'NodePort' || type === 'LoadBalancer')) {
    errs.push(fieldInvalid('spec.clusterIPs[0]', 'None', `may not be set to 'None' for ${String(type)} services`));
  }
  const affinity = spec.sessionAffinity;
  if (affinity === undefined || affinity === '') errs.push(fieldRequired('spec.sessionAffinity'));
  else if (affinity !== 'ClientIP' && affinity !== 'None') errs.push(fieldNotSupported('spec.sessionAffinity', affinity, ['ClientIP', 'None']));
  errs.push(...validateLabels(spec.selector, 'spec.selector'));
  const etp = spec.externalTrafficPolicy;
  if (type === 'NodePort' || type === 'LoadBalancer') {
    if (!etp) errs.push(fieldRequired('spec.externalTrafficPolicy'));
    else if (!TRAFFIC_POLICIES.includes(etp as string)) errs.push(fieldNotSupported('spec.externalTrafficPolicy', etp, TRAFFIC_POLICIES));
  } else if (etp) {
    errs.push(fieldInvalid('spec.externalTrafficPolicy', etp, "may only be set when `type` is 'NodePort' or 'LoadBalancer'"));
  }
  const itp = spec.internalTrafficPolicy;
  if (type !== 'ExternalName') {
    if (!itp) errs.push(fieldRequired('spec.internalTrafficPolicy'));
    else if (!TRAFFIC_POLICIES.includes(itp as string)) errs.push(fieldNotSupported('spec.internalTrafficPolicy', itp, TRAFFIC_POLICIES));
  }
  const policy = spec.ipFamilyPolicy;
  if (policy !== undefined && !['SingleStack', 'PreferDualStack', 'RequireDualStack'].includes(policy as string)) {
    errs.push(fieldNotSupported('spec.ipFamilyPolicy', policy, ['PreferDualStack', 'RequireDualStack', 'SingleStack']));
  }
  arr(spec.ipFamilies).forEach((f, i) => {
    if (f !== 'IPv4' && f !== 'IPv6') errs.push(fieldNotSupported(`spec.ipFamilies[${i}]`, f, ['IPv4', 'IPv6']));
  });
  arr(spec.externalIPs).forEach((ip, i) => {
    if (typeof ip !== 'string' || !isIP(ip)) errs.push(fieldInvalid(`spec.externalIPs[${i}]`, ip, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'));
  });
  return errs;
}

function goStrings(v: unknown): string {
  if (!Array.isArray(v)) return '[]string(nil)';
  return `[]string{${v.map((x) => JSON.stringify(x)).join(', ')}}`;
}

/** The allocated primary cluster IP may never change (except to or from ExternalName). */
export function validateServiceUpdate(o: KubeObject, old: KubeObject): FieldError[] {
  const spec = obj(o.spec) ?? {};
  const prev = obj(old.spec) ?? {};
  if (spec.type === 'ExternalName' || prev.type === 'ExternalName') return [];
  const next = arr(spec.clusterIPs);
  const before = arr(prev.clusterIPs);
  if (next[0] === 'None' && before[0] === 'None') return [];
  const invalidIPs = (i: number, detail: string): FieldError => ({
    type: 'FieldValueInvalid',
    field: `spec.clusterIPs[${i}]`,
    message: `Invalid value: ${goStrings(isObj(spec) ? spec.clusterIPs : undefined)}: ${detail}`,
  });
  if (before.length > 0 && next.length === 0) return [invalidIPs(0, 'primary clusterIP can not be unset')];
  const errs: FieldError[] = [];
  before.forEach((ip, i) => {
    if (i < next.length && next[i] !== ip) errs.push(invalidIPs(i, 'may not change once set'));
  });
  return errs;
}
