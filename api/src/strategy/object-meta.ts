// ObjectMeta validation shared by every kind (apimachinery's ValidateObjectMeta
// plus core's finalizer rule), and the immutable-metadata rules for updates.
import type { FieldError } from '../errors.js';
import type { KubeObject } from '../meta.js';
import { isDns1035Label, isDns1123Label, isDns1123Subdomain, isLabelValue, isQualifiedName } from '../selectors/label-syntax.js';
import { arr, each, fieldForbidden, fieldInvalid, fieldRequired, fieldTooLong, immutable, isObj, nonNegative, obj, str } from './field-errors.js';

/** Which syntax a kind's names follow. */
export type NameRule = 'subdomain' | 'label' | 'dns1035' | 'path-segment';

/** A name validator: problems with `name`; with `prefix`, validates a generateName (trailing '-' allowed). */
export function nameProblems(rule: NameRule, name: string, prefix = false): string[] {
  // A generateName gets a random suffix appended, so its trailing '-' is
  // masked first (apimachinery's maskTrailingDash, quirks included).
  const n = prefix && name.length > 1 && name.endsWith('-') ? `${name.slice(0, -2)}a` : name;
  switch (rule) {
    case 'subdomain':
      return isDns1123Subdomain(n);
    case 'label':
      return isDns1123Label(n);
    case 'dns1035':
      return isDns1035Label(n);
    case 'path-segment':
      return pathSegmentProblems(name, prefix);
  }
}

/** path.ValidatePathSegmentName: names that can appear in a URL path (Event, Lease names are looser in Kubernetes, but these stay safe). */
export function pathSegmentProblems(name: string, prefix = false): string[] {
  if (!prefix && (name === '.' || name === '..')) return [`may not be '${name}'`];
  const errs: string[] = [];
  for (const bad of ['/', '%']) if (name.includes(bad)) errs.push(`may not contain '${bad}'`);
  return errs;
}

export function validateLabels(labels: unknown, field: string): FieldError[] {
  if (labels === undefined || labels === null) return [];
  if (!isObj(labels)) return [fieldInvalid(field, labels, 'must be a map of string keys to string values')];
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels)) {
    errs.push(...each(field, k, isQualifiedName(k)));
    if (typeof v !== 'string') errs.push(fieldInvalid(field, v, 'label values must be strings'));
    else errs.push(...each(field, v, isLabelValue(v)));
  }
  return errs;
}

const TOTAL_ANNOTATION_SIZE = 256 * 1024;

export function validateAnnotations(annotations: unknown, field: string): FieldError[] {
  if (annotations === undefined || annotations === null) return [];
  if (!isObj(annotations)) return [fieldInvalid(field, annotations, 'must be a map of string keys to string values')];
  const errs: FieldError[] = [];
  let size = 0;
  for (const [k, v] of Object.entries(annotations)) {
    errs.push(...each(field, k, isQualifiedName(k.toLowerCase())));
    if (typeof v !== 'string') errs.push(fieldInvalid(`${field}[${k}]`, v, 'annotation values must be strings'));
    size += Buffer.byteLength(k) + (typeof v === 'string' ? Buffer.byteLength(v) : 0);
  }
  if (size > TOTAL_ANNOTATION_SIZE) errs.push(fieldTooLong(field, TOTAL_ANNOTATION_SIZE));
  return errs;
}

const STANDARD_FINALIZERS = new Set(['kubernetes', 'orphan', 'foregroundDeletion']);

function validateFinalizers(finalizers: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const list = arr(finalizers);
  list.forEach((f, i) => {
    const p = `${field}[${i}]`;
    if (typeof f !== 'string') {
      errs.push(fieldInvalid(p, f, 'must be a string'));
      return;
    }
    const problems = isQualifiedName(f);
    if (problems.length > 0) errs.push(...each(field, f, problems));
    else if (!f.includes('/') && !STANDARD_FINALIZERS.has(f)) {
      errs.push(fieldInvalid(p, f, 'name is neither a standard finalizer name nor is it fully qualified'));
    }
  });
  if (list.includes('orphan') && list.includes('foregroundDeletion')) {
    errs.push(fieldInvalid(field, list, 'finalizer orphan and foregroundDeletion cannot be both set'));
  }
  return errs;
}

