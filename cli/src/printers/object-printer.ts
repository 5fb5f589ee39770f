// -o yaml|json|name|jsonpath=…: kubectl marshals unstructured maps, so keys come
// out sorted; JSON is indented by four spaces; lists are wrapped as `kind: List`.
import { stringify } from 'yaml';
import type { KubeObject } from '@wharf/api';
import { CliError } from '../verbs/cli-error.js';
import { executeJsonPath } from './jsonpath.js';
import { infoForObject, qualifiedName } from '../verbs/resource-args.js';

export type OutputFormat = { kind: 'table'; wide: boolean } | { kind: 'yaml' } | { kind: 'json' } | { kind: 'name' } | { kind: 'jsonpath'; template: string } | { kind: 'custom-columns'; spec: string };

export function parseOutputFormat(value: string | undefined): OutputFormat {
  if (!value) return { kind: 'table', wide: false };
  if (value === 'wide') return { kind: 'table', wide: true };
  if (value === 'yaml' || value === 'json' || value === 'name') return { kind: value };
  const eq = value.indexOf('=');
  const name = eq < 0 ? value : value.slice(0, eq);
  const arg = eq < 0 ? '' : value.slice(eq + 1);
  if (name === 'jsonpath' || name === 'jsonpath-as-json') {
    if (!arg) throw new CliError('template format specified but no template given');
    return { kind: 'jsonpath', template: arg.replace(/^'(.*)'$/s, '$1') };
  }
  if (name === 'custom-columns') return { kind: 'custom-columns', spec: arg };
  throw new CliError(`unable to match a printer suitable for the output format "${value}", allowed formats are: custom-columns,json,jsonpath,name,wide,yaml`);
}

export function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = sortKeys((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

export function toYaml(v: unknown): string {
  return stringify(sortKeys(v), { version: '1.1', indentSeq: false, lineWidth: 0, aliasDuplicateObjects: false });
}

export function toJson(v: unknown): string {
  return `${JSON.stringify(sortKeys(v), null, 4)}\n`;
}

export function asList(items: KubeObject[]): Record<string, unknown> {
  return { apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } };
}

export function nameOf(obj: KubeObject): string {
  return qualifiedName(infoForObject(obj), obj.metadata.name ?? '');
}

/** Prints objects under a non-table format; `single` prints the object itself, not a List. */
export function printObjects(objects: KubeObject[], format: OutputFormat, single: boolean, showManagedFields = false): string {
  if (!showManagedFields) objects = objects.map(hideManagedFields);
  const data = single && objects.length === 1 ? objects[0] : asList(objects);
  switch (format.kind) {
    case 'yaml':
      return toYaml(data);
    case 'json':
      return toJson(data);
    case 'name':
      return objects.map((o) => `${nameOf(o)}\n`).join('');
    case 'jsonpath':
      return executeJsonPath(format.template, data);
    case 'custom-columns':
      return customColumns(objects, format.spec);
    default:
      throw new CliError('table output needs a server-side Table');
  }
}

function customColumns(objects: KubeObject[], spec: string): string {
  const cols = spec.split(',').map((c) => {
    const [h, p] = c.split(':');
    if (!h || !p) throw new CliError(`unexpected custom-columns spec: ${c}, expected <header>:<json-path-expr>`);
    return { header: h, path: p.startsWith('{') ? p : `{${p.startsWith('.') ? p : `.${p}`}}` };
  });
  const rows = [cols.map((c) => c.header), ...objects.map((o) => cols.map((c) => executeJsonPath(c.path, o) || '<none>'))];
  const w: number[] = [];
  for (const r of rows) r.forEach((c, i) => (w[i] = Math.max(w[i] ?? 0, c.length)));
  return rows.map((r) => `${r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(w[i]! + 3))).join('')}\n`).join('');
}

/** kubectl hides managedFields unless --show-managed-fields. */
export function hideManagedFields(o: KubeObject): KubeObject {
  if (!o.metadata?.managedFields) return o;
  const { managedFields: _drop, ...metadata } = o.metadata;
  return { ...o, metadata };
}
