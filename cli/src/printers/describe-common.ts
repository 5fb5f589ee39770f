// Sections every describer shares: metadata header, conditions, events.
import type { KubeObject } from '@wharf/api';
import { age } from './age.js';
import type { DescribeWriter } from './tab-writer.js';

// Describe output reaches deep into kind-specific JSON; `any` keeps it readable.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type J = Record<string, any>;

const HIDDEN_ANNOTATIONS = new Set(['kubectl.kubernetes.io/last-applied-configuration']);

export function header(w: DescribeWriter, obj: KubeObject, opts: { namespace?: boolean; labels?: boolean } = {}): void {
  w.line(0, 'Name:', obj.metadata.name);
  if (opts.namespace !== false && obj.metadata.namespace !== undefined) w.line(0, 'Namespace:', obj.metadata.namespace);
  if (opts.labels !== false) w.map(0, 'Labels:', obj.metadata.labels);
  w.map(0, 'Annotations:', obj.metadata.annotations, (k) => HIDDEN_ANNOTATIONS.has(k), ': ');
}

export function controlledBy(obj: KubeObject): string | undefined {
  const ref = obj.metadata.ownerReferences?.find((r) => r.controller);
  return ref ? `${ref.kind}/${ref.name}` : undefined;
}

/**
 * A Conditions table. kubectl formats it differently per kind (trailing spaces
 * inside cells, with or without a dashed rule), so the caller gives the header
 * cells, whether to rule, and how to render each row.
 */
export function conditions(w: DescribeWriter, conds: J[] | undefined, headers: string[], row: (c: J) => string, opts: { rule?: boolean; headerInline?: boolean } = {}): void {
  if (!conds?.length) return;
  w.line(0, 'Conditions:');
  w.raw(1, headers.join('\t'));
  if (opts.rule !== false) w.raw(1, headers.map((h) => '-'.repeat(h.length)).join('\t'));
  for (const c of conds) w.raw(1, row(c));
}

export function events(w: DescribeWriter, list: J[] | undefined): void {
  if (!list) return;
  if (list.length === 0) {
    w.line(0, 'Events:', '<none>');
    return;
  }
  const sorted = [...list].sort((a, b) => Date.parse(eventTime(a)) - Date.parse(eventTime(b)));
  w.line(0, 'Events:');
  w.raw(1, 'Type\tReason\tAge\tFrom\tMessage');
  w.raw(1, '----\t------\t----\t----\t-------');
  for (const e of sorted) {
    const last = eventTime(e);
    const first = e['firstTimestamp'] ?? e['eventTime'] ?? last;
    const count = Number(e['series']?.count ?? e['count'] ?? 1);
    const interval = count > 1 ? `${age(last)} (x${count} over ${age(first)})` : age(last);
    const from = e['source']?.component ?? e['reportingComponent'] ?? '';
    w.raw(1, `${e['type'] ?? ''}\t${e['reason'] ?? ''}\t${interval}\t${from}\t${String(e['message'] ?? '').trim()}`);
  }
}

function eventTime(e: J): string {
  return e['series']?.lastObservedTime ?? e['lastTimestamp'] ?? e['eventTime'] ?? e['metadata']?.creationTimestamp ?? '';
}

export function selectorString(sel: J | undefined): string {
  if (!sel) return '<none>';
  const parts = Object.entries(sel['matchLabels'] ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of sel['matchExpressions'] ?? []) {
    const vals = (e.values ?? []).join(',');
    if (e.operator === 'In') parts.push(`${e.key} in (${vals})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${vals})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else parts.push(`!${e.key}`);
  }
  return parts.length ? parts.join(',') : '<none>';
}

export function mapString(m: Record<string, string> | undefined): string {
  const keys = Object.keys(m ?? {}).sort();
  return keys.length ? keys.map((k) => `${k}=${m![k]}`).join(',') : '<none>';
}
