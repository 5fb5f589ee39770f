// A JSONPath subset with kubectl's template syntax: `{.a.b}`, `[n]`, `[*]`,
// `['key']`, `..name`, filters `[?(@.type=="Ready")]`, `{range …}{end}`, and
// quoted literals `{"\n"}`. Several results of one expression are joined by a space.
import { CliError } from '../verbs/cli-error.js';

type Node = { kind: 'text'; text: string } | { kind: 'expr'; path: string } | { kind: 'range'; path: string; body: Node[] };

function parseTemplate(template: string): Node[] {
  let pos = 0;
  const parse = (inRange: boolean): Node[] => {
    const nodes: Node[] = [];
    while (pos < template.length) {
      const open = template.indexOf('{', pos);
      if (open < 0) {
        nodes.push({ kind: 'text', text: template.slice(pos) });
        pos = template.length;
        break;
      }
      if (open > pos) nodes.push({ kind: 'text', text: template.slice(pos, open) });
      const close = findClose(template, open);
      const inner = template.slice(open + 1, close).trim();
      pos = close + 1;
      if (inner === 'end') {
        if (!inRange) throw new CliError(`error parsing jsonpath ${template}, not in range, nothing to end`);
        return nodes;
      }
      if (inner.startsWith('range ')) {
        const path = inner.slice(6).trim();
        nodes.push({ kind: 'range', path, body: parse(true) });
      } else if (/^".*"$/s.test(inner) || /^'.*'$/s.test(inner)) {
        nodes.push({ kind: 'text', text: unquote(inner) });
      } else {
        nodes.push({ kind: 'expr', path: inner });
      }
    }
    if (inRange) throw new CliError(`error parsing jsonpath ${template}, unclosed range`);
    return nodes;
  };
  return parse(false);
}

function findClose(t: string, open: number): number {
  let quote: string | undefined;
  for (let i = open + 1; i < t.length; i++) {
    const c = t[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '}') return i;
  }
  throw new CliError(`error parsing jsonpath ${t}, unclosed action`);
}

function unquote(s: string): string {
  return s.slice(1, -1).replace(/\\(.)/g, (_m, c: string) => ({ n: '\n', t: '\t', r: '\r' })[c] ?? c);
}

/** Splits a path into steps: names, indexes, wildcards, filters, recursive descent. */
function steps(path: string): string[] {
  const out: string[] = [];
  let p = path.trim();
  if (p.startsWith('$')) p = p.slice(1);
  if (p.startsWith('@')) p = p.slice(1);
  let i = 0;
  while (i < p.length) {
    const c = p[i]!;
    if (c === '.') {
      if (p[i + 1] === '.') {
        out.push('..');
        i += 2;
        continue;
      }
      i++;
      continue;
    }
    if (c === '[') {
      let depth = 0;
      let j = i;
      for (; j < p.length; j++) {
        if (p[j] === '[') depth++;
        else if (p[j] === ']' && --depth === 0) break;
      }
      out.push(p.slice(i, j + 1));
      i = j + 1;
      continue;
    }
    let j = i;
    while (j < p.length && p[j] !== '.' && p[j] !== '[') j++;
    out.push(p.slice(i, j));
    i = j;
  }
  return out;
}

function children(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (v && typeof v === 'object') return Object.values(v);
  return [];
}

function descend(v: unknown): unknown[] {
  const out: unknown[] = [v];
  for (const c of children(v)) out.push(...descend(c));
  return out;
}

function filterMatches(item: unknown, expr: string): boolean {
  const m = /^(@[^\s=!<>]*)\s*(==|!=|<=|>=|<|>)\s*(.+)$/.exec(expr.trim());
  if (!m) return evaluate(item, expr.trim()).some((v) => v !== undefined && v !== null && v !== false);
  const left = evaluate(item, m[1]!)[0];
  const rawRight = m[3]!.trim();
  const right: unknown = /^(['"]).*\1$/.test(rawRight) ? rawRight.slice(1, -1) : Number.isNaN(Number(rawRight)) ? rawRight : Number(rawRight);
  switch (m[2]) {
    case '==': return String(left) === String(right);
    case '!=': return String(left) !== String(right);
    case '<': return Number(left) < Number(right);
    case '>': return Number(left) > Number(right);
    case '<=': return Number(left) <= Number(right);
    default: return Number(left) >= Number(right);
  }
}

export function evaluate(root: unknown, path: string): unknown[] {
  let current: unknown[] = [root];
  for (const step of steps(path)) {
    const next: unknown[] = [];
    for (const v of current) {
      if (step === '..') {
        next.push(...descend(v));
      } else if (step.startsWith('[')) {
        const inner = step.slice(1, -1).trim();
        if (inner === '*') next.push(...children(v));
        else if (inner.startsWith('?(')) next.push(...(Array.isArray(v) ? v : []).filter((item) => filterMatches(item, inner.slice(2, -1))));
        else if (/^['"].*['"]$/.test(inner)) {
          for (const key of inner.split(',').map((k) => k.trim().slice(1, -1))) if (v && typeof v === 'object' && key in v) next.push((v as Record<string, unknown>)[key]);
        } else if (/^-?\d*:-?\d*$/.test(inner) && Array.isArray(v)) {
          const [a, b] = inner.split(':');
          next.push(...v.slice(a ? Number(a) : 0, b ? Number(b) : undefined));
        } else if (/^-?\d+$/.test(inner) && Array.isArray(v)) {
          const n = Number(inner);
          const item = v[n < 0 ? v.length + n : n];
          if (item === undefined) throw new CliError(`array index out of bounds: index ${n}, length ${v.length}`);
          next.push(item);
        }
      } else if (step === '*') {
        next.push(...children(v));
      } else if (v && typeof v === 'object' && !Array.isArray(v) && step in v) {
        next.push((v as Record<string, unknown>)[step]);
      }
    }
    current = next;
  }
  return current;
}

function show(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

export function executeJsonPath(template: string, data: unknown): string {
  const run = (nodes: Node[], scope: unknown): string =>
    nodes
      .map((n) => {
        if (n.kind === 'text') return n.text;
        if (n.kind === 'expr') return evaluate(scope, n.path).map(show).join(' ');
        return evaluate(scope, n.path)
          .map((item) => run(n.body, item))
          .join('');
      })
      .join('');
  return run(parseTemplate(template), data);
}
