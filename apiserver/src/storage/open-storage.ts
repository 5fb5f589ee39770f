// `--store` URLs: sqlite:PATH (relative or absolute; sqlite:///abs also accepted)
// and etcd://host:port[,host:port...][/prefix].
import { InvalidStorageUrlError } from './errors.js';
import type { Storage } from './interface.js';
import { openSqliteStorage, type SqliteStorageOptions } from './sqlite/sqlite-storage.js';

export type StorageUrl =
  | { backend: 'sqlite'; path: string }
  | { backend: 'etcd'; endpoints: string[]; prefix: string };

const HOST_PORT = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/;

export function parseStorageUrl(url: string): StorageUrl {
  if (url.startsWith('sqlite:')) {
    let path = url.slice('sqlite:'.length);
    if (path.startsWith('//')) path = path.slice(2); // sqlite:///abs/path
    if (path === '') throw new InvalidStorageUrlError(url, 'missing file path after sqlite:');
    return { backend: 'sqlite', path };
  }
  if (url.startsWith('etcd://')) {
    const rest = url.slice('etcd://'.length);
    const slash = rest.indexOf('/');
    const hosts = slash < 0 ? rest : rest.slice(0, slash);
    const prefix = slash < 0 ? '' : rest.slice(slash);
    if (hosts === '') throw new InvalidStorageUrlError(url, 'no etcd endpoint');
    const endpoints = hosts.split(',');
    for (const endpoint of endpoints) {
      const match = HOST_PORT.exec(endpoint);
      const port = match ? Number(match[2]) : 0;
      if (!match || port < 1 || port > 65535) {
        throw new InvalidStorageUrlError(url, `endpoint ${JSON.stringify(endpoint)} is not host:port`);
      }
    }
    return { backend: 'etcd', endpoints, prefix: prefix === '/' ? '' : prefix };
  }
  throw new InvalidStorageUrlError(url, 'unknown scheme');
}

export async function openStorage(
  url: string,
  sqliteOptions: Omit<SqliteStorageOptions, 'path'> = {},
): Promise<Storage> {
  const parsed = parseStorageUrl(url);
  if (parsed.backend === 'sqlite') return openSqliteStorage({ ...sqliteOptions, path: parsed.path });
  // etcd3 and gRPC cost ~26 MB of memory: load them only for an etcd store.
  const { openEtcdStorage } = await import('./etcd/etcd-storage.js');
  return openEtcdStorage({ endpoints: parsed.endpoints, prefix: parsed.prefix });
}
