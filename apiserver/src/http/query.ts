// Query parameters shared by the verbs, parsed once with clear errors.
import { BadRequestError, parseFieldSelector, parseLabelSelector, strategyFor, type ResourceInfo } from '@wharf/api';
import type { FieldValidation, WriteOptions } from '../registry/context.js';
import type { ListQuery } from '../registry/lister.js';

function intParam(query: URLSearchParams, name: string): number | undefined {
  const v = query.get(name);
  if (v === null || v === '') return undefined;
  if (!/^-?\d+$/.test(v)) throw new BadRequestError(`invalid value for ${name}: "${v}" is not an integer`);
  return Number(v);
}

const selectableCache = new Map<string, string[]>();

/** Field names a kind can be selected by (the keys its strategy reports). */
function selectableFieldNames(info: ResourceInfo): string[] {
  const key = `${info.group}/${info.kind}`;
  let names = selectableCache.get(key);
  if (!names) {
    names = Object.keys(strategyFor(info.group, info.kind).selectableFields({ metadata: { name: '', namespace: '' }, spec: {}, status: {}, involvedObject: {} }));
    selectableCache.set(key, names);
  }
  return names;
}

export function listQuery(info: ResourceInfo, namespace: string | undefined, query: URLSearchParams, name?: string): ListQuery {
  const labelSel = query.get('labelSelector');
  let fieldSel = query.get('fieldSelector') ?? '';
  // A watch on one object is a watch on its collection filtered by name.
  if (name !== undefined) fieldSel = fieldSel ? `${fieldSel},metadata.name=${name}` : `metadata.name=${name}`;
  return {
    namespace: info.namespaced ? namespace : undefined,
    labels: labelSel ? parseLabelSelector(labelSel) : undefined,
    fields: fieldSel ? parseFieldSelector(fieldSel, selectableFieldNames(info)) : undefined,
    limit: intParam(query, 'limit'),
    continueToken: query.get('continue') || undefined,
    resourceVersion: query.get('resourceVersion') ?? undefined,
    resourceVersionMatch: query.get('resourceVersionMatch') ?? undefined,
  };
}

export function timeoutSeconds(query: URLSearchParams): number | undefined {
  return intParam(query, 'timeoutSeconds');
}

export function gracePeriodParam(query: URLSearchParams): number | undefined {
  return intParam(query, 'gracePeriodSeconds');
}

/** Kubernetes names the field manager after the client binary when none is given. */
function defaultFieldManager(userAgent: string | undefined): string {
  const ua = userAgent ?? '';
  const first = ua.split('/')[0]?.trim() ?? '';
  return first.slice(0, 128) || 'unknown';
}

export function writeOptions(query: URLSearchParams, userAgent: string | undefined, patchType?: string): WriteOptions {
  const dryRun = query.getAll('dryRun');
  if (dryRun.some((d) => d !== 'All')) throw new BadRequestError(`Invalid value: ${JSON.stringify(dryRun)}: supported values: "All"`);
  const fv = query.get('fieldValidation') ?? 'Warn';
  if (fv !== 'Strict' && fv !== 'Warn' && fv !== 'Ignore') {
    throw new BadRequestError(`fieldValidation must be one of "Ignore", "Warn", or "Strict", got "${fv}"`);
  }
  const manager = query.get('fieldManager');
  if (patchType === 'apply' && !manager) throw new BadRequestError('PATCH, application/apply-patch+yaml requires fieldManager to be set');
  if (manager !== null && manager.length > 128) throw new BadRequestError('fieldManager: Too long: must have at most 128 bytes');
  const force = query.get('force');
  if (force !== null && patchType !== 'apply') throw new BadRequestError('force: Invalid value: force is only allowed for apply patches');
  return {
    dryRun: dryRun.length > 0,
    fieldManager: manager ?? defaultFieldManager(userAgent),
    fieldValidation: fv as FieldValidation,
    warnings: [],
    force: force === 'true',
  };
}
