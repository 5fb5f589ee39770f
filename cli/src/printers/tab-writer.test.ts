import { describe, expect, it } from 'vitest';
import { DescribeWriter, TabWriter } from './tab-writer.js';

describe('TabWriter', () => {
  it('pads a column to its widest cell among consecutive lines that have it', () => {
    const tw = new TabWriter(2);
    tw.write('Name:\tweb');
    tw.write('Service Account:\tdefault');
    tw.write('Containers:');
    tw.write('  c:\tx');
    expect(tw.toString()).toBe('Name:             web\nService Account:  default\nContainers:\n  c:  x');
  });
  it('keeps the padding of an empty last cell, as Go’s tabwriter does', () => {
    const tw = new TabWriter(2);
    tw.write('IP:\t');
    tw.write('Node:\tn1');
    expect(tw.toString()).toBe('IP:    \nNode:  n1');
  });
});

describe('DescribeWriter', () => {
  it('writes maps one key per line under the first', () => {
    const w = new DescribeWriter();
    w.line(0, 'Name:', 'x');
    w.map(0, 'Labels:', { b: '2', a: '1' });
    w.map(0, 'Annotations:', {}, undefined, ': ');
    expect(w.toString()).toBe('Name:         x\nLabels:       a=1\n              b=2\nAnnotations:  <none>\n');
  });
});
