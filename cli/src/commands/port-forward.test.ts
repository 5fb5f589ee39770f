import { describe, expect, it } from 'vitest';
import { parsePortSpec } from './port-forward.js';

describe('parsePortSpec', () => {
  it('reads REMOTE, LOCAL:REMOTE and :REMOTE (a random local port)', () => {
    expect(parsePortSpec('8080')).toEqual({ local: 8080, remote: 8080 });
    expect(parsePortSpec('9000:80')).toEqual({ local: 9000, remote: 80 });
    expect(parsePortSpec(':80')).toEqual({ local: 0, remote: 80 });
  });
  it('rejects what is not a port', () => {
    expect(() => parsePortSpec('http')).toThrow(/not a valid port/);
    expect(() => parsePortSpec('70000')).toThrow(/not a valid port/);
  });
});
