// Turns the caller's volume mounts into OCI bind mounts, refusing paths that
// could escape where the caller meant (`..` segments) or that do not exist.
import { statSync } from 'node:fs';
import path from 'node:path';
import type * as P from '@wharf/proto';
import { InvalidArgumentError } from '../errors.js';
import type { OciMount } from './defaults.js';

function checkPath(p: string, what: string): string {
  if (!p) throw new InvalidArgumentError(`${what} is required`);
  if (!path.isAbsolute(p)) throw new InvalidArgumentError(`${what} ${JSON.stringify(p)} must be absolute`);
  if (p.split('/').includes('..')) throw new InvalidArgumentError(`${what} ${JSON.stringify(p)} must not contain '..'`);
  if (p.includes('\0')) throw new InvalidArgumentError(`${what} contains a NUL byte`);
  const normal = path.normalize(p);
  return normal.length > 1 && normal.endsWith('/') ? normal.slice(0, -1) : normal;
}

const PROPAGATION: Record<P.MountPropagation, string> = {
  PROPAGATION_PRIVATE: 'rprivate',
  PROPAGATION_HOST_TO_CONTAINER: 'rslave',
  PROPAGATION_BIDIRECTIONAL: 'rshared',
};

export function volumeMounts(mounts: P.Mount[]): OciMount[] {
  const seen = new Set<string>();
  return mounts.map((m, i) => {
    const destination = checkPath(m.container_path, `mounts[${i}].container_path`);
    const source = checkPath(m.host_path, `mounts[${i}].host_path`);
    if (seen.has(destination)) throw new InvalidArgumentError(`mounts[${i}]: duplicate container path ${destination}`);
    seen.add(destination);
    try {
      statSync(source);
    } catch {
      throw new InvalidArgumentError(`mounts[${i}].host_path ${source} does not exist`);
    }
    const options = ['rbind', PROPAGATION[m.propagation] ?? 'rprivate', m.readonly ? 'ro' : 'rw'];
    return { destination, type: 'bind', source, options };
  });
}

/** The pod's /etc/hosts, /etc/hostname and /etc/resolv.conf, unless the caller mounts its own. */
export function podFileMounts(sandboxDir: string, volumes: OciMount[]): OciMount[] {
  const taken = new Set(volumes.map((v) => v.destination));
  return ['hosts', 'hostname', 'resolv.conf']
    .filter((f) => !taken.has(`/etc/${f}`))
    .map((f) => ({ destination: `/etc/${f}`, type: 'bind', source: path.join(sandboxDir, f), options: ['rbind', 'rprivate', 'rw'] }));
}
