import { describe, expect, it } from 'vitest';
import { FieldSet, difference, intersection, union } from './field-set.js';

const set = (raw: Record<string, unknown>) => FieldSet.fromFieldsV1(raw);

describe('FieldSet operations', () => {
  const a = set({ 'f:spec': { 'f:replicas': {}, 'f:template': { 'f:metadata': { 'f:labels': { 'f:app': {} } } } }, 'f:metadata': { 'f:labels': { 'f:x': {} } } });
  const b = set({ 'f:spec': { 'f:template': { 'f:metadata': { 'f:labels': { 'f:app': {} } } } } });

  it('difference drops subtrees left without members', () => {
    const d = difference(a, b);
    expect(d.toFieldsV1()).toEqual({ 'f:metadata': { 'f:labels': { 'f:x': {} } }, 'f:spec': { 'f:replicas': {} } });
    expect(d.children.get('f:spec')?.children.has('f:template')).toBe(false);
  });

  it('intersection keeps only shared members, compacted', () => {
    const i = intersection(a, b);
    expect(i.toFieldsV1()).toEqual({ 'f:spec': { 'f:template': { 'f:metadata': { 'f:labels': { 'f:app': {} } } } } });
    expect(i.children.has('f:metadata')).toBe(false);
  });

  it('union of a set with an empty branch has no empty nodes', () => {
    const withEmpty = new FieldSet();
    withEmpty.child('f:status').child('f:phase');
    const u = union(b, withEmpty);
    expect(u.children.has('f:status')).toBe(false);
    expect(u.toFieldsV1()).toEqual(b.toFieldsV1());
  });

  it('toFieldsV1 skips empty nodes of an uncompacted set and marks members with children', () => {
    const s = new FieldSet();
    s.child('f:a').child('f:b');
    const c = s.child('f:c');
    c.member = true;
    c.child('f:d').member = true;
    expect(s.toFieldsV1()).toEqual({ 'f:c': { '.': {}, 'f:d': {} } });
    expect(Object.keys(s.toFieldsV1()['f:c'] as object)).toEqual(['.', 'f:d']);
  });
});
