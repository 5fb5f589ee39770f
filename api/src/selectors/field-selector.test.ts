import { describe, expect, it } from 'vitest';
import { BadRequestError } from '../errors.js';
import { parseFieldSelector } from './field-selector.js';

const pod = { 'metadata.name': 'web-1', 'metadata.namespace': 'default', 'spec.nodeName': 'node-a', 'status.phase': 'Running' };

describe('parseFieldSelector', () => {
  it.each<[string, boolean]>([
    ['', true],
    ['metadata.name=web-1', true],
    ['metadata.name==web-1', true],
    ['metadata.name=web-2', false],
    ['status.phase!=Running', false],
    ['status.phase!=Pending', true],
    ['spec.nodeName=node-a,status.phase=Running', true],
    ['spec.nodeName=node-a,status.phase=Failed', false],
    ['spec.nodeName=', false],
    ['spec.nodeName!=', true],
    ['spec.schedulerName=', true],
  ])('%j → %s', (sel, expected) => {
    expect(parseFieldSelector(sel).matches(pod)).toBe(expected);
  });

  it('unescapes values and prints the canonical form', () => {
    const m = parseFieldSelector('metadata.name=a\\,b,status.phase!=x\\=y');
    expect(m.matches({ 'metadata.name': 'a,b', 'status.phase': 'q' })).toBe(true);
    expect(m.toString()).toBe('metadata.name=a\\,b,status.phase!=x\\=y');
    expect(parseFieldSelector('spec.nodeName=n1').requiresExactMatch('spec.nodeName')).toBe('n1');
  });

  it.each<[string, string]>([
    ['metadata.name', "invalid selector: 'metadata.name'; can't understand 'metadata.name'"],
    ['a=b,c', "invalid selector: 'a=b,c'; can't understand 'c'"],
    ['a=b\\x', 'invalid field selector: invalid escape sequence: \\x'],
    ['a=b\\', 'invalid field selector: invalid escape sequence: \\'],
    ['a=b=c', 'invalid field selector: unescaped character in value: 61'],
  ])('rejects %j', (sel, message) => {
    expect(() => parseFieldSelector(sel)).toThrow(BadRequestError);
    expect(() => parseFieldSelector(sel)).toThrow(message);
  });

  it('rejects fields outside the allowed set with Kubernetes message', () => {
    expect(() => parseFieldSelector('foo=bar', ['metadata.name'])).toThrow('field label not supported: foo');
    expect(parseFieldSelector('metadata.name=x', ['metadata.name']).empty).toBe(false);
  });
});
