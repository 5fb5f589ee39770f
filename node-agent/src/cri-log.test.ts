import { describe, expect, it } from 'vitest';
import { formatLine, parseCriLog, selectLines } from './cri-log.js';

describe('CRI log parsing', () => {
  const text = [
    '2024-01-01T00:00:01.000000000Z stdout F one',
    '2024-01-01T00:00:02.000000000Z stderr P par',
    '2024-01-01T00:00:02.500000000Z stderr F tial',
    '2024-01-01T00:00:03.000000000Z stdout F three',
    '2024-01-01T00:00:04.0',
  ].join('\n');

  it('joins partial records and keeps an incomplete last line', () => {
    const { lines, rest } = parseCriLog(text);
    expect(lines.map((l) => l.text)).toEqual(['one', 'partial', 'three']);
    expect(lines[1]!.stream).toBe('stderr');
    expect(rest).toBe('2024-01-01T00:00:04.0');
  });

  it('applies tail, since and timestamps', () => {
    const { lines } = parseCriLog(text);
    expect(selectLines(lines, { tailLines: 2 }).map((l) => l.text)).toEqual(['partial', 'three']);
    expect(selectLines(lines, { sinceTime: Date.parse('2024-01-01T00:00:02.600Z') }).map((l) => l.text)).toEqual(['three']);
    expect(formatLine(lines[0]!, true)).toBe('2024-01-01T00:00:01.000000000Z one\n');
  });
});
