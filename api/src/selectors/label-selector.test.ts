import { describe, expect, it } from 'vitest';
import { BadRequestError } from '../errors.js';
import { formatLabelSelector, labelSelectorFromObject, labelSelectorFromSet, labelSelectorString, parseLabelSelector } from './label-selector.js';

describe('parseLabelSelector', () => {
  it.each<[string, Record<string, string>, boolean]>([
    ['', { a: 'b' }, true],
    ['app=web', { app: 'web' }, true],
    ['app=web', { app: 'db' }, false],
    ['app==web', { app: 'web' }, true],
    ['app!=web', { app: 'db' }, true],
    ['app!=web', {}, true],
    ['app!=web', { app: 'web' }, false],
    ['env in (prod,qa)', { env: 'qa' }, true],
    ['env in (prod,qa)', { env: 'dev' }, false],
    ['env in (prod,qa)', {}, false],
    ['env notin (prod)', { env: 'dev' }, true],
    ['env notin (prod)', {}, true],
    ['env notin (prod)', { env: 'prod' }, false],
    ['app', { app: '' }, true],
    ['app', { x: 'y' }, false],
    ['!app', { x: 'y' }, true],
    ['!app', { app: 'y' }, false],
    ['app=web,tier=fe', { app: 'web', tier: 'fe' }, true],
    ['app=web,tier=fe', { app: 'web', tier: 'be' }, false],
    ['  app = web , !canary ', { app: 'web' }, true],
    ['x=', { x: '' }, true],
    ['x=', { x: 'a' }, false],
    ['in in (in)', { in: 'in' }, true],
    ['example.com/app=web', { 'example.com/app': 'web' }, true],
    ['n>5', { n: '7' }, true],
    ['n<5', { n: '7' }, false],
    ['n>5', { n: 'x' }, false],
    ['x in (,a)', { x: '' }, true],
    ['x in ()', { x: '' }, true],
  ])('%j against %j → %s', (sel, labels, expected) => {
    expect(parseLabelSelector(sel).matches(labels)).toBe(expected);
  });

  it('prints the canonical form, sorted by key with sorted values', () => {
    expect(parseLabelSelector('tier in (b,a), app=web, !x').toString()).toBe('app=web,tier in (a,b),!x');
    expect(parseLabelSelector('a==b,c!=d,e').toString()).toBe('a==b,c!=d,e');
    expect(parseLabelSelector('').empty).toBe(true);
  });

  it('finds an exact match for index lookups', () => {
    expect(parseLabelSelector('app=web,x!=y').requiresExactMatch('app')).toBe('web');
    expect(parseLabelSelector('app in (a,b)').requiresExactMatch('app')).toBeUndefined();
  });

  it.each<[string, string]>([
    ['a=b=c', "found '=', expected: ',' or 'end of string'"],
    ['a b', "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"],
    ['=a', "found '=', expected: !, identifier, or 'end of string'"],
    ['a,', "found '', expected: identifier after ','"],
    ['a in b', "unable to parse requirement: found 'b' expected: '('"],
    ['a in (b', "unable to parse requirement: found '', expected: ',' or ')'"],
    ['a in (b c)', "unable to parse requirement: found 'c', expected: ',' or ')'"],
    ['a in (=)', "unable to parse requirement: found '=', expected: ',', ')' or identifier"],
    ['!', "unable to parse requirement: found '', expected: identifier"],
    ['a=(', "unable to parse requirement: found '(', expected: identifier"],
    ['a>b', "unable to parse requirement: values[0]: Invalid value: \"b\": for 'Gt', 'Lt' operators, the value must be an integer"],
    [
      'a=b c',
      "found 'c', expected: ',' or 'end of string'",
    ],
    [
      'a=-b',
      'unable to parse requirement: values[0][a]: Invalid value: "-b": a valid label must be an empty string or consist of alphanumeric characters, \'-\', \'_\' or \'.\', and must start and end with an alphanumeric character (e.g. \'MyValue\',  or \'my_value\',  or \'12345\', regex used for validation is \'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?\')',
    ],
    [
      '-a=b',
      "unable to parse requirement: <nil>: Invalid value: \"-a\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
    ],
  ])('rejects %j', (sel, message) => {
    let caught: unknown;
    try {
      parseLabelSelector(sel);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(BadRequestError);
    expect((caught as Error).message).toBe(message);
  });
});

describe('labelSelectorFromObject', () => {
  it('ANDs matchLabels and matchExpressions', () => {
    const m = labelSelectorFromObject({
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['fe', 'be'] },
        { key: 'canary', operator: 'DoesNotExist' },
        { key: 'zone', operator: 'Exists' },
        { key: 'env', operator: 'NotIn', values: ['prod'] },
      ],
    });
    expect(m.matches({ app: 'web', tier: 'fe', zone: 'a' })).toBe(true);
    expect(m.matches({ app: 'web', tier: 'fe', zone: 'a', canary: '1' })).toBe(false);
    expect(m.matches({ app: 'web', tier: 'fe' })).toBe(false);
    expect(m.matches({ app: 'web', tier: 'fe', zone: 'a', env: 'prod' })).toBe(false);
    expect(m.toString()).toBe('app=web,!canary,env notin (prod),tier in (be,fe),zone');
  });

  it('selects nothing for nil and everything for {}', () => {
    expect(labelSelectorFromObject(undefined).matches({})).toBe(false);
    expect(labelSelectorFromObject(null).nothing).toBe(true);
    expect(labelSelectorFromObject({}).matches({ a: 'b' })).toBe(true);
    expect(labelSelectorFromSet({}).matches({ a: 'b' })).toBe(true);
    expect(labelSelectorFromSet({ a: 'b' }).matches({ a: 'c' })).toBe(false);
  });

  it('rejects an unknown operator and invalid values', () => {
    expect(() => labelSelectorFromObject({ matchExpressions: [{ key: 'a', operator: 'Equals', values: ['b'] }] })).toThrow(
      '"Equals" is not a valid label selector operator',
    );
    expect(() => labelSelectorFromObject({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] })).toThrow(
      "values: Invalid value: []: for 'in', 'notin' operators, values set can't be empty",
    );
    expect(() => labelSelectorFromObject({ matchLabels: { a: 'b c' } })).toThrow(BadRequestError);
  });

  it('formats as kubectl shows it', () => {
    expect(formatLabelSelector({ matchLabels: { app: 'web' } })).toBe('app=web');
    expect(formatLabelSelector({ matchLabels: { b: '2', a: '1' } })).toBe('a=1,b=2');
    expect(formatLabelSelector({})).toBe('<none>');
    expect(formatLabelSelector(undefined)).toBe('<none>');
    expect(formatLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Bogus' }] })).toBe('<error>');
    expect(labelSelectorString({ matchLabels: { app: 'web' } })).toBe('app=web');
    expect(labelSelectorString(undefined)).toBe('');
  });
});
