// Works out the container's process (argv, env, cwd, user) from the CRI
// request and the image config, with the same precedence as containerd:
// command replaces the entrypoint, args replace the image's cmd.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type * as P from '@wharf/proto';
import { InvalidArgumentError } from '../errors.js';
import { DEFAULT_PATH } from '../oci/defaults.js';
import type { ImageRuntimeConfig } from './image-resolver.js';

export interface ProcessConfig {
  args: string[];
  env: string[];
  cwd: string;
  uid: number;
  gid: number;
  additionalGids: number[];
}

export function processConfig(
  config: P.ContainerConfig,
  image: ImageRuntimeConfig,
  rootfs: string,
  hostname: string,
): ProcessConfig {
  let args: string[];
  if (config.command.length > 0) args = [...config.command, ...config.args];
  else args = [...(image.Entrypoint ?? []), ...(config.args.length > 0 ? config.args : (image.Cmd ?? []))];
  if (args.length === 0) throw new InvalidArgumentError('no command: the request and the image name none');

  const env = new Map<string, string>();
  env.set('PATH', DEFAULT_PATH);
  for (const kv of image.Env ?? []) {
    const eq = kv.indexOf('=');
    if (eq > 0) env.set(kv.slice(0, eq), kv.slice(eq + 1));
  }
  env.set('HOSTNAME', hostname);
  for (const kv of config.envs) {
    if (!kv.key || kv.key.includes('=') || kv.key.includes('\0')) throw new InvalidArgumentError(`invalid env name ${JSON.stringify(kv.key)}`);
    env.set(kv.key, kv.value);
  }

  const cwd = config.working_dir || image.WorkingDir || '/';
  if (!path.isAbsolute(cwd)) throw new InvalidArgumentError(`working_dir ${JSON.stringify(cwd)} must be absolute`);

  const sc = config.linux?.security_context;
  let uid = 0;
  let gid = 0;
  let user = image.User ?? '';
  if (sc?.run_as_username) user = sc.run_as_username;
  if (sc?.run_as_user) user = String(sc.run_as_user.value);
  if (user) ({ uid, gid } = resolveUser(user, rootfs));
  if (sc?.run_as_group) gid = sc.run_as_group.value;
  return {
    args,
    env: [...env].map(([k, v]) => `${k}=${v}`),
    cwd,
    uid,
    gid,
    additionalGids: sc?.supplemental_groups ?? [],
  };
}

/** "uid", "uid:gid", "name" or "name:group", names looked up in the image's /etc files. */
function resolveUser(spec: string, rootfs: string): { uid: number; gid: number } {
  const [u = '', g] = spec.split(':');
  let uid: number;
  let gid = 0;
  if (/^\d+$/.test(u)) {
    uid = Number(u);
    const entry = readDb(rootfs, 'passwd').find((f) => f[2] === u);
    if (entry) gid = Number(entry[3]);
  } else {
    const entry = readDb(rootfs, 'passwd').find((f) => f[0] === u);
    if (!entry) throw new InvalidArgumentError(`user ${JSON.stringify(u)} not found in the image's /etc/passwd`);
    uid = Number(entry[2]);
    gid = Number(entry[3]);
  }
  if (g !== undefined) {
    if (/^\d+$/.test(g)) gid = Number(g);
    else {
      const entry = readDb(rootfs, 'group').find((f) => f[0] === g);
      if (!entry) throw new InvalidArgumentError(`group ${JSON.stringify(g)} not found in the image's /etc/group`);
      gid = Number(entry[2]);
    }
  }
  return { uid, gid };
}

function readDb(rootfs: string, name: string): string[][] {
  try {
    return readFileSync(path.join(rootfs, 'etc', name), 'utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => l.split(':'));
  } catch {
    return [];
  }
}
