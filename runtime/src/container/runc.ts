// Thin driver over the runc CLI. Every call names the runtime's own runc
// state root so Wharf's containers never mix with anyone else's.
import { constants, openSync, promises as fs } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { RuntimeError } from '../errors.js';
import { runCommand, runChecked } from '../util/command.js';
import type { ResourceLimits } from '../oci/spec.js';

export interface RuncState {
  id: string;
  pid: number;
  status: 'creating' | 'created' | 'running' | 'paused' | 'stopped';
}

export class Runc {
  constructor(
    readonly path: string,
    readonly root: string,
  ) {}

  private args(...rest: string[]): string[] {
    return ['--root', this.root, ...rest];
  }

  /**
   * `runc start` does nothing but open the container's exec fifo, read the
   * byte `runc init` writes there (which lets init exec the user process) and
   * delete the fifo; doing the same here saves starting a Go binary per
   * container. The fifo is opened non-blocking: a blocked writer (init) is
   * already counted, so an immediate EOF means init is gone.
   */
  async start(id: string): Promise<void> {
    const fifo = path.join(this.root, id, 'exec.fifo');
    let fd: number;
    try {
      fd = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new RuntimeError(`container ${id} was already started`);
      throw err;
    }
    const data = await new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      const sock = new net.Socket({ fd, readable: true, writable: false });
      sock.on('data', (d: Buffer) => chunks.push(d));
      sock.on('error', reject);
      sock.on('end', () => {
        sock.destroy();
        resolve(Buffer.concat(chunks));
      });
    });
    if (data.length === 0) throw new RuntimeError(`container ${id} is not waiting to start (its init process is gone)`);
    await fs.rm(fifo, { force: true });
  }

  /** Resolves false when the container is already gone. */
  async kill(id: string, signal: string, all = false): Promise<boolean> {
    const res = await runCommand(this.path, this.args('kill', ...(all ? ['--all'] : []), id, signal));
    return res.code === 0;
  }

  async delete(id: string, force = false): Promise<void> {
    await runCommand(this.path, this.args('delete', ...(force ? ['--force'] : []), id));
  }

  async state(id: string): Promise<RuncState | undefined> {
    const res = await runCommand(this.path, this.args('state', id));
    if (res.code !== 0) return undefined;
    return JSON.parse(res.stdout.toString()) as RuncState;
  }

  async update(id: string, r: ResourceLimits): Promise<void> {
    const flags: string[] = [];
    if (r.memoryLimitBytes && r.memoryLimitBytes > 0) flags.push('--memory', String(r.memoryLimitBytes), '--memory-swap', String(r.memoryLimitBytes));
    if (r.cpuQuota && r.cpuQuota > 0) flags.push('--cpu-quota', String(r.cpuQuota));
    if (r.cpuPeriod && r.cpuPeriod > 0) flags.push('--cpu-period', String(r.cpuPeriod));
    if (r.cpuShares && r.cpuShares > 0) flags.push('--cpu-share', String(r.cpuShares));
    if (r.pidsLimit && r.pidsLimit > 0) flags.push('--pids-limit', String(r.pidsLimit));
    if (r.cpusetCpus) flags.push('--cpuset-cpus', r.cpusetCpus);
    if (r.cpusetMems) flags.push('--cpuset-mems', r.cpusetMems);
    if (flags.length === 0) return;
    await runChecked(this.path, this.args('update', ...flags, id));
  }

  /** argv for `runc exec` in the foreground; the caller spawns it to own the stdio. */
  execArgv(id: string, cmd: string[], opts: { tty: boolean; pidFile: string }): string[] {
    return this.args('exec', ...(opts.tty ? ['--tty'] : []), '--pid-file', opts.pidFile, id, ...cmd);
  }
}