function validateOwnerReferences(refs: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const controllers: string[] = [];
  for (const r of arr(refs)) {
    const ref = obj(r) ?? {};
    // Kubernetes reports these at the list path, without the index.
    const apiVersion = str(ref.apiVersion) ?? '';
    if (apiVersion === '' || apiVersion.split('/').length > 2 || apiVersion.endsWith('/')) {
      errs.push(fieldInvalid(`${field}.apiVersion`, apiVersion, apiVersion === '' ? 'version must not be empty' : 'unable to parse the apiVersion'));
    }
    if (!str(ref.kind)) errs.push(fieldInvalid(`${field}.kind`, str(ref.kind) ?? '', 'kind must not be empty'));
    if (!str(ref.name)) errs.push(fieldInvalid(`${field}.name`, str(ref.name) ?? '', 'name must not be empty'));
    if (!str(ref.uid)) errs.push(fieldInvalid(`${field}.uid`, str(ref.uid) ?? '', 'uid must not be empty'));
    if (ref.controller === true) controllers.push(`${str(ref.kind) ?? ''}/${str(ref.name) ?? ''}`);
  }
  if (controllers.length > 1) {
    errs.push(
      fieldInvalid(field, refs, `Only one reference can have Controller set to true. Found "true" in references for ${controllers.join(' and ')}`),
    );
  }
  return errs;
}

export interface MetaRules {
  namespaced: boolean;
  nameRule: NameRule;
}

/** ValidateObjectMeta for a create. */
export function validateObjectMeta(o: KubeObject, rules: MetaRules): FieldError[] {
  const errs: FieldError[] = [];
  const meta = obj(o.metadata);
  if (!meta) return [fieldRequired('metadata')];
  const name = meta.name;
  const generateName = meta.generateName;
  if (typeof generateName === 'string' && generateName !== '') {
    errs.push(...each('metadata.generateName', generateName, nameProblems(rules.nameRule, generateName, true)));
  }
  if (name === undefined || name === null || name === '') {
    errs.push(fieldRequired('metadata.name', 'name or generateName is required'));
  } else if (typeof name !== 'string') {
    errs.push(fieldInvalid('metadata.name', name, 'must be a string'));
  } else {
    errs.push(...each('metadata.name', name, nameProblems(rules.nameRule, name)));
  }
  const ns = meta.namespace;
  if (rules.namespaced) {
    if (ns === undefined || ns === null || ns === '') errs.push(fieldRequired('metadata.namespace'));
    else if (typeof ns !== 'string') errs.push(fieldInvalid('metadata.namespace', ns, 'must be a string'));
    else errs.push(...each('metadata.namespace', ns, isDns1123Label(ns)));
  } else if (typeof ns === 'string' && ns !== '') {
    errs.push(fieldForbidden('metadata.namespace', 'not allowed on this type'));
  }
  errs.push(...nonNegative('metadata.generation', meta.generation));
  errs.push(...validateLabels(meta.labels, 'metadata.labels'));
  errs.push(...validateAnnotations(meta.annotations, 'metadata.annotations'));
  errs.push(...validateOwnerReferences(meta.ownerReferences, 'metadata.ownerReferences'));
  errs.push(...validateFinalizers(meta.finalizers, 'metadata.finalizers'));
  return errs;
}

/** ValidateObjectMetaUpdate: the create rules plus identity that may never change. */
export function validateObjectMetaUpdate(o: KubeObject, old: KubeObject, rules: MetaRules): FieldError[] {
  const errs = validateObjectMeta(o, rules);
  const m = obj(o.metadata) ?? {};
  const p = obj(old.metadata) ?? {};
  errs.push(...immutable('metadata.name', m.name, p.name));
  errs.push(...immutable('metadata.namespace', m.namespace ?? '', p.namespace ?? ''));
  if (m.uid !== undefined && m.uid !== '') errs.push(...immutable('metadata.uid', m.uid, p.uid));
  if (m.creationTimestamp !== undefined && m.creationTimestamp !== null) {
    errs.push(...immutable('metadata.creationTimestamp', m.creationTimestamp, p.creationTimestamp));
  }
  // A finalizer-driven delete is one-way: once marked, the mark stays.
  if (p.deletionTimestamp && m.deletionTimestamp !== undefined && m.deletionTimestamp !== p.deletionTimestamp) {
    errs.push(fieldInvalid('metadata.deletionTimestamp', m.deletionTimestamp ?? null, 'field is immutable; may only be changed via deletion'));
  }
  return errs;
}
