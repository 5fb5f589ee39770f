import { mkdtempSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCidr } from './cidr.js';
import { Ipam } from './ipam.js';

describe('Ipam', () => {
  it('allocates distinct addresses, persists them, and frees only the owner\'s', async () => {
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'ipam-')), 'ipam');
    const cidr = parseCidr('10.0.0.0/29'); // .2 … .6 usable for pods
    const ipam = new Ipam(dir, cidr);
    await ipam.init();
    const ips = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((o) => ipam.allocate(o)));
    expect(new Set(ips).size).toBe(5);
    expect(ips.every((ip) => /^10\.0\.0\.[2-6]$/.test(ip))).toBe(true);
    await expect(ipam.allocate('f')).rejects.toThrow(/no free address/);

    // A new allocator over the same directory (a restarted runtime) sees them.
    const again = new Ipam(dir, cidr);
    await again.init();
    expect((await again.allocated()).size).toBe(5);
    await again.release(ips[0]!, 'someone-else');
    expect((await again.allocated()).has(ips[0]!)).toBe(true);
    await again.release(ips[0]!, 'a');
    expect(await again.allocate('g')).toBe(ips[0]);
    await fs.rm(path.dirname(dir), { recursive: true, force: true });
  });
});
