// Raw options (CLI flags or a caller's object) are compiled once at start-up
// into a complete, validated object; nothing downstream applies defaults.
import path from 'node:path';
import { InvalidArgumentError } from './errors.js';
import { parseCidr, type Cidr } from './sandbox/cidr.js';

export interface RuntimeOptions {
  /** Persistent data: images, bundles, sandbox files. Default /var/lib/wharf. */
  root?: string;
  /** Volatile state: records, namespaces, runc state, exit files. Default /run/wharf. */
  state?: string;
  /** `unix:///path` to serve gRPC on. Default unix://<state>/runtime.sock. */
  listen?: string;
  /** Node bridge the pods' veths attach to. Default wharf0. */
  bridge?: string;
  /** This node's pod CIDR; the bridge takes the first address. Default 10.244.0.0/24. */
  podCIDR?: string;
  /** Cgroup under which every pod cgroup is created. Default /wharf. */
  cgroupParent?: string;
  runcPath?: string;
  conmonPath?: string;
  /** Log JSON lines to stderr (default true). */
  log?: boolean;
}

export interface CompiledOptions {
  root: string;
  state: string;
  socketPath: string;
  bridge: string;
  podCidr: Cidr;
  cgroupParent: string;
  runcPath: string;
  conmonPath: string;
  log: boolean;
}

export function compileOptions(raw: RuntimeOptions = {}): CompiledOptions {
  const root = path.resolve(raw.root ?? '/var/lib/wharf');
  const state = path.resolve(raw.state ?? '/run/wharf');
  const listen = raw.listen ?? `unix://${path.join(state, 'runtime.sock')}`;
  if (!listen.startsWith('unix://')) throw new InvalidArgumentError(`--listen must be unix:///path, got ${listen}`);
  const socketPath = path.resolve(listen.slice('unix://'.length));
  const bridge = raw.bridge ?? 'wharf0';
  if (!/^[A-Za-z0-9_.-]{1,15}$/.test(bridge)) throw new InvalidArgumentError(`invalid bridge name ${bridge}`);
  const podCidr = parseCidr(raw.podCIDR ?? '10.244.0.0/24');
  if (podCidr.prefix > 30) throw new InvalidArgumentError(`pod CIDR ${podCidr.text} is too small`);
  let cgroupParent = raw.cgroupParent ?? '/wharf';
  if (!cgroupParent.startsWith('/')) cgroupParent = `/${cgroupParent}`;
  if (cgroupParent.split('/').includes('..')) throw new InvalidArgumentError('cgroup parent must not contain ..');
  return {
    root,
    state,
    socketPath,
    bridge,
    podCidr,
    cgroupParent,
    runcPath: raw.runcPath ?? '/usr/sbin/runc',
    conmonPath: raw.conmonPath ?? '/usr/bin/conmon',
    log: raw.log ?? true,
  };
}
