// Kubernetes resource quantities ("100m", "64Mi", "1e3"), parsed with the same
// grammar and suffix rules as apimachinery's resource.ParseQuantity. Values are
// kept exact (a decimal mantissa and a power of ten) so that milli-values and
// comparisons such as requests <= limits never suffer from float rounding.
import { BadRequestError } from './errors.js';

/** An exact quantity: value = mantissa × 10^exponent. */
export interface ExactQuantity {
  mantissa: bigint;
  exponent: number;
  /** Which suffix family the input used; canonical printing keeps it. */
  format: 'DecimalSI' | 'BinarySI' | 'DecimalExponent';
}

const DECIMAL_SUFFIXES: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIXES: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };

/** Kubernetes' messages for a bad quantity (resource.ErrFormatWrong / ErrSuffix / ErrNumeric). */
export const QUANTITY_FORMAT_ERROR = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
export const QUANTITY_SUFFIX_ERROR = 'unable to parse quantity\'s suffix';

export class QuantityParseError extends Error {
  override name = 'QuantityParseError';
  constructor(message: string, readonly input: string) {
    super(message);
  }
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

/** Splits a quantity string the way apimachinery's parseQuantityString does. */
function split(str: string): { negative: boolean; whole: string; frac: string; suffix: string } {
  let pos = 0;
  let negative = false;
  if (str[0] === '-' || str[0] === '+') {
    negative = str[0] === '-';
    pos++;
  }
  const wholeStart = pos;
  while (isDigit(str[pos])) pos++;
  const whole = str.slice(wholeStart, pos);
  let frac = '';
  if (str[pos] === '.') {
    pos++;
    const fracStart = pos;
    while (isDigit(str[pos])) pos++;
    frac = str.slice(fracStart, pos);
  }
  // apimachinery accepts "1." and ".5" but needs at least one digit overall.
  if (whole === '' && frac === '') throw new QuantityParseError(QUANTITY_FORMAT_ERROR, str);
  const suffixStart = pos;
  while (pos < str.length && 'eEinumkKMGTP'.includes(str[pos] as string)) pos++;
  if (str[pos] === '-' || str[pos] === '+') pos++;
  while (isDigit(str[pos])) pos++;
  if (pos !== str.length) throw new QuantityParseError(QUANTITY_FORMAT_ERROR, str);
  return { negative, whole, frac, suffix: str.slice(suffixStart) };
}

// Manifests repeat a handful of quantities ("100m", "64Mi") thousands of times;
// parsing involves BigInt arithmetic, so parsed values are memoized (bounded).
const cache = new Map<string, Readonly<ExactQuantity>>();
const CACHE_LIMIT = 4096;

/** Parses a quantity exactly; throws QuantityParseError with Kubernetes' message. */
export function parseExactQuantity(input: string | number): Readonly<ExactQuantity> {
  const key = typeof input === 'number' ? `#${input}` : input;
  const hit = cache.get(key);
  if (hit) return hit;
  const parsed = Object.freeze(parseUncached(input));
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, parsed);
  return parsed;
}

function parseUncached(input: string | number): ExactQuantity {
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) throw new QuantityParseError(QUANTITY_FORMAT_ERROR, String(input));
    input = numberToString(input);
  }
  const str = input;
  if (str.length === 0) throw new QuantityParseError(QUANTITY_FORMAT_ERROR, str);
  const { negative, whole, frac, suffix } = split(str);
  let mantissa = BigInt((whole || '0') + frac);
  let exponent = -frac.length;
  let format: ExactQuantity['format'];
  const dec = DECIMAL_SUFFIXES[suffix];
  const bin = BINARY_SUFFIXES[suffix];
  if (dec !== undefined) {
    exponent += dec;
    format = 'DecimalSI';
  } else if (bin !== undefined) {
    mantissa *= 2n ** BigInt(bin);
    format = 'BinarySI';
  } else if (suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E') && /^[+-]?\d+$/.test(suffix.slice(1))) {
    exponent += Number.parseInt(suffix.slice(1), 10);
    format = 'DecimalExponent';
  } else {
    throw new QuantityParseError(QUANTITY_SUFFIX_ERROR, str);
  }
  if (negative) mantissa = -mantissa;
  return normalize({ mantissa, exponent, format });
}

function numberToString(n: number): string {
  // JSON numbers such as 0.5 or 1e-7: Number#toString gives a form the grammar accepts.
  return String(n).replace('e+', 'e');
}

/** Strips trailing zeros so equal values have one representation. */
function normalize(q: ExactQuantity): ExactQuantity {
  let { mantissa, exponent } = q;
  if (mantissa === 0n) return { mantissa: 0n, exponent: 0, format: q.format };
  while (mantissa % 10n === 0n) {
    mantissa /= 10n;
    exponent++;
  }
  return { mantissa, exponent, format: q.format };
}

export function isValidQuantity(input: unknown): boolean {
  if (typeof input !== 'string' && typeof input !== 'number') return false;
  try {
    parseExactQuantity(input);
    return true;
  } catch {
    return false;
  }
}

