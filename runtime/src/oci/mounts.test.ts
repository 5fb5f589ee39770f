import os from 'node:os';
import { describe, expect, it } from 'vitest';
import type { Mount } from '@wharf/proto';
import { volumeMounts } from './mounts.js';

const m = (container_path: string, host_path: string, readonly = false): Mount => ({
  container_path,
  host_path,
  readonly,
  selinux_relabel: false,
  propagation: 'PROPAGATION_PRIVATE',
});

describe('volume mounts', () => {
  it('turns volumes into rbind mounts', () => {
    expect(volumeMounts([m('/data', os.tmpdir(), true)])).toEqual([
      { destination: '/data', type: 'bind', source: os.tmpdir(), options: ['rbind', 'rprivate', 'ro'] },
    ]);
  });

  it('rejects escaping, relative, missing and duplicate paths', () => {
    expect(() => volumeMounts([m('/data', '/tmp/../etc')])).toThrow(/must not contain '\.\.'/);
    expect(() => volumeMounts([m('/a/../../b', '/tmp')])).toThrow(/must not contain '\.\.'/);
    expect(() => volumeMounts([m('/data', 'tmp')])).toThrow(/absolute/);
    expect(() => volumeMounts([m('data', '/tmp')])).toThrow(/absolute/);
    expect(() => volumeMounts([m('/data', '/no/such/dir/for/wharf')])).toThrow(/does not exist/);
    expect(() => volumeMounts([m('/data', '/tmp'), m('/data/', '/tmp')])).toThrow(/duplicate/);
  });
});
