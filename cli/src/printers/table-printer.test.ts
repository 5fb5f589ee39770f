import { describe, expect, it } from 'vitest';
import type { Table } from '../verbs/context.js';
import { printTable } from './table-printer.js';

const table: Table = {
  kind: 'Table',
  metadata: {},
  columnDefinitions: [
    { name: 'Name', type: 'string', format: 'name' },
    { name: 'Ready', type: 'string' },
    { name: 'Nominated Node', type: 'string', priority: 1 },
  ],
  rows: [{ cells: ['web-1', '1/1', null], object: { metadata: { name: 'web-1', namespace: 'shop', labels: { b: '2', a: '1' } } } }],
};

describe('printTable', () => {
  it('upper-cases headers, pads with three spaces and hides wide columns', () => {
    expect(printTable(table, {})).toBe('NAME    READY\nweb-1   1/1\n');
  });
  it('adds wide columns, NAMESPACE, kind prefixes and LABELS on request', () => {
    expect(printTable(table, { wide: true, withNamespace: true, kindPrefix: 'pod', showLabels: true })).toBe(
      'NAMESPACE   NAME        READY   NOMINATED NODE   LABELS\nshop        pod/web-1   1/1     <none>           a=1,b=2\n',
    );
  });
});
