import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Cgroups } from './cgroups.js';

function mountinfo(entries: Array<[string, string, string]>): string {
  return entries.map(([mp, type, opts], i) => `${30 + i} 1 0:${i} / ${mp} rw,relatime shared:${i} - ${type} ${type} ${opts}`).join('\n');
}

describe('Cgroups', () => {
  it('detects a hybrid v1 host with split cpu and cpuacct and reads usage', async () => {
    const base = mkdtempSync(path.join(os.tmpdir(), 'cg-'));
    const dirs = Object.fromEntries(['cpu', 'cpuacct', 'memory', 'pids', 'unified'].map((c) => [c, path.join(base, c)]));
    const cg = Cgroups.detect(
      mountinfo([
        [dirs.cpu!, 'cgroup', 'rw,cpu'],
        [dirs.cpuacct!, 'cgroup', 'rw,cpuacct'],
        [dirs.memory!, 'cgroup', 'rw,memory'],
        [dirs.pids!, 'cgroup', 'rw,pids'],
        [dirs.unified!, 'cgroup2', 'rw'],
      ]),
    );
    expect(cg.version).toBe(1);
    const p = '/wharf/pod-1/c1';
    for (const d of Object.values(dirs)) mkdirSync(path.join(d, p), { recursive: true });
    writeFileSync(path.join(dirs.cpuacct!, p, 'cpuacct.usage'), '123456789\n');
    writeFileSync(path.join(dirs.memory!, p, 'memory.usage_in_bytes'), '10000000\n');
    writeFileSync(path.join(dirs.memory!, p, 'memory.stat'), 'cache 1\ntotal_inactive_file 4000000\ntotal_rss 5000000\n');
    writeFileSync(path.join(dirs.memory!, p, 'memory.oom_control'), 'oom_kill_disable 0\nunder_oom 0\noom_kill 2\n');
    writeFileSync(path.join(dirs.pids!, p, 'pids.current'), '7\n');
    const u = await cg.usage(p);
    expect(u).toMatchObject({ cpuUsageNs: 123456789, memoryUsageBytes: 10_000_000, workingSetBytes: 6_000_000, rssBytes: 5_000_000, pids: 7 });
    expect(await cg.oomKills(p)).toBe(2);
  });

  it('detects a pure v2 host and reads usage from the unified tree', async () => {
    const base = mkdtempSync(path.join(os.tmpdir(), 'cg2-'));
    writeFileSync(path.join(base, 'cgroup.controllers'), 'cpu memory pids\n');
    const cg = Cgroups.detect(mountinfo([[base, 'cgroup2', 'rw']]));
    expect(cg.version).toBe(2);
    const dir = path.join(base, 'wharf/c');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'cpu.stat'), 'usage_usec 2500\nuser_usec 2000\n');
    writeFileSync(path.join(dir, 'memory.current'), '9000\n');
    writeFileSync(path.join(dir, 'memory.stat'), 'anon 3000\ninactive_file 1000\n');
    writeFileSync(path.join(dir, 'memory.events'), 'low 0\noom 1\noom_kill 1\n');
    writeFileSync(path.join(dir, 'pids.current'), '3\n');
    expect(await cg.usage('/wharf/c')).toMatchObject({ cpuUsageNs: 2_500_000, workingSetBytes: 8000, rssBytes: 3000, pids: 3 });
    expect(await cg.oomKills('/wharf/c')).toBe(1);
  });
});
