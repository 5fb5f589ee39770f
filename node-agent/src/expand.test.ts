import { describe, expect, it } from 'vitest';
import { expand } from './expand.js';

describe('expand', () => {
  const vars: Record<string, string> = { A: 'x', B: 'y z' };
  const look = (n: string) => vars[n];
  it('replaces defined variables and keeps the rest', () => {
    expect(expand('echo $(A) $(B) $(C)', look)).toBe('echo x y z $(C)');
  });
  it('treats $$ as an escaped dollar', () => {
    expect(expand('$$(A) $$ $', look)).toBe('$(A) $ $');
  });
  it('leaves an unterminated reference alone', () => {
    expect(expand('a $(A', look)).toBe('a $(A');
  });
});
