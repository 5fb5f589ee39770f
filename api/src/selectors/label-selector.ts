// Label selectors: the string form (`app=web,tier in (a,b),!canary`) parsed with
// the grammar and error messages of apimachinery's labels.Parse, and the
// structured metav1.LabelSelector turned into the same matcher.
import { BadRequestError } from '../errors.js';
import { invalidText, isLabelValue, isQualifiedName } from './label-syntax.js';

export type LabelOperator = 'In' | 'NotIn' | 'Equals' | 'DoubleEquals' | 'NotEquals' | 'Exists' | 'DoesNotExist' | 'GreaterThan' | 'LessThan';

export interface LabelRequirement {
  key: string;
  operator: LabelOperator;
  /** Sorted and de-duplicated, as Kubernetes keeps them. */
  values: string[];
}

/** A compiled label selector. Requirements are ANDed. */
export interface LabelMatcher {
  readonly requirements: readonly LabelRequirement[];
  /** True when the selector selects everything (no requirements). */
  readonly empty: boolean;
  /** True for the selector of a nil LabelSelector, which selects nothing. */
  readonly nothing: boolean;
  matches(labels: Readonly<Record<string, string>> | undefined): boolean;
  /** The value a requirement pins `key` to (`key=v`, `key==v`, `key in (v)`), for index lookups. */
  requiresExactMatch(key: string): string | undefined;
  /** Kubernetes' canonical string form (requirements sorted by key). */
  toString(): string;
}

/** The object form (metav1.LabelSelector), declared locally so selectors do not depend on kind types. */
export interface LabelSelectorObject {
  matchLabels?: Record<string, string> | null;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] | null }> | null;
}

const BINARY_OPERATORS = ['in', 'notin', '=', '==', '!=', 'gt', 'lt'];

function requirementString(r: LabelRequirement): string {
  const values = r.values.join(',');
  switch (r.operator) {
    case 'Exists':
      return r.key;
    case 'DoesNotExist':
      return `!${r.key}`;
    case 'Equals':
      return `${r.key}=${values}`;
    case 'DoubleEquals':
      return `${r.key}==${values}`;
    case 'NotEquals':
      return `${r.key}!=${values}`;
    case 'In':
      return `${r.key} in (${values})`;
    case 'NotIn':
      return `${r.key} notin (${values})`;
    case 'GreaterThan':
      return `${r.key}>${values}`;
    case 'LessThan':
      return `${r.key}<${values}`;
  }
}

function requirementMatches(r: LabelRequirement, labels: Readonly<Record<string, string>>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  const value = has ? labels[r.key] : undefined;
  switch (r.operator) {
    case 'In':
    case 'Equals':
    case 'DoubleEquals':
      return value !== undefined && r.values.includes(value);
    case 'NotIn':
    case 'NotEquals':
      return value === undefined || !r.values.includes(value);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'GreaterThan':
    case 'LessThan': {
      if (value === undefined || !/^[+-]?\d+$/.test(value)) return false;
      const lhs = BigInt(value);
      const rhs = BigInt(r.values[0] ?? '0');
      return r.operator === 'GreaterThan' ? lhs > rhs : lhs < rhs;
    }
  }
}

class Matcher implements LabelMatcher {
  readonly requirements: readonly LabelRequirement[];
  constructor(
    requirements: LabelRequirement[],
    readonly nothing = false,
  ) {
    // Sorted by key (stable) so that the string form is deterministic, as Kubernetes does.
    this.requirements = [...requirements].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }
  get empty(): boolean {
    return !this.nothing && this.requirements.length === 0;
  }
  matches(labels: Readonly<Record<string, string>> | undefined): boolean {
    if (this.nothing) return false;
    const l = labels ?? {};
    return this.requirements.every((r) => requirementMatches(r, l));
  }
  requiresExactMatch(key: string): string | undefined {
    const r = this.requirements.find((x) => x.key === key);
    if (!r || r.values.length !== 1) return undefined;
    return r.operator === 'Equals' || r.operator === 'DoubleEquals' || r.operator === 'In' ? r.values[0] : undefined;
  }
  toString(): string {
    return this.requirements.map(requirementString).join(',');
  }
}

/** A selector that matches everything. */
export function everythingSelector(): LabelMatcher {
  return new Matcher([]);
}

/** The selector of a nil LabelSelector: matches nothing. */
export function nothingSelector(): LabelMatcher {
  return new Matcher([], true);
}

/**
 * Builds one requirement, validating it as NewRequirement does. Problems are
 * returned as Go-formatted field error texts (paths `key`, `values`, `values[i][key]`).
 */
