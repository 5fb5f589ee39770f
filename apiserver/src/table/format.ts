// Cell formatting shared by several printers, mirroring the helpers of
// Kubernetes' printers (labels.FormatLabels, metav1.FormatLabelSelector, …).
import type { LabelSelector } from '@wharf/api';

export type Obj = Record<string, unknown>;

export function asObj(value: unknown): Obj {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Obj) : {};
}

export function asArray(value: unknown): Obj[] {
  return Array.isArray(value) ? (value.filter((v) => v !== null && typeof v === 'object') as Obj[]) : [];
}

export function asString(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

export function asNumber(value: unknown, fallback = 0): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

/** `k=v,k2=v2` sorted by key; `<none>` when empty (labels.FormatLabels). */
export function formatLabels(labels: unknown): string {
  const entries = Object.entries(asObj(labels)).map(([k, v]) => `${k}=${String(v)}`);
  entries.sort();
  return entries.length === 0 ? '<none>' : entries.join(',');
}

/** The selector in label-query syntax, requirements sorted by key (labels.Selector.String()). */
export function selectorString(selector: LabelSelector | undefined): string {
  if (!selector) return '';
  const reqs: Array<{ key: string; text: string }> = [];
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) reqs.push({ key, text: `${key}=${value}` });
  for (const expr of selector.matchExpressions ?? []) {
    const values = [...(expr.values ?? [])].sort().join(',');
    switch (expr.operator) {
      case 'In':
        reqs.push({ key: expr.key, text: `${expr.key} in (${values})` });
        break;
      case 'NotIn':
        reqs.push({ key: expr.key, text: `${expr.key} notin (${values})` });
        break;
      case 'Exists':
        reqs.push({ key: expr.key, text: expr.key });
        break;
      case 'DoesNotExist':
        reqs.push({ key: expr.key, text: `!${expr.key}` });
        break;
      default:
        return '<error>';
    }
  }
  reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return reqs.map((r) => r.text).join(',');
}

/** metav1.FormatLabelSelector: like selectorString, `<none>` when it selects nothing or everything. */
export function formatLabelSelector(selector: LabelSelector | undefined): string {
  const s = selectorString(selector);
  return s === '' ? '<none>' : s;
}

/** Container names and images, comma-joined, for the wide CONTAINERS and IMAGES columns. */
export function layoutContainerCells(containers: unknown): [names: string, images: string] {
  const list = asArray(containers);
  return [list.map((c) => asString(c.name)).join(','), list.map((c) => asString(c.image)).join(',')];
}

/** At most `max` entries, then `+ N more...` (listWithMoreString). */
export function listWithMore(list: string[], total: number, max: number, empty: string): string {
  const ret = list.slice(0, max).join(',');
  if (total > max) return `${ret} + ${total - max} more...`;
  return ret === '' ? empty : ret;
}

/** net.JoinHostPort: IPv6 addresses are bracketed. */
export function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
