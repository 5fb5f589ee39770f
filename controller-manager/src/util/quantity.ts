// Resource quantities in base units. A small local parser until @wharf/api
// exports its exact one; callers only use these two functions.
const SUFFIX: Record<string, number> = {
  '': 1, n: 1e-9, u: 1e-6, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4, Pi: 1024 ** 5, Ei: 1024 ** 6,
};

export function parseQuantity(q: string | number): number {
  if (typeof q === 'number') return q;
  const m = /^([+-]?[0-9.]+)(?:([eE][+-]?[0-9]+)|([a-zA-Z]*))$/.exec(q.trim());
  if (!m) throw new Error(`invalid quantity ${JSON.stringify(q)}`);
  if (m[2]) return Number(m[1] + m[2]);
  const mult = SUFFIX[m[3] ?? ''];
  if (mult === undefined) throw new Error(`invalid quantity suffix ${JSON.stringify(q)}`);
  return Number(m[1]) * mult;
}

/** Thousandths, rounded up (MilliValue). */
export function milli(q: string | number): number {
  return Math.ceil(Math.round(parseQuantity(q) * 1e6) / 1e3);
}
