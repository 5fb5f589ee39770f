// ConfigMap, Secret and ServiceAccount: key syntax, sizes, Secret type rules,
// stringData folding, and the `immutable: true` lock on updates.
import type { FieldError } from '../errors.js';
import type { KubeObject } from '../meta.js';
import { maxLenError, regexError } from '../selectors/label-syntax.js';
import { arr, deepEqual, each, fieldForbidden, fieldInvalid, fieldRequired, fieldTooLong, immutable, isObj, obj, str, type Json } from './field-errors.js';

export const MAX_CONFIG_SIZE = 1024 * 1024;

/** IsConfigMapKey: keys of ConfigMap and Secret data. */
export function configKeyProblems(key: string): string[] {
  const errs: string[] = [];
  if (key.length > 253) errs.push(maxLenError(253));
  if (!/^[-._a-zA-Z0-9]+$/.test(key)) {
    errs.push(regexError("a valid config key must consist of alphanumeric characters, '-', '_' or '.'", '[-._a-zA-Z0-9]+', 'key.name', 'KEY_NAME', 'key-name'));
  }
  if (key === '.') errs.push("must not be '.'");
  else if (key === '..') errs.push("must not be '..'");
  else if (key.startsWith('..')) errs.push("must not start with '..'");
  return errs;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Go's base64 error text for the first offending byte. */
function base64Problem(raw: string): string | undefined {
  // Go's decoder skips line breaks inside base64 text.
  const v = raw.replace(/[\r\n]/g, '');
  if (BASE64.test(v)) return undefined;
  const bad = v.search(/[^A-Za-z0-9+/=]/);
  const at = bad >= 0 ? bad : Math.max(0, v.length - (v.length % 4 || 4));
  return `illegal base64 data at input byte ${at}`;
}

export function defaultSecret(o: KubeObject): void {
  if (!o.type) o.type = 'Opaque';
  // stringData is write-only: the apiserver folds it into data (it wins on conflicts).
  const stringData = obj(o.stringData);
  if (stringData) {
    const data = isObj(o.data) ? o.data : {};
    for (const [k, v] of Object.entries(stringData)) if (typeof v === 'string') data[k] = Buffer.from(v, 'utf8').toString('base64');
    o.data = data;
    delete o.stringData;
  }
}

function dataBytes(v: unknown, base64: boolean): number {
  if (typeof v !== 'string') return 0;
  return base64 ? Buffer.from(v, 'base64').length : Buffer.byteLength(v);
}

const REQUIRED_KEYS: Record<string, string[]> = {
  'kubernetes.io/tls': ['tls.crt', 'tls.key'],
  'kubernetes.io/dockerconfigjson': ['.dockerconfigjson'],
  'kubernetes.io/dockercfg': ['.dockercfg'],
  'kubernetes.io/ssh-auth': ['ssh-privatekey'],
};

export function validateSecret(o: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const data = obj(o.data) ?? {};
  let size = 0;
  for (const [k, v] of Object.entries(data)) {
    errs.push(...each(`data[${k}]`, k, configKeyProblems(k)));
    if (typeof v !== 'string') errs.push(fieldInvalid(`data[${k}]`, v, 'must be a base64-encoded string'));
    else {
      const problem = base64Problem(v);
      if (problem) errs.push(fieldInvalid(`data[${k}]`, '<secret contents redacted>', problem));
    }
    size += dataBytes(v, true);
  }
  if (size > MAX_CONFIG_SIZE) errs.push(fieldTooLong('data', MAX_CONFIG_SIZE));
  const type = str(o.type) ?? 'Opaque';
  for (const key of REQUIRED_KEYS[type] ?? []) if (data[key] === undefined) errs.push(fieldRequired(`data[${key}]`));
  if (type === 'kubernetes.io/basic-auth' && data.username === undefined && data.password === undefined) {
    errs.push(fieldRequired('data[username]'), fieldRequired('data[password]'));
  }
  if (type === 'kubernetes.io/dockerconfigjson' && typeof data['.dockerconfigjson'] === 'string') {
    try {
      JSON.parse(Buffer.from(data['.dockerconfigjson'], 'base64').toString('utf8'));
    } catch (e) {
      errs.push(fieldInvalid('data[.dockerconfigjson]', '<secret contents redacted>', (e as Error).message));
    }
  }
  if (type === 'kubernetes.io/service-account-token' && !str(obj(o.metadata.annotations)?.['kubernetes.io/service-account.name'])) {
    errs.push(fieldRequired('metadata.annotations[kubernetes.io/service-account.name]'));
  }
  if (type.length > 253 || (type !== '' && !/^[-._a-zA-Z0-9/]+$/.test(type))) {
    errs.push(fieldInvalid('type', type, 'must be a valid secret type'));
  }
  return errs;
}

function immutableLock(o: KubeObject, old: KubeObject, fields: string[]): FieldError[] {
  if (old.immutable !== true) return [];
  const errs: FieldError[] = [];
  if (o.immutable !== true) errs.push(fieldForbidden('immutable', 'field is immutable when `immutable` is set'));
  for (const f of fields) if (!deepEqual(o[f] ?? {}, old[f] ?? {})) errs.push(fieldForbidden(f, 'field is immutable when `immutable` is set'));
  return errs;
}

export function validateSecretUpdate(o: KubeObject, old: KubeObject): FieldError[] {
  return [...immutable('type', o.type ?? 'Opaque', old.type ?? 'Opaque'), ...immutableLock(o, old, ['data'])];
}

export function validateConfigMap(o: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const data = obj(o.data) ?? {};
  const binary = obj(o.binaryData) ?? {};
  let size = 0;
  for (const [k, v] of Object.entries(data)) {
    errs.push(...each(`data[${k}]`, k, configKeyProblems(k)));
    if (typeof v !== 'string') errs.push(fieldInvalid(`data[${k}]`, v ?? null, 'must be a string'));
    size += dataBytes(v, false);
  }
  for (const [k, v] of Object.entries(binary)) {
    errs.push(...each(`binaryData[${k}]`, k, configKeyProblems(k)));
    if (k in data) errs.push(fieldInvalid('binaryData', k, 'duplicate of key present in data'));
    if (typeof v !== 'string' || base64Problem(v)) errs.push(fieldInvalid(`binaryData[${k}]`, '<binary contents redacted>', base64Problem(String(v)) ?? 'must be base64'));
    size += dataBytes(v, true);
  }
  if (size > MAX_CONFIG_SIZE) errs.push(fieldTooLong('', MAX_CONFIG_SIZE));
  return errs;
}

export function validateConfigMapUpdate(o: KubeObject, old: KubeObject): FieldError[] {
  return immutableLock(o, old, ['data', 'binaryData']);
}

export function validateServiceAccount(o: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  for (const list of ['secrets', 'imagePullSecrets']) {
    arr(o[list]).forEach((s, i) => {
      if (!str((obj(s) as Json | undefined)?.name)) errs.push(fieldRequired(`${list}[${i}].name`));
    });
  }
  return errs;
}
