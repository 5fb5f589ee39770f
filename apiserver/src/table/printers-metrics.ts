// metrics.k8s.io tables, shaped like metrics-server's: one column per resource
// in the usage (cpu, memory, sorted), summed over a pod's containers, then the
// sampling window. The columns come from the first object, as metrics-server
// builds them.
import { canonicalQuantity, formatMemory, parseExactQuantity } from '@wharf/api';
import { NAME_COLUMN, col } from './columns.js';
import { asArray, asObj, asString, type Obj } from './format.js';
import type { PrintedRow, TableColumnDefinition } from './types.js';

/** The exact sum of quantities, printed in the canonical form of the first one's format (Quantity.Add). */
export function sumQuantities(values: readonly string[]): string {
  if (values.length === 0) return '0';
  const parsed = values.map((v) => parseExactQuantity(v));
  const exponent = Math.min(...parsed.map((q) => q.exponent));
  let mantissa = 0n;
  for (const q of parsed) mantissa += q.mantissa * 10n ** BigInt(q.exponent - exponent);
  if (parsed[0]!.format === 'BinarySI' && exponent >= 0) return formatMemory(Number(mantissa * 10n ** BigInt(exponent)));
  if (exponent >= -9) return canonicalQuantity(`${mantissa * 10n ** BigInt(exponent + 9)}n`);
  return canonicalQuantity(`${mantissa}e${exponent}`);
}

function usageOf(obj: Obj): Map<string, string> {
  const containers = asArray(obj.containers);
  const sums = new Map<string, string[]>();
  const add = (usage: unknown) => {
    for (const [k, v] of Object.entries(asObj(usage))) sums.set(k, [...(sums.get(k) ?? []), String(v)]);
  };
  if (containers.length > 0) for (const c of containers) add(c.usage);
  else add(obj.usage);
  return new Map([...sums].map(([k, vs]) => [k, sumQuantities(vs)]));
}

/** Columns for a metrics list: NAME, one per usage resource of the first object, WINDOW. */
export function metricsColumns(objects: readonly Obj[]): TableColumnDefinition[] {
  const first = objects[0];
  if (!first) return [];
  const names = [...usageOf(first).keys()].sort();
  return [
    { ...NAME_COLUMN, description: 'Name of the resource' },
    ...names.map((n) => col(n, 'string', '', 0, 'quantity')),
    col('Window', 'string', '', 0, 'duration'),
  ];
}

export function metricsRow(obj: Obj, columns: readonly TableColumnDefinition[]): PrintedRow {
  const usage = usageOf(obj);
  const resources = columns.slice(1, -1).map((c) => usage.get(c.name) ?? '0');
  return { cells: [asString(asObj(obj.metadata).name), ...resources, asString(obj.window)] };
}
