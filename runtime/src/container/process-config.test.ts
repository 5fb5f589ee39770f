import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ContainerConfig } from '@wharf/proto';
import { processConfig } from './process-config.js';

function config(extra: Partial<ContainerConfig> = {}): ContainerConfig {
  return {
    metadata: { name: 'c', attempt: 0 },
    image: { image: 'x', annotations: {} },
    command: [],
    args: [],
    working_dir: '',
    envs: [],
    mounts: [],
    labels: {},
    annotations: {},
    log_path: '',
    stdin: false,
    stdin_once: false,
    tty: false,
    linux: null,
    ...extra,
  };
}

describe('processConfig', () => {
  const rootfs = mkdtempSync(path.join(os.tmpdir(), 'rootfs-'));
  mkdirSync(path.join(rootfs, 'etc'));
  writeFileSync(path.join(rootfs, 'etc/passwd'), 'root:x:0:0::/root:/bin/sh\napp:x:1001:1002::/home/app:/bin/sh\n');
  writeFileSync(path.join(rootfs, 'etc/group'), 'root:x:0:\nstaff:x:50:\n');
  const image = { Entrypoint: ['/entry'], Cmd: ['default'], Env: ['PATH=/img/bin', 'A=image'], WorkingDir: '/srv', User: 'app' };

  it('follows the CRI precedence of command/args over entrypoint/cmd', () => {
    expect(processConfig(config(), image, rootfs, 'h').args).toEqual(['/entry', 'default']);
    expect(processConfig(config({ args: ['x'] }), image, rootfs, 'h').args).toEqual(['/entry', 'x']);
    expect(processConfig(config({ command: ['/bin/sh'], args: ['-c', 'true'] }), image, rootfs, 'h').args).toEqual(['/bin/sh', '-c', 'true']);
    expect(() => processConfig(config(), {}, rootfs, 'h')).toThrow(/no command/);
  });

  it('merges env, resolves the user from the image and picks the working dir', () => {
    const p = processConfig(config({ envs: [{ key: 'A', value: 'request' }] }), image, rootfs, 'pod-host');
    expect(p.env).toEqual(['PATH=/img/bin', 'A=request', 'HOSTNAME=pod-host']);
    expect(p).toMatchObject({ uid: 1001, gid: 1002, cwd: '/srv' });
    const sc = { run_as_user: { value: 0 }, run_as_group: { value: 50 } } as NonNullable<ContainerConfig['linux']>['security_context'];
    expect(processConfig(config({ linux: { resources: null, security_context: sc } }), image, rootfs, 'h')).toMatchObject({ uid: 0, gid: 50 });
    expect(processConfig(config(), { ...image, User: 'app:staff' }, rootfs, 'h')).toMatchObject({ uid: 1001, gid: 50 });
    expect(() => processConfig(config(), { ...image, User: 'ghost' }, rootfs, 'h')).toThrow(/not found/);
  });
});
