// Pod IP allocation from the node's pod CIDR. One file per allocated address
// (named by the address, holding the sandbox id), created with O_EXCL, so the
// allocation survives a runtime restart and two allocations can never collide.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ResourceExhaustedError } from '../errors.js';
import { intToIp, type Cidr } from './cidr.js';

export class Ipam {
  /** Next address to try: rotating avoids handing a just-freed IP straight back. */
  private cursor: number;

  constructor(
    private readonly dir: string,
    private readonly cidr: Cidr,
  ) {
    this.cursor = cidr.gateway + 1;
  }

  async init(): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true });
  }

  async allocate(owner: string): Promise<string> {
    const first = this.cidr.gateway + 1;
    const count = this.cidr.last - first + 1;
    const start = this.cursor;
    for (let i = 0; i < count; i++) {
      const n = first + ((start - first + i) % count);
      const ip = intToIp(n);
      try {
        await fs.writeFile(path.join(this.dir, ip), owner, { flag: 'wx' });
        this.cursor = n + 1 > this.cidr.last ? first : n + 1;
        return ip;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
    }
    throw new ResourceExhaustedError(`no free address left in pod CIDR ${this.cidr.text}`);
  }

  /** Frees an address if `owner` holds it (a stale release never frees someone else's IP). */
  async release(ip: string, owner: string): Promise<void> {
    const file = path.join(this.dir, ip);
    const holder = await fs.readFile(file, 'utf8').catch(() => undefined);
    if (holder === owner) await fs.rm(file, { force: true });
  }

  async allocated(): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const ip of await fs.readdir(this.dir)) {
      out.set(ip, await fs.readFile(path.join(this.dir, ip), 'utf8').catch(() => ''));
    }
    return out;
  }
}
