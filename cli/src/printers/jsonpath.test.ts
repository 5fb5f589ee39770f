import { describe, expect, it } from 'vitest';
import { executeJsonPath } from './jsonpath.js';

const list = {
  kind: 'List',
  items: [
    { metadata: { name: 'a', labels: { app: 'web' } }, status: { podIP: '10.0.0.1', conditions: [{ type: 'Ready', status: 'True' }] } },
    { metadata: { name: 'b' }, status: { podIP: '10.0.0.2', conditions: [{ type: 'Ready', status: 'False' }] } },
  ],
};

describe('jsonpath', () => {
  it('joins several results with a space', () => {
    expect(executeJsonPath('{.items[*].metadata.name}', list)).toBe('a b');
  });
  it('ranges with literals', () => {
    expect(executeJsonPath('{range .items[*]}{.metadata.name}={.status.podIP}{"\\n"}{end}', list)).toBe('a=10.0.0.1\nb=10.0.0.2\n');
  });
  it('indexes, negative indexes, slices and quoted keys', () => {
    expect(executeJsonPath('{.items[0].metadata.name}', list)).toBe('a');
    expect(executeJsonPath('{.items[-1].metadata.name}', list)).toBe('b');
    expect(executeJsonPath("{.items[0].metadata.labels['app']}", list)).toBe('web');
    expect(executeJsonPath('{.items[0:1].metadata.name}', list)).toBe('a');
  });
  it('filters', () => {
    expect(executeJsonPath('{.items[?(@.status.podIP=="10.0.0.2")].metadata.name}', list)).toBe('b');
    expect(executeJsonPath('{.items[0].status.conditions[?(@.type=="Ready")].status}', list)).toBe('True');
  });
  it('recursive descent and text around expressions', () => {
    expect(executeJsonPath('names: {..name}', list)).toBe('names: a b');
  });
  it('prints objects as JSON and missing fields as nothing', () => {
    expect(executeJsonPath('{.items[0].metadata.labels}', list)).toBe('{"app":"web"}');
    expect(executeJsonPath('{.items[1].metadata.labels}', list)).toBe('');
  });
  it('rejects unbalanced templates', () => {
    expect(() => executeJsonPath('{range .items[*]}{.metadata.name}', list)).toThrow(/unclosed range/);
    expect(() => executeJsonPath('{.items', list)).toThrow(/unclosed action/);
  });
});
