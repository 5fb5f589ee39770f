// Reads usage and OOM events from the cgroups runc created, on either cgroup
// v1 (this machine: one hierarchy per controller, possibly split cpu and
// cpuacct) or the unified v2 hierarchy. `cgroupPath` is always the path
// relative to the hierarchy root, e.g. `/wharf/pod-<id>/<ctr-id>`.
import { promises as fs, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';

export type CgroupVersion = 1 | 2;

export interface CgroupUsage {
  cpuUsageNs: number;
  memoryUsageBytes: number;
  workingSetBytes: number;
  rssBytes: number;
  pageFaults: number;
  majorPageFaults: number;
  pids: number;
}

const CONTROLLERS = ['cpu', 'cpuacct', 'memory', 'pids', 'cpuset', 'blkio', 'devices', 'freezer', 'net_cls', 'perf_event', 'hugetlb'];

export class Cgroups {
  private constructor(
    readonly version: CgroupVersion,
    /** v1: controller → mount point; v2: '' → the unified mount. */
    private readonly mounts: Map<string, string>,
  ) {}

  static detect(mountinfo = readFileSync('/proc/self/mountinfo', 'utf8')): Cgroups {
    const v1 = new Map<string, string>();
    let unified: string | undefined;
    for (const line of mountinfo.split('\n')) {
      const sep = line.indexOf(' - ');
      if (sep < 0) continue;
      const left = line.slice(0, sep).split(' ');
      const right = line.slice(sep + 3).split(' ');
      const mountPoint = left[4];
      const fsType = right[0];
      const superOpts = right[2] ?? '';
      if (!mountPoint) continue;
      if (fsType === 'cgroup2') unified ??= mountPoint;
      if (fsType === 'cgroup') {
        for (const opt of superOpts.split(',')) if (CONTROLLERS.includes(opt) && !v1.has(opt)) v1.set(opt, mountPoint);
      }
    }
    // A pure v2 host has cgroup.controllers at the unified root; a hybrid one
    // keeps the controllers on v1 and only an empty v2 tree for systemd.
    if (unified && existsSync(path.join(unified, 'cgroup.controllers')) && v1.size === 0) {
      return new Cgroups(2, new Map([['', unified]]));
    }
    return new Cgroups(1, v1);
  }

  private dir(controller: string, cgroupPath: string): string | undefined {
    const mount = this.version === 2 ? this.mounts.get('') : this.mounts.get(controller);
    return mount ? path.join(mount, cgroupPath) : undefined;
  }

  async usage(cgroupPath: string): Promise<CgroupUsage> {
    return this.version === 2 ? this.usageV2(cgroupPath) : this.usageV1(cgroupPath);
  }

  private async usageV1(p: string): Promise<CgroupUsage> {
    const cpuacct = this.dir('cpuacct', p);
    const memory = this.dir('memory', p);
    const pids = this.dir('pids', p);
    const cpuUsageNs = cpuacct ? await readNumber(path.join(cpuacct, 'cpuacct.usage')) : 0;
    const memoryUsageBytes = memory ? await readNumber(path.join(memory, 'memory.usage_in_bytes')) : 0;
    const stat = memory ? await readFlatKeyed(path.join(memory, 'memory.stat')) : new Map<string, number>();
    const inactiveFile = stat.get('total_inactive_file') ?? 0;
    return {
      cpuUsageNs,
      memoryUsageBytes,
      workingSetBytes: Math.max(0, memoryUsageBytes - inactiveFile),
      rssBytes: stat.get('total_rss') ?? 0,
      pageFaults: stat.get('total_pgfault') ?? 0,
      majorPageFaults: stat.get('total_pgmajfault') ?? 0,
      pids: pids ? await readNumber(path.join(pids, 'pids.current')) : 0,
    };
  }

  private async usageV2(p: string): Promise<CgroupUsage> {
    const dir = this.dir('', p);
    if (!dir) return emptyUsage();
    const cpu = await readFlatKeyed(path.join(dir, 'cpu.stat'));
    const memoryUsageBytes = await readNumber(path.join(dir, 'memory.current'));
    const stat = await readFlatKeyed(path.join(dir, 'memory.stat'));
    return {
      cpuUsageNs: (cpu.get('usage_usec') ?? 0) * 1000,
      memoryUsageBytes,
      workingSetBytes: Math.max(0, memoryUsageBytes - (stat.get('inactive_file') ?? 0)),
      rssBytes: stat.get('anon') ?? 0,
      pageFaults: stat.get('pgfault') ?? 0,
      majorPageFaults: stat.get('pgmajfault') ?? 0,
      pids: await readNumber(path.join(dir, 'pids.current')),
    };
  }

  /** How many processes the kernel's OOM killer has killed in this cgroup. */
  async oomKills(cgroupPath: string): Promise<number> {
    if (this.version === 2) {
      const dir = this.dir('', cgroupPath);
      return dir ? ((await readFlatKeyed(path.join(dir, 'memory.events'))).get('oom_kill') ?? 0) : 0;
    }
    const dir = this.dir('memory', cgroupPath);
    return dir ? ((await readFlatKeyed(path.join(dir, 'memory.oom_control'))).get('oom_kill') ?? 0) : 0;
  }

  /**
   * Removes a (now empty) cgroup in every hierarchy; with `recursive`, its
   * empty descendants too. Busy cgroups stay (rmdir refuses them).
   */
  async remove(cgroupPath: string, recursive = true): Promise<void> {
    if (cgroupPath === '/' || cgroupPath === '') return;
    const roots = this.version === 2 ? [this.mounts.get('')] : [...new Set(this.mounts.values())];
    // The hierarchies are independent; rmdir in each can proceed at once.
    await Promise.all(
      roots.map(async (root) => {
        if (!root) return;
        if (recursive) await removeTree(path.join(root, cgroupPath));
        else await fs.rmdir(path.join(root, cgroupPath)).catch(() => undefined);
      }),
    );
  }
}

async function removeTree(dir: string): Promise<void> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) if (e.isDirectory()) await removeTree(path.join(dir, e.name));
  await fs.rmdir(dir).catch(() => undefined);
}

function emptyUsage(): CgroupUsage {
  return { cpuUsageNs: 0, memoryUsageBytes: 0, workingSetBytes: 0, rssBytes: 0, pageFaults: 0, majorPageFaults: 0, pids: 0 };
}

async function readNumber(file: string): Promise<number> {
  try {
    const n = Number((await fs.readFile(file, 'utf8')).trim());
    return Number.isFinite(n) ? n : 0;
  } catch {
    return 0;
  }
}

async function readFlatKeyed(file: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch {
    return out;
  }
  for (const line of text.split('\n')) {
    const [k, v] = line.trim().split(/\s+/);
    if (k && v !== undefined) out.set(k, Number(v));
  }
  return out;
}