/** Value in base units (cores for CPU, bytes for memory). Throws BadRequestError on bad input. */
export function parseQuantity(input: string | number): number {
  try {
    return exactToNumber(parseExactQuantity(input));
  } catch (err) {
    if (err instanceof QuantityParseError) throw new BadRequestError(`${err.message}: ${JSON.stringify(input)}`);
    throw err;
  }
}

export function exactToNumber(q: Readonly<ExactQuantity>): number {
  return Number.parseFloat(`${q.mantissa}e${q.exponent}`);
}

/** Ceiling of value × 10^scale, as Kubernetes' ScaledValue rounds (up, away from zero for positives). */
function scaledCeil(q: Readonly<ExactQuantity>, scale: number): bigint {
  const shift = q.exponent + scale;
  if (shift >= 0) return q.mantissa * 10n ** BigInt(shift);
  const div = 10n ** BigInt(-shift);
  const quotient = q.mantissa / div;
  return q.mantissa % div !== 0n && q.mantissa > 0n ? quotient + 1n : quotient;
}

/** The value in thousandths, rounded up as MilliValue() does: milli("100m") = 100, milli("0.1") = 100. */
export function milli(input: string | number): number {
  try {
    return Number(scaledCeil(parseExactQuantity(input), 3));
  } catch (err) {
    if (err instanceof QuantityParseError) throw new BadRequestError(`${err.message}: ${JSON.stringify(input)}`);
    throw err;
  }
}

/** -1, 0 or 1, exactly (Quantity.Cmp). */
export function compareQuantities(a: string | number, b: string | number): -1 | 0 | 1 {
  const x = parseExactQuantity(a);
  const y = parseExactQuantity(b);
  const e = Math.min(x.exponent, y.exponent);
  const xs = x.mantissa * 10n ** BigInt(x.exponent - e);
  const ys = y.mantissa * 10n ** BigInt(y.exponent - e);
  return xs < ys ? -1 : xs > ys ? 1 : 0;
}

/** CPU in Kubernetes' canonical form: whole cores as "2", otherwise millicores "250m" (rounded up). */
export function formatCpu(cores: number): string {
  const m = Math.ceil(Math.round(cores * 1e6) / 1e3);
  if (m % 1000 === 0) return String(m / 1000);
  return `${m}m`;
}

const BINARY_STEPS: Array<[string, bigint]> = [
  ['Ei', 2n ** 60n],
  ['Pi', 2n ** 50n],
  ['Ti', 2n ** 40n],
  ['Gi', 2n ** 30n],
  ['Mi', 2n ** 20n],
  ['Ki', 2n ** 10n],
];

/**
 * Bytes in Kubernetes' canonical BinarySI form: the largest power-of-1024
 * suffix that divides exactly ("128Mi"; 1536 is 1.5Ki, so it stays "1536"),
 * and a plain number below 1024 or when no suffix divides exactly.
 */
export function formatMemory(bytes: number): string {
  if (!Number.isInteger(bytes)) return formatDecimal(parseExactQuantity(numberToString(bytes)));
  const b = BigInt(bytes);
  const abs = b < 0n ? -b : b;
  if (abs >= 1024n) {
    for (const [suffix, size] of BINARY_STEPS) {
      if (abs % size === 0n) return `${b / size}${suffix}`;
    }
  }
  return String(b);
}

/** DecimalSI canonical text: an integer mantissa with the largest SI suffix (multiple of 3). */
function formatDecimal(q: Readonly<ExactQuantity>): string {
  if (q.mantissa === 0n) return '0';
  let exp3 = Math.floor(q.exponent / 3) * 3;
  exp3 = Math.max(-9, Math.min(18, exp3));
  const mantissa = q.mantissa * 10n ** BigInt(q.exponent - exp3);
  const suffix = Object.entries(DECIMAL_SUFFIXES).find(([, e]) => e === exp3)?.[0] ?? '';
  // Values finer than a nano round up, as Kubernetes does.
  if (q.exponent < -9) return `${scaledCeil(q, 9)}n`;
  return `${mantissa}${suffix}`;
}

/** Kubernetes' canonical text for any quantity ("0.5" → "500m", "1024Mi" → "1Gi", "1e3" → "1e3"). */
export function canonicalQuantity(input: string | number): string {
  const q = parseExactQuantity(input);
  if (q.format === 'BinarySI') {
    const isInteger = q.exponent >= 0;
    const abs = q.mantissa < 0n ? -q.mantissa : q.mantissa;
    if (isInteger && abs * 10n ** BigInt(q.exponent) >= 1024n) return formatMemory(Number(q.mantissa * 10n ** BigInt(q.exponent)));
    return formatDecimal(q);
  }
  if (q.format === 'DecimalExponent') {
    if (q.mantissa === 0n) return '0';
    const exp3 = Math.floor(q.exponent / 3) * 3;
    const mantissa = q.mantissa * 10n ** BigInt(q.exponent - exp3);
    return exp3 === 0 ? `${mantissa}` : `${mantissa}e${exp3}`;
  }
  return formatDecimal(q);
}
