import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidStorageUrlError } from './errors.js';
import { openStorage, parseStorageUrl } from './open-storage.js';

describe('parseStorageUrl', () => {
  it('accepts sqlite paths', () => {
    expect(parseStorageUrl('sqlite:/var/lib/wharf/state.db')).toEqual({ backend: 'sqlite', path: '/var/lib/wharf/state.db' });
    expect(parseStorageUrl('sqlite:data/state.db')).toEqual({ backend: 'sqlite', path: 'data/state.db' });
    expect(parseStorageUrl('sqlite:///abs/state.db')).toEqual({ backend: 'sqlite', path: '/abs/state.db' });
  });

  it('accepts etcd endpoint lists with an optional key prefix', () => {
    expect(parseStorageUrl('etcd://127.0.0.1:2379')).toEqual({ backend: 'etcd', endpoints: ['127.0.0.1:2379'], prefix: '' });
    expect(parseStorageUrl('etcd://a:1,b.example:2,[::1]:3/wharf')).toEqual({
      backend: 'etcd',
      endpoints: ['a:1', 'b.example:2', '[::1]:3'],
      prefix: '/wharf',
    });
  });

  it.each(['', 'sqlite:', 'etcd://', 'etcd://host', 'etcd://host:0', 'etcd://host:99999', 'etcd://a:1,,b:2', 'mysql://x', '/path/db'])(
    'rejects %j with InvalidStorageUrlError',
    (url) => {
      expect(() => parseStorageUrl(url)).toThrow(InvalidStorageUrlError);
    },
  );

  it('names the expected forms in the error', () => {
    expect(() => parseStorageUrl('postgres://db')).toThrow(/sqlite:PATH or etcd:\/\/host:port/);
  });
});

describe('openStorage', () => {
  it('opens a sqlite store from a URL', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wharf-open-storage-'));
    try {
      const s = await openStorage(`sqlite:${join(dir, 'sub', 'state.db')}`);
      expect(s.backend).toBe('sqlite');
      const kv = await s.create('/a', '1');
      expect((await s.get('/a')).kv).toEqual(kv);
      await s.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
