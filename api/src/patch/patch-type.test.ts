import { describe, expect, it } from 'vitest';
import { UnsupportedMediaTypeError } from '../errors.js';
import { schemaFor } from '../schema/index.js';
import { applyPatch, patchTypeOf } from './patch-type.js';

describe('patchTypeOf', () => {
  it('maps the four patch content types, ignoring parameters and case', () => {
    expect(patchTypeOf('application/json-patch+json')).toBe('json');
    expect(patchTypeOf('application/merge-patch+json; charset=utf-8')).toBe('merge');
    expect(patchTypeOf('Application/Strategic-Merge-Patch+JSON')).toBe('strategic');
    expect(patchTypeOf('application/apply-patch+yaml')).toBe('apply');
  });

  it('answers 415 for other types, and for strategic patches on kinds without a schema', () => {
    expect(() => patchTypeOf('application/json')).toThrow(UnsupportedMediaTypeError);
    expect(() => patchTypeOf(undefined)).toThrow('accepted media types include: application/json-patch+json');
    expect(() => patchTypeOf('application/strategic-merge-patch+json', { strategic: false })).toThrow(UnsupportedMediaTypeError);
  });
});

describe('applyPatch', () => {
  const pod = { spec: { containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'y' }] } };
  const schema = schemaFor('', 'Pod')!.schema;

  it('merges containers by name for strategic patches and replaces the list for merge patches', () => {
    const patch = { spec: { containers: [{ name: 'b', image: 'z' }] } };
    expect(applyPatch('strategic', pod, patch, schema)).toEqual({ spec: { containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'z' }] } });
    expect(applyPatch('merge', pod, patch, schema)).toEqual(patch);
    expect(applyPatch('json', pod, [{ op: 'remove', path: '/spec/containers/0' }], schema)).toEqual({ spec: { containers: [{ name: 'b', image: 'y' }] } });
    expect(() => applyPatch('strategic', pod, patch, undefined)).toThrow(UnsupportedMediaTypeError);
  });
});
