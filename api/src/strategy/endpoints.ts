// core/v1 Endpoints and discovery.k8s.io/v1 EndpointSlice: defaults (port
// protocol TCP) and validation of addresses and ports.
import type { FieldError } from '../errors.js';
import type { KubeObject } from '../meta.js';
import { isDns1123Label, isDns1123Subdomain } from '../selectors/label-syntax.js';
import { PROTOCOLS, isValidPortNum } from './container-validation.js';
import {
  arr,
  each,
  fieldDuplicate,
  fieldInvalid,
  fieldNotSupported,
  fieldRequired,
  immutable,
  inRangeMessage,
  obj,
  setDefault,
  str,
} from './field-errors.js';
import { isIP } from './service.js';

export function defaultEndpoints(o: KubeObject): void {
  for (const s of arr(o.subsets)) for (const p of arr(obj(s)?.ports)) {
    const port = obj(p);
    if (port) setDefault(port, 'protocol', 'TCP');
  }
}

function validatePort(p: unknown, path: string, requireName: boolean, names: Set<string>): FieldError[] {
  const port = obj(p) ?? {};
  const errs: FieldError[] = [];
  const name = str(port.name) ?? '';
  if (requireName && name === '') errs.push(fieldRequired(`${path}.name`));
  if (name !== '') {
    errs.push(...each(`${path}.name`, name, isDns1123Label(name)));
    if (names.has(name)) errs.push(fieldDuplicate(`${path}.name`, name));
    names.add(name);
  }
  if (!isValidPortNum(port.port)) errs.push(fieldInvalid(`${path}.port`, port.port ?? 0, inRangeMessage(1, 65535)));
  if (port.protocol === undefined || port.protocol === '') errs.push(fieldRequired(`${path}.protocol`));
  else if (!(PROTOCOLS as readonly unknown[]).includes(port.protocol)) errs.push(fieldNotSupported(`${path}.protocol`, port.protocol, PROTOCOLS));
  return errs;
}

export function validateEndpoints(o: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  arr(o.subsets).forEach((s, i) => {
    const subset = obj(s) ?? {};
    const path = `subsets[${i}]`;
    const ready = arr(subset.addresses);
    const notReady = arr(subset.notReadyAddresses);
    if (ready.length === 0 && notReady.length === 0) errs.push(fieldRequired(path, 'must specify `addresses` or `notReadyAddresses`'));
    for (const [list, addrs] of [
      ['addresses', ready],
      ['notReadyAddresses', notReady],
    ] as const) {
      addrs.forEach((a, j) => {
        const addr = obj(a) ?? {};
        const p = `${path}.${list}[${j}]`;
        const ip = addr.ip;
        if (typeof ip !== 'string' || !isIP(ip)) errs.push(fieldInvalid(`${p}.ip`, ip ?? '', 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'));
        const hostname = str(addr.hostname);
        if (hostname) errs.push(...each(`${p}.hostname`, hostname, isDns1123Label(hostname)));
        const nodeName = str(addr.nodeName);
        if (nodeName) errs.push(...each(`${p}.nodeName`, nodeName, isDns1123Subdomain(nodeName)));
      });
    }
    const ports = arr(subset.ports);
    const names = new Set<string>();
    ports.forEach((p, j) => errs.push(...validatePort(p, `${path}.ports[${j}]`, ports.length > 1, names)));
  });
  return errs;
}

export function defaultEndpointSlice(o: KubeObject): void {
  for (const p of arr(o.ports)) {
    const port = obj(p);
    if (!port) continue;
    setDefault(port, 'protocol', 'TCP');
    if (port.name === undefined) port.name = '';
  }
}

const ADDRESS_TYPES = ['FQDN', 'IPv4', 'IPv6'];

export function validateEndpointSlice(o: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const type = o.addressType;
  if (!type) errs.push(fieldRequired('addressType'));
  else if (!ADDRESS_TYPES.includes(type as string)) errs.push(fieldNotSupported('addressType', type, ADDRESS_TYPES));
  const endpoints = arr(o.endpoints);
  if (endpoints.length > 1000) errs.push({ type: 'FieldValueInvalid', field: 'endpoints', message: `Too many: ${endpoints.length}: must have at most 1000 items` });
  endpoints.forEach((e, i) => {
    const ep = obj(e) ?? {};
    const path = `endpoints[${i}]`;
    const addrs = arr(ep.addresses);
    if (addrs.length === 0) errs.push(fieldRequired(`${path}.addresses`, 'must contain at least 1 address'));
    else if (addrs.length > 100) errs.push({ type: 'FieldValueInvalid', field: `${path}.addresses`, message: `Too many: ${addrs.length}: must have at most 100 items` });
    addrs.forEach((a, j) => {
      const p = `${path}.addresses[${j}]`;
      if (typeof a !== 'string') errs.push(fieldInvalid(p, a, 'must be a string'));
      else if (type === 'IPv4' && (!isIP(a) || a.includes(':'))) errs.push(fieldInvalid(p, a, 'must be a valid IPv4 address'));
      else if (type === 'IPv6' && (!isIP(a) || !a.includes(':'))) errs.push(fieldInvalid(p, a, 'must be a valid IPv6 address'));
      else if (type === 'FQDN') errs.push(...each(p, a, isDns1123Subdomain(a)));
    });
    const hostname = str(ep.hostname);
    if (hostname) errs.push(...each(`${path}.hostname`, hostname, isDns1123Label(hostname)));
    const nodeName = str(ep.nodeName);
    if (nodeName) errs.push(...each(`${path}.nodeName`, nodeName, isDns1123Subdomain(nodeName)));
  });
  const ports = arr(o.ports);
  const names = new Set<string>();
  ports.forEach((p, i) => {
    const port = obj(p) ?? {};
    const path = `ports[${i}]`;
    const name = str(port.name) ?? '';
    if (name !== '') errs.push(...each(`${path}.name`, name, isDns1123Label(name)));
    if (names.has(name)) errs.push(fieldDuplicate(`${path}.name`, name));
    names.add(name);
    if (port.port !== undefined && port.port !== null && !isValidPortNum(port.port)) errs.push(fieldInvalid(`${path}.port`, port.port, inRangeMessage(1, 65535)));
    if (!port.protocol) errs.push(fieldRequired(`${path}.protocol`));
    else if (!(PROTOCOLS as readonly unknown[]).includes(port.protocol)) errs.push(fieldNotSupported(`${path}.protocol`, port.protocol, PROTOCOLS));
  });
  return errs;
}

export function validateEndpointSliceUpdate(o: KubeObject, old: KubeObject): FieldError[] {
  return immutable('addressType', o.addressType, old.addressType);
}