function newRequirement(key: string, operator: LabelOperator, values: string[]): { req: LabelRequirement; errors: string[] } {
  const errors: string[] = [];
  const keyErrs = isQualifiedName(key);
  if (keyErrs.length > 0) errors.push(invalidText('key', key, keyErrs.join('; ')));
  switch (operator) {
    case 'In':
    case 'NotIn':
      if (values.length === 0) errors.push(invalidText('values', values, "for 'in', 'notin' operators, values set can't be empty"));
      break;
    case 'Equals':
    case 'DoubleEquals':
    case 'NotEquals':
      if (values.length !== 1) errors.push(invalidText('values', values, 'exact-match compatibility requires one single value'));
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length !== 0) errors.push(invalidText('values', values, 'values set must be empty for exists and does not exist'));
      break;
    case 'GreaterThan':
    case 'LessThan':
      if (values.length !== 1) errors.push(invalidText('values', values, "for 'Gt', 'Lt' operators, exactly one value is required"));
      values.forEach((v, i) => {
        if (!/^[+-]?\d+$/.test(v)) errors.push(invalidText(`values[${i}]`, v, "for 'Gt', 'Lt' operators, the value must be an integer"));
      });
      break;
  }
  values.forEach((v, i) => {
    const errs = isLabelValue(v);
    if (errs.length > 0) errors.push(invalidText(`values[${i}][${key}]`, v, errs.join('; ')));
  });
  return { req: { key, operator, values: [...new Set(values)].sort() }, errors };
}

/** Go's ToAggregate().Error(): one message alone, several in brackets. */
function aggregate(errors: string[]): string {
  return errors.length === 1 ? (errors[0] as string) : `[${errors.join(', ')}]`;
}

type Token =
  | { t: 'end'; lit: '' }
  | { t: 'id'; lit: string }
  | { t: 'op'; lit: string }
  | { t: 'error'; lit: string };

const SYMBOLS = new Set(['=', '!', '(', ')', ',', '>', '<']);
const SYMBOL_TOKENS = new Set([')', ',', '!', '==', '=', '>', '<', '!=', '(']);
const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\r' || c === '\n';

function lex(s: string): Token[] {
  const out: Token[] = [];
  let pos = 0;
  for (;;) {
    while (pos < s.length && isSpace(s[pos] as string)) pos++;
    if (pos >= s.length) {
      out.push({ t: 'end', lit: '' });
      return out;
    }
    const c = s[pos] as string;
    if (SYMBOLS.has(c)) {
      // Longest run of symbol characters that still forms a known operator.
      let buf = '';
      let last = '';
      while (pos < s.length && SYMBOLS.has(s[pos] as string)) {
        const next = buf + (s[pos] as string);
        if (SYMBOL_TOKENS.has(next)) {
          buf = next;
          last = next;
          pos++;
        } else if (last) {
          break;
        } else {
          buf = next;
          pos++;
        }
      }
      out.push(last ? { t: 'op', lit: last } : { t: 'error', lit: `error expected: keyword found '${buf}'` });
      continue;
    }
    const start = pos;
    while (pos < s.length && !SYMBOLS.has(s[pos] as string) && !isSpace(s[pos] as string)) pos++;
    const word = s.slice(start, pos);
    out.push(word === 'in' || word === 'notin' ? { t: 'op', lit: word } : { t: 'id', lit: word });
  }
}

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  /** In value position the keywords `in`/`notin` are plain identifiers. */
  private peek(values: boolean): Token {
    const tok = this.tokens[this.pos] ?? { t: 'end', lit: '' };
    return values && tok.t === 'op' && (tok.lit === 'in' || tok.lit === 'notin') ? { t: 'id', lit: tok.lit } : tok;
  }
  private next(values: boolean): Token {
    const tok = this.peek(values);
    this.pos++;
    return tok;
  }

  parse(): LabelRequirement[] {
    const reqs: LabelRequirement[] = [];
    for (;;) {
      const tok = this.peek(true);
      if (tok.t === 'end') return reqs;
      if (tok.t !== 'id' && !(tok.t === 'op' && tok.lit === '!')) throw new Error(`found '${tok.lit}', expected: !, identifier, or 'end of string'`);
      reqs.push(this.requirement());
      const after = this.next(true);
      if (after.t === 'end') return reqs;
      if (after.t === 'op' && after.lit === ',') {
        const n = this.peek(true);
        if (n.t !== 'id' && !(n.t === 'op' && n.lit === '!')) throw new Error(`found '${n.lit}', expected: identifier after ','`);
        continue;
      }
      throw new Error(`found '${after.lit}', expected: ',' or 'end of string'`);
    }
  }

  private requirement(): LabelRequirement {
    let tok = this.next(true);
    let negated = false;
    if (tok.t === 'op' && tok.lit === '!') {
      negated = true;
      tok = this.next(true);
    }
    if (tok.t !== 'id') throw new Error(`unable to parse requirement: found '${tok.lit}', expected: identifier`);
    const key = tok.lit;
    const keyErrs = isQualifiedName(key);
    if (keyErrs.length > 0) throw new Error(`unable to parse requirement: ${invalidText('<nil>', key, keyErrs.join('; '))}`);
    const ahead = this.peek(true);
    if (negated || ahead.t === 'end' || (ahead.t === 'op' && ahead.lit === ',')) {
      return this.build(key, negated ? 'DoesNotExist' : 'Exists', []);
    }
    const opTok = this.next(false);
    const ops: Record<string, LabelOperator> = { in: 'In', notin: 'NotIn', '=': 'Equals', '==': 'DoubleEquals', '!=': 'NotEquals', '>': 'GreaterThan', '<': 'LessThan' };
    const op = opTok.t === 'op' ? ops[opTok.lit] : undefined;
    if (!op) throw new Error(`unable to parse requirement: found '${opTok.lit}', expected: ${BINARY_OPERATORS.join(', ')}`);
    const values = op === 'In' || op === 'NotIn' ? this.setValues() : this.exactValue();
    return this.build(key, op, values);
  }

  private build(key: string, op: LabelOperator, values: string[]): LabelRequirement {
    const { req, errors } = newRequirement(key, op, values);
    if (errors.length > 0) throw new Error(`unable to parse requirement: ${aggregate(errors)}`);
    return req;
  }

  private setValues(): string[] {
    const open = this.next(true);
    if (!(open.t === 'op' && open.lit === '(')) throw new Error(`unable to parse requirement: found '${open.lit}' expected: '('`);
    const first = this.peek(true);
    if (first.t === 'op' && first.lit === ')') {
      this.pos++;
      return [''];
    }
    if (!(first.t === 'id' || (first.t === 'op' && first.lit === ','))) {
      throw new Error(`unable to parse requirement: found '${first.lit}', expected: ',', ')' or identifier`);
    }
    const values = new Set<string>();
    for (;;) {
      const tok = this.next(true);
      if (tok.t === 'id') {
        values.add(tok.lit);
        const n = this.peek(true);
        if (n.t === 'op' && n.lit === ',') continue;
        if (n.t === 'op' && n.lit === ')') break;
        throw new Error(`unable to parse requirement: found '${n.lit}', expected: ',' or ')'`);
      } else if (tok.t === 'op' && tok.lit === ',') {
        // `(,a)`, `(a,,b)` and `(a,)` each carry an empty value.
        if (values.size === 0) values.add('');
        const n = this.peek(true);
        if (n.t === 'op' && n.lit === ')') {
          values.add('');
          break;
        }
        if (n.t === 'op' && n.lit === ',') values.add('');
      } else {
        throw new Error(`unable to parse requirement: found '${tok.lit}', expected: ',', or identifier`);
      }
    }
    this.pos++; // the ')'
    return [...values];
  }

  private exactValue(): string[] {
    const n = this.peek(true);
    if (n.t === 'end' || (n.t === 'op' && n.lit === ',')) return [''];
    const tok = this.next(true);
    if (tok.t === 'id') return [tok.lit];
    throw new Error(`unable to parse requirement: found '${tok.lit}', expected: identifier`);
  }
}

