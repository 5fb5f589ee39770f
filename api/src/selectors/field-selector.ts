// Field selectors (`metadata.name=x,status.phase!=Running`) with apimachinery's
// fields.ParseSelector grammar: comma-separated terms, operators `!=`, `==`, `=`,
// and backslash escapes for `\`, `,` and `=` in values.
import { BadRequestError } from '../errors.js';

export interface FieldRequirement {
  field: string;
  operator: 'Equals' | 'NotEquals';
  value: string;
}

export interface FieldMatcher {
  readonly requirements: readonly FieldRequirement[];
  readonly empty: boolean;
  /** A missing field counts as the empty string, as in Kubernetes. */
  matches(fields: Readonly<Record<string, string>>): boolean;
  /** The value `field=v` pins the field to, for index lookups (spec.nodeName). */
  requiresExactMatch(field: string): string | undefined;
  toString(): string;
}

function splitTerms(selector: string): string[] {
  if (selector.length === 0) return [];
  const terms: string[] = [];
  let start = 0;
  let inSlash = false;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i];
    if (inSlash) inSlash = false;
    else if (c === '\\') inSlash = true;
    else if (c === ',') {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(selector.slice(start));
  return terms;
}

const TERM_OPERATORS = ['!=', '==', '='] as const;

function splitTerm(term: string): { lhs: string; op: (typeof TERM_OPERATORS)[number]; rhs: string } | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of TERM_OPERATORS) {
      if (term.startsWith(op, i)) return { lhs: term.slice(0, i), op, rhs: term.slice(i + op.length) };
    }
  }
  return undefined;
}

function unescapeValue(s: string): string {
  let out = '';
  let inSlash = false;
  for (const c of s) {
    if (inSlash) {
      if (c !== '\\' && c !== ',' && c !== '=') throw new BadRequestError(`invalid field selector: invalid escape sequence: \\${c}`);
      out += c;
      inSlash = false;
    } else if (c === '\\') {
      inSlash = true;
    } else if (c === ',' || c === '=') {
      // Go prints the rune with %v, i.e. as its code point; keep the same text.
      throw new BadRequestError(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`);
    } else {
      out += c;
    }
  }
  if (inSlash) throw new BadRequestError('invalid field selector: invalid escape sequence: \\');
  return out;
}

export function escapeFieldValue(s: string): string {
  return s.replace(/[\\,=]/g, (c) => `\\${c}`);
}

class Matcher implements FieldMatcher {
  constructor(readonly requirements: readonly FieldRequirement[]) {}
  get empty(): boolean {
    return this.requirements.length === 0;
  }
  matches(fields: Readonly<Record<string, string>>): boolean {
    return this.requirements.every((r) => {
      const v = Object.prototype.hasOwnProperty.call(fields, r.field) ? (fields[r.field] ?? '') : '';
      return r.operator === 'Equals' ? v === r.value : v !== r.value;
    });
  }
  requiresExactMatch(field: string): string | undefined {
    return this.requirements.find((r) => r.field === field && r.operator === 'Equals')?.value;
  }
  toString(): string {
    return this.requirements.map((r) => `${r.field}${r.operator === 'Equals' ? '=' : '!='}${escapeFieldValue(r.value)}`).join(',');
  }
}

/**
 * Parses a field selector. With `allowed`, a field outside that set is
 * rejected with Kubernetes' `field label not supported: <name>`.
 */
export function parseFieldSelector(selector: string, allowed?: Iterable<string>): FieldMatcher {
  const allowedSet = allowed ? new Set(allowed) : undefined;
  const reqs: FieldRequirement[] = [];
  for (const part of splitTerms(selector).sort()) {
    if (part === '') continue;
    const term = splitTerm(part);
    if (!term) throw new BadRequestError(`invalid selector: '${selector}'; can't understand '${part}'`);
    const value = unescapeValue(term.rhs);
    reqs.push({ field: term.lhs, operator: term.op === '!=' ? 'NotEquals' : 'Equals', value });
  }
  if (allowedSet) {
    for (const r of reqs) if (!allowedSet.has(r.field)) throw new BadRequestError(`field label not supported: ${r.field}`);
  }
  return new Matcher(reqs);
}

export function everythingFieldSelector(): FieldMatcher {
  return new Matcher([]);
}
