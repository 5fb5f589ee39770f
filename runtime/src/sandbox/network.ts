// The pod's namespaces and network: network, UTS and IPC namespaces created
// by unshare(1) and kept alive by bind mounts under <state>/netns (as
// `ip netns add` does), a veth pair whose host end joins the node bridge, the
// pod IP on eth0, loopback up and a default route via the bridge. Everything
// for one pod happens in a single shell script to keep process spawns (the
// dominant cost) down.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { runChecked, runCommand } from '../util/command.js';
import { intToIp, type Cidr } from './cidr.js';

export interface PodNamespaces {
  net: string;
  uts: string;
  ipc: string;
}

export class PodNetwork {
  private bridgeReady: Promise<void> | undefined;

  constructor(
    private readonly nsDir: string,
    private readonly bridge: string,
    private readonly cidr: Cidr,
  ) {}

  /** Makes the namespace directory a private mount point: bind mounts of nsfs files need one. */
  async init(): Promise<void> {
    await fs.mkdir(this.nsDir, { recursive: true });
    const mountinfo = await fs.readFile('/proc/self/mountinfo', 'utf8');
    const isMount = mountinfo.split('\n').some((l) => l.split(' ')[4] === this.nsDir);
    if (!isMount) await runChecked('mount', ['--bind', this.nsDir, this.nsDir]);
    await runChecked('mount', ['--make-private', this.nsDir]);
  }

  /** Sandbox ids that have namespace files. */
  async namespaceOwners(): Promise<string[]> {
    const names = await fs.readdir(this.nsDir).catch(() => [] as string[]);
    return [...new Set(names.filter((n) => /-(net|uts|ipc)$/.test(n)).map((n) => n.replace(/-(net|uts|ipc)$/, '')))];
  }

  namespacePaths(sandboxId: string): PodNamespaces {
    const base = path.join(this.nsDir, sandboxId);
    return { net: `${base}-net`, uts: `${base}-uts`, ipc: `${base}-ipc` };
  }

  /** The bridge is created lazily, once, with the CIDR's first address. */
  private ensureBridge(): Promise<void> {
    this.bridgeReady ??= (async () => {
      const shown = await runCommand('ip', ['link', 'show', this.bridge]);
      if (shown.code !== 0) {
        await runChecked('ip', ['-batch', '-'], {
          input: [
            `link add ${this.bridge} type bridge`,
            `addr add ${intToIp(this.cidr.gateway)}/${this.cidr.prefix} dev ${this.bridge}`,
            `link set ${this.bridge} up`,
          ].join('\n') + '\n',
        });
      }
    })().catch((err: unknown) => {
      this.bridgeReady = undefined;
      throw err;
    });
    return this.bridgeReady;
  }

  vethName(sandboxId: string): string {
    return `wh${sandboxId.slice(0, 12)}`;
  }

  /**
   * Creates the namespaces; with `ip` also the veth and addressing. Returns
   * the host-side veth name (undefined without networking).
   */
  async setup(sandboxId: string, hostname: string, ip: string | undefined, sysctls: Record<string, string> = {}): Promise<string | undefined> {
    const ns = this.namespacePaths(sandboxId);
    for (const file of [ns.net, ns.uts, ns.ipc]) await fs.writeFile(file, '');
    if (ip) await this.ensureBridge();
    const veth = ip ? this.vethName(sandboxId) : undefined;
    // Positional parameters carry every value, so nothing from the request is
    // ever interpreted by the shell. Inside the new namespaces one `ip -batch`
    // brings lo up and creates the veth with its peer already in our netns;
    // outside, one more `ip -batch` attaches that peer to the bridge.
    const inner = [
      'printf %s "$1" > /proc/sys/kernel/hostname',
      'if [ -z "$2" ]; then ip link set lo up; else',
      `printf 'link set lo up\nlink add eth0 type veth peer name %s netns %s\naddr add %s dev eth0\nlink set eth0 up\nroute add default via %s\n' "$2" "$3" "$4" "$5" | ip -batch -`,
      'fi',
      // key=value lines, after eth0 exists; /proc/sys/net and kernel.shm*
      // resolve to the new namespaces.
      'printf %s "$6" | while IFS="=" read -r k v; do printf %s "$v" > "/proc/sys/$(printf %s "$k" | tr . /)" || exit 1; done',
    ].join('\n');
    const script = [
      'set -e',
      'unshare --net="$1" --uts="$2" --ipc="$3" sh -ec "$9" sh "$4" "$5" "/proc/$$/ns/net" "$7" "$8" "${10}"',
      // Hairpin, as the CNI bridge plugin sets it: a pod reaches itself through a service IP.
      '[ -z "$5" ] || printf \'link set %s master %s up\\nlink set %s type bridge_slave hairpin on\\n\' "$5" "$6" "$5" | ip -batch -',
    ].join('\n');
    await runChecked('sh', [
      '-c',
      script,
      'sh',
      ns.net,
      ns.uts,
      ns.ipc,
      hostname,
      veth ?? '',
      this.bridge,
      ip ? `${ip}/${this.cidr.prefix}` : '',
      intToIp(this.cidr.gateway),
      inner,
      Object.entries(sysctls).map(([k, v]) => `${k}=${v}\n`).join(''),
    ]);
    return veth;
  }

  /** Deletes the veth (its peer goes with it). Safe to repeat. */
  async teardownNetwork(veth: string | undefined): Promise<void> {
    if (!veth) return;
    await runCommand('ip', ['link', 'del', veth]);
  }

  /** Unmounts and deletes the namespace files. Safe to repeat. */
  async removeNamespaces(sandboxId: string): Promise<void> {
    const ns = this.namespacePaths(sandboxId);
    await runCommand('umount', ['-l', ns.net, ns.uts, ns.ipc]);
    for (const file of [ns.net, ns.uts, ns.ipc]) await fs.rm(file, { force: true });
  }
}
