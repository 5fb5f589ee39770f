// metadata.managedFields: which field manager owns which fields. Entries are
// identified by manager, operation and subresource — plus apiVersion for
// Update entries — exactly as the apiserver keys them.
import type { ManagedFieldsEntry } from '../meta.js';
import { FieldSet } from './field-set.js';

export interface ManagerEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time?: string;
  subresource?: string;
  set: FieldSet;
}

export function decodeManagedFields(entries: readonly ManagedFieldsEntry[] | undefined): ManagerEntry[] {
  return (entries ?? []).map((e) => {
    const m: ManagerEntry = {
      manager: e.manager ?? '',
      operation: e.operation ?? 'Update',
      apiVersion: e.apiVersion ?? '',
      set: FieldSet.fromFieldsV1(e.fieldsV1),
    };
    if (e.time !== undefined) m.time = e.time;
    if (e.subresource) m.subresource = e.subresource;
    return m;
  });
}

/** Entries with empty sets are dropped; the order is the apiserver's (Apply first, then by time). */
export function encodeManagedFields(entries: readonly ManagerEntry[]): ManagedFieldsEntry[] {
  return sortEntries(entries.filter((e) => !e.set.isEmpty())).map((e) => {
    const out: ManagedFieldsEntry = { manager: e.manager, operation: e.operation, apiVersion: e.apiVersion };
    if (e.time !== undefined) out.time = e.time;
    out.fieldsType = 'FieldsV1';
    out.fieldsV1 = e.set.toFieldsV1();
    if (e.subresource) out.subresource = e.subresource;
    return out;
  });
}

function sortEntries(entries: ManagerEntry[]): ManagerEntry[] {
  const seconds = (t: string | undefined): number => (t ? Math.floor(Date.parse(t) / 1000) || 0 : 0);
  const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  return [...entries].sort(
    (p, q) =>
      cmp(p.operation, q.operation) ||
      seconds(p.time) - seconds(q.time) ||
      cmp(p.manager, q.manager) ||
      cmp(p.apiVersion, q.apiVersion) ||
      cmp(p.subresource ?? '', q.subresource ?? ''),
  );
}

export function sameManager(a: Omit<ManagerEntry, 'set'>, b: Omit<ManagerEntry, 'set'>): boolean {
  return (
    a.manager === b.manager &&
    a.operation === b.operation &&
    (a.subresource ?? '') === (b.subresource ?? '') &&
    (a.operation === 'Apply' || a.apiVersion === b.apiVersion)
  );
}

/** How conflicts name a manager: `"kubectl-client-side-apply" using apps/v1`. */
export function describeManager(e: Omit<ManagerEntry, 'set'>): string {
  let s = JSON.stringify(e.manager);
  if (e.subresource) s += ` with subresource ${JSON.stringify(e.subresource)}`;
  if (e.operation === 'Update') s += ` using ${e.apiVersion}`;
  return s;
}