/** Parses the string form; throws BadRequestError with Kubernetes' message on bad syntax. */
export function parseLabelSelector(selector: string): LabelMatcher {
  try {
    return new Matcher(new Parser(lex(selector)).parse());
  } catch (e) {
    throw new BadRequestError(e instanceof Error ? e.message : String(e));
  }
}

/**
 * Compiles a metav1.LabelSelector. `undefined`/`null` selects nothing and `{}`
 * selects everything (LabelSelectorAsSelector). Throws BadRequestError on an
 * unknown operator or invalid keys/values.
 */
export function labelSelectorFromObject(sel: LabelSelectorObject | null | undefined): LabelMatcher {
  if (sel === null || sel === undefined) return nothingSelector();
  const reqs: LabelRequirement[] = [];
  const errors: string[] = [];
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) {
    const r = newRequirement(k, 'Equals', [String(v)]);
    errors.push(...r.errors);
    reqs.push(r.req);
  }
  for (const expr of sel.matchExpressions ?? []) {
    const ops: Record<string, LabelOperator> = { In: 'In', NotIn: 'NotIn', Exists: 'Exists', DoesNotExist: 'DoesNotExist' };
    const op = ops[expr.operator];
    if (!op) throw new BadRequestError(`${JSON.stringify(expr.operator)} is not a valid label selector operator`);
    const r = newRequirement(expr.key, op, [...(expr.values ?? [])]);
    errors.push(...r.errors);
    reqs.push(r.req);
  }
  if (errors.length > 0) throw new BadRequestError(aggregate(errors));
  return new Matcher(reqs);
}

/** A selector from a plain map (Service spec.selector, matchLabels): `{}` selects everything. */
export function labelSelectorFromSet(set: Readonly<Record<string, string>> | null | undefined): LabelMatcher {
  return new Matcher(Object.entries(set ?? {}).map(([key, value]) => ({ key, operator: 'Equals', values: [value] })));
}

/** The string kubectl shows for a LabelSelector (metav1.FormatLabelSelector): `app=web`, `<none>`, `<error>`. */
export function formatLabelSelector(sel: LabelSelectorObject | null | undefined): string {
  let text: string;
  try {
    text = labelSelectorFromObject(sel).toString();
  } catch {
    return '<error>';
  }
  return text === '' ? '<none>' : text;
}

/** The string form of a selector object, '' for empty or nil (Scale status.selector uses this). */
export function labelSelectorString(sel: LabelSelectorObject | null | undefined): string {
  try {
    return labelSelectorFromObject(sel).toString();
  } catch {
    return '';
  }
}
