// Prints server-side Tables the way kubectl's table printer does: upper-case
// headers, columns padded to the widest cell plus three spaces, wide columns
// only with -o wide, optional NAMESPACE and LABELS columns and kind prefixes.
import type { KubeObject } from '@wharf/api';
import type { Table, TableColumn } from '../verbs/context.js';

export interface TableOptions {
  wide?: boolean;
  /** Prefix names with `kind.group/` (several types or `get all`). */
  kindPrefix?: string | undefined;
  withNamespace?: boolean;
  showLabels?: boolean;
  /** -L: one extra column per label key. */
  labelColumns?: string[];
  noHeaders?: boolean;
}

export function formatCell(value: unknown): string {
  if (value === null || value === undefined) return '<none>';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

export function formatLabels(labels: Record<string, string> | undefined): string {
  const keys = Object.keys(labels ?? {}).sort();
  if (keys.length === 0) return '<none>';
  return keys.map((k) => `${k}=${labels![k]}`).join(',');
}

/** The header and cell strings of a Table under the given options, not yet aligned. */
export function tableCells(table: Table, opts: TableOptions): { header: string[]; rows: string[][] } {
  const cols: Array<{ col: TableColumn; index: number }> = [];
  table.columnDefinitions.forEach((col, index) => {
    if (opts.wide || !col.priority) cols.push({ col, index });
  });
  const header: string[] = [];
  if (opts.withNamespace) header.push('NAMESPACE');
  header.push(...cols.map(({ col }) => col.name.toUpperCase()));
  for (const l of opts.labelColumns ?? []) header.push(l.toUpperCase());
  if (opts.showLabels) header.push('LABELS');
  const rows = table.rows.map((row) => {
    const meta = (row.object as KubeObject | undefined)?.metadata;
    const cells: string[] = [];
    if (opts.withNamespace) cells.push(meta?.namespace ?? '');
    for (const { col, index } of cols) {
      let text = formatCell(row.cells[index]);
      if (opts.kindPrefix && col.format === 'name') text = `${opts.kindPrefix}/${text}`;
      cells.push(text);
    }
    for (const l of opts.labelColumns ?? []) cells.push(meta?.labels?.[l] ?? '');
    if (opts.showLabels) cells.push(formatLabels(meta?.labels));
    return cells;
  });
  return { header, rows };
}

/** Aligns rows into columns: every column but the last padded to its widest cell + 3. */
export function alignRows(rows: string[][], widths?: number[]): string {
  const w = widths ?? columnWidths(rows);
  return rows.map((r) => padRow(r, w)).join('');
}

export function columnWidths(rows: string[][]): number[] {
  const w: number[] = [];
  for (const r of rows) r.forEach((c, i) => (w[i] = Math.max(w[i] ?? 0, c.length)));
  return w;
}

export function padRow(row: string[], widths: number[]): string {
  return `${row.map((c, i) => (i === row.length - 1 ? c : c.padEnd((widths[i] ?? c.length) + 3))).join('')}\n`;
}

export function printTable(table: Table, opts: TableOptions): string {
  const { header, rows } = tableCells(table, opts);
  return alignRows(opts.noHeaders ? rows : [header, ...rows]);
}
