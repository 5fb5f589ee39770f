// Label selector matching used by informers and controllers, on top of the
// shared implementation in @wharf/api; compiled matchers are cached per
// selector object because controllers match the same selectors constantly.
import { labelSelectorFromObject, type LabelMatcher, type LabelSelector, type LabelSelectorRequirement } from '@wharf/api';

const compiled = new WeakMap<LabelSelector, LabelMatcher | null>();

function matcherFor(selector: LabelSelector): LabelMatcher | null {
  let m = compiled.get(selector);
  if (m === undefined) {
    try {
      m = labelSelectorFromObject(selector);
    } catch {
      // An invalid selector selects nothing.
      m = null;
    }
    compiled.set(selector, m);
  }
  return m;
}

function matchRequirement(req: LabelSelectorRequirement, labels: Record<string, string>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, req.key);
  const value = labels[req.key];
  switch (req.operator) {
    case 'In':
      return has && (req.values ?? []).includes(value!);
    case 'NotIn':
      return !has || !(req.values ?? []).includes(value!);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    default:
      return false;
  }
}

/** metav1.LabelSelector semantics: an empty selector matches everything, a missing one nothing. */
export function selectorMatches(selector: LabelSelector | undefined | null, labels: Record<string, string> | undefined): boolean {
  if (!selector) return false;
  return matcherFor(selector)?.matches(labels ?? {}) ?? false;
}

/** The local matcher, kept for checking the shared one against (see selectors.test.ts). */
export function selectorMatchesLocal(selector: LabelSelector | undefined | null, labels: Record<string, string> | undefined): boolean {
  if (!selector) return false;
  const l = labels ?? {};
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (l[k] !== v) return false;
  for (const req of selector.matchExpressions ?? []) if (!matchRequirement(req, l)) return false;
  return true;
}

/** A selector that selects nothing: `{}` would select everything, so callers must check this first. */
export function selectorIsEmpty(selector: LabelSelector | undefined): boolean {
  return !selector || (Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0);
}

/** Equality-only map selector (Service.spec.selector): every pair must match. */
export function mapSelectorMatches(selector: Record<string, string>, labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  for (const [k, v] of Object.entries(selector)) if (l[k] !== v) return false;
  return true;
}

/** The query-string form (`a=b,c in (d,e),!f`). */
export function selectorToString(selector: LabelSelector): string {
  const parts: string[] = Object.entries(selector.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const r of selector.matchExpressions ?? []) {
    const vals = `(${(r.values ?? []).join(',')})`;
    if (r.operator === 'In') parts.push(`${r.key} in ${vals}`);
    else if (r.operator === 'NotIn') parts.push(`${r.key} notin ${vals}`);
    else if (r.operator === 'Exists') parts.push(r.key);
    else if (r.operator === 'DoesNotExist') parts.push(`!${r.key}`);
  }
  return parts.join(',');
}
