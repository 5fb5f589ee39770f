import { describe, expect, it } from 'vitest';
import { BadRequestError } from './errors.js';
import { canonicalQuantity, compareQuantities, formatCpu, formatMemory, isValidQuantity, milli, parseQuantity } from './quantity.js';

describe('parseQuantity', () => {
  // Cases from the Kubernetes docs ("Resource units in Kubernetes") and apimachinery's quantity tests.
  it.each<[string | number, number]>([
    ['100m', 0.1],
    ['0.1', 0.1],
    ['0.5', 0.5],
    ['1', 1],
    [1, 1],
    [0.25, 0.25],
    ['64Mi', 64 * 1024 * 1024],
    ['128974848', 128974848],
    ['129e6', 129e6],
    ['129M', 129e6],
    ['123Mi', 123 * 2 ** 20],
    ['1G', 1e9],
    ['1Gi', 2 ** 30],
    ['1e3', 1000],
    ['1E3', 1000],
    ['1e-3', 0.001],
    ['2Ki', 2048],
    ['1.5Gi', 1.5 * 2 ** 30],
    ['400m', 0.4],
    ['5k', 5000],
    ['1T', 1e12],
    ['1P', 1e15],
    ['1E', 1e18],
    ['1Ei', 2 ** 60],
    ['+1', 1],
    ['-1', -1],
    ['.5', 0.5],
    ['1.', 1],
    ['0', 0],
    ['000', 0],
    ['10n', 1e-8],
    ['10u', 1e-5],
  ])('%s', (input, expected) => {
    expect(parseQuantity(input)).toBeCloseTo(expected, 12);
  });

  it.each(['', ' 1', '1 ', 'abc', '1Kib', '1i', '1e', '1.2.3', '--1', 'm', '1mi', '1KB', '1e1.5', '.', '1 Gi'])('rejects %j', (input) => {
    expect(isValidQuantity(input)).toBe(false);
    expect(() => parseQuantity(input)).toThrow(BadRequestError);
  });

  it('rejects non-strings and non-finite numbers', () => {
    expect(isValidQuantity(undefined)).toBe(false);
    expect(isValidQuantity({})).toBe(false);
    expect(isValidQuantity(Number.NaN)).toBe(false);
  });

  it('uses Kubernetes messages', () => {
    expect(() => parseQuantity('abc')).toThrow("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
    expect(() => parseQuantity('1Kib')).toThrow("quantities must match the regular expression");
    expect(() => parseQuantity('1mi')).toThrow("unable to parse quantity's suffix");
  });
});

describe('milli', () => {
  it.each<[string | number, number]>([
    ['100m', 100],
    ['0.1', 100],
    ['1', 1000],
    ['2.5', 2500],
    ['1e-3', 1],
    // MilliValue rounds up below a milli, as Kubernetes does.
    ['1u', 1],
    ['0.0001', 1],
    ['64Mi', 64 * 2 ** 20 * 1000],
    [0.3, 300],
  ])('%s → %d', (input, expected) => {
    expect(milli(input)).toBe(expected);
  });
});

describe('compareQuantities', () => {
  it.each<[string, string, number]>([
    ['100m', '0.1', 0],
    ['1', '1000m', 0],
    ['1Gi', '1G', 1],
    ['500Mi', '1Gi', -1],
    ['1e3', '1k', 0],
    ['0.30000000000000004', '0.3', 1],
  ])('%s vs %s', (a, b, expected) => {
    expect(compareQuantities(a, b)).toBe(expected);
  });
});

describe('formatting', () => {
  it.each<[number, string]>([
    [0.25, '250m'],
    [0.1, '100m'],
    [1, '1'],
    [2, '2'],
    [1.5, '1500m'],
    [0.0001, '1m'],
    [0, '0'],
  ])('formatCpu(%d) = %s', (cores, text) => {
    expect(formatCpu(cores)).toBe(text);
  });

  it.each<[number, string]>([
    [128 * 2 ** 20, '128Mi'],
    [2 ** 30, '1Gi'],
    [1536, '1536'],
    [1024, '1Ki'],
    [1536 * 2 ** 20, '1536Mi'],
    [500, '500'],
    [1_000_000, '1000000'],
    [0, '0'],
  ])('formatMemory(%d) = %s', (bytes, text) => {
    expect(formatMemory(bytes)).toBe(text);
  });

  it.each<[string, string]>([
    ['0.5', '500m'],
    ['1024Mi', '1Gi'],
    ['1.5Gi', '1536Mi'],
    ['1000m', '1'],
    ['1e3', '1e3'],
    ['1500m', '1500m'],
    ['1G', '1G'],
    ['100Ki', '100Ki'],
    ['0.5Ki', '512'],
  ])('canonicalQuantity(%s) = %s', (input, text) => {
    expect(canonicalQuantity(input)).toBe(text);
  });
});
