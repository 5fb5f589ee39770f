// ClusterIPs and NodePorts are claimed by creating one key per address or port
// in the store (/registry/ranges/…). Creation is atomic in both backends, so
// two apiservers — or two concurrent creates in one — can never hand out the
// same address; delete releases the key.
import { InvalidError, invalid, type KubeObject } from '@wharf/api';
import { KeyExistsError } from '../storage/errors.js';
import type { Storage } from '../storage/interface.js';

export interface Cidr {
  base: number;
  size: number;
  text: string;
}

export function parseCidr(text: string): Cidr {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(text);
  if (!m) throw new Error(`invalid CIDR "${text}"`);
  const octets = m.slice(1, 5).map(Number);
  const bits = Number(m[5]);
  if (octets.some((o) => o > 255) || bits < 8 || bits > 30) throw new Error(`invalid CIDR "${text}" (prefix must be /8…/30)`);
  const ip = ((octets[0]! << 24) | (octets[1]! << 16) | (octets[2]! << 8) | octets[3]!) >>> 0;
  const size = 2 ** (32 - bits);
  return { base: ip - (ip % size), size, text };
}

export function ipToString(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

function ipToNumber(s: string): number | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(s);
  if (!m) return undefined;
  const o = m.slice(1).map(Number);
  if (o.some((x) => x > 255)) return undefined;
  return ((o[0]! << 24) | (o[1]! << 16) | (o[2]! << 8) | o[3]!) >>> 0;
}

const IP_PREFIX = '/registry/ranges/serviceips/';
const PORT_PREFIX = '/registry/ranges/servicenodeports/';

interface ServiceSpec {
  type?: string;
  clusterIP?: string;
  clusterIPs?: string[];
  ports?: Array<{ nodePort?: number; port?: number }>;
}

export class ServiceAllocator {
  constructor(
    private readonly storage: Storage,
    readonly cidr: Cidr,
    private readonly nodePorts: { min: number; max: number } = { min: 30000, max: 32767 },
  ) {}

  /** The first usable address, which Kubernetes gives to the `kubernetes` service. */
  get firstIp(): string {
    return ipToString(this.cidr.base + 1);
  }

  private async claim(key: string, owner: string): Promise<boolean> {
    try {
      await this.storage.create(key, JSON.stringify({ metadata: { name: key.slice(key.lastIndexOf('/') + 1) }, owner }));
      return true;
    } catch (err) {
      if (err instanceof KeyExistsError) return false;
      throw err;
    }
  }

  private async release(key: string): Promise<void> {
    try {
      await this.storage.delete(key);
    } catch {
      // Already gone: nothing to release.
    }
  }

  /** Assigns clusterIP and nodePorts in place; on failure releases what it took and throws Invalid. */
  async allocate(svc: KubeObject, previous?: KubeObject): Promise<void> {
    const spec = (svc['spec'] ?? {}) as ServiceSpec;
    const prev = (previous?.['spec'] ?? {}) as ServiceSpec;
    const owner = `${svc.metadata.namespace}/${svc.metadata.name}`;
    const name = svc.metadata.name ?? '';
    const taken: string[] = [];
    try {
      if (spec.type !== 'ExternalName' && spec.clusterIP !== 'None' && !previous) {
        const wanted = spec.clusterIP || spec.clusterIPs?.[0];
        if (wanted) {
          const n = ipToNumber(wanted);
          if (n === undefined || n <= this.cidr.base || n >= this.cidr.base + this.cidr.size - 1) {
            throw new InvalidError('Service', name, [invalid('spec.clusterIPs', [wanted], `failed to allocate IP ${wanted}: the provided IP (${wanted}) is not in the valid range. The range of valid IPs is ${this.cidr.text}`)]);
          }
          if (!(await this.claim(IP_PREFIX + wanted, owner))) {
            throw new InvalidError('Service', name, [invalid('spec.clusterIPs', [wanted], `failed to allocate IP ${wanted}: provided IP is already allocated`)]);
          }
          taken.push(IP_PREFIX + wanted);
          spec.clusterIP = wanted;
        } else {
          spec.clusterIP = await this.randomIp(owner, taken);
        }
        spec.clusterIPs = [spec.clusterIP];
      } else if (previous) {
        if (prev.clusterIP !== undefined) spec.clusterIP = prev.clusterIP;
        if (prev.clusterIPs !== undefined) spec.clusterIPs = prev.clusterIPs;
      }
      if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') {
        const prevPorts = new Set((prev.ports ?? []).map((p) => p.nodePort).filter((p): p is number => p !== undefined));
        for (const [i, port] of (spec.ports ?? []).entries()) {
          if (port.nodePort !== undefined && prevPorts.has(port.nodePort)) continue;
          if (port.nodePort !== undefined) {
            if (port.nodePort < this.nodePorts.min || port.nodePort > this.nodePorts.max) {
              throw new InvalidError('Service', name, [invalid(`spec.ports[${i}].nodePort`, port.nodePort, `provided port is not in the valid range. The range of valid ports is ${this.nodePorts.min}-${this.nodePorts.max}`)]);
            }
            if (!(await this.claim(PORT_PREFIX + port.nodePort, owner))) {
              throw new InvalidError('Service', name, [invalid(`spec.ports[${i}].nodePort`, port.nodePort, 'provided port is already allocated')]);
            }
            taken.push(PORT_PREFIX + port.nodePort);
          } else {
            port.nodePort = await this.randomPort(owner, taken);
          }
        }
      }
    } catch (err) {
      await Promise.all(taken.map((k) => this.release(k)));
      throw err;
    }
  }

  private async randomIp(owner: string, taken: string[]): Promise<string> {
    const usable = this.cidr.size - 2;
    for (let attempt = 0; attempt < 64; attempt++) {
      // Skip the first address: it belongs to the kubernetes service.
      const ip = ipToString(this.cidr.base + 2 + Math.floor(Math.random() * (usable - 1)));
      if (await this.claim(IP_PREFIX + ip, owner)) {
        taken.push(IP_PREFIX + ip);
        return ip;
      }
    }
    throw new Error(`failed to allocate a service IP: range ${this.cidr.text} is full`);
  }

  private async randomPort(owner: string, taken: string[]): Promise<number> {
    const span = this.nodePorts.max - this.nodePorts.min + 1;
    for (let attempt = 0; attempt < 64; attempt++) {
      const port = this.nodePorts.min + Math.floor(Math.random() * span);
      if (await this.claim(PORT_PREFIX + port, owner)) {
        taken.push(PORT_PREFIX + port);
        return port;
      }
    }
    throw new Error('failed to allocate a node port: range is full');
  }

  /** Releases what a deleted (or updated) service held. */
  async releaseFor(svc: KubeObject, keep?: KubeObject): Promise<void> {
    const spec = (svc['spec'] ?? {}) as ServiceSpec;
    const kept = (keep?.['spec'] ?? {}) as ServiceSpec;
    const keepPorts = new Set((kept.ports ?? []).map((p) => p.nodePort));
    const keys: string[] = [];
    if (!keep && spec.clusterIP && spec.clusterIP !== 'None') keys.push(IP_PREFIX + spec.clusterIP);
    for (const p of spec.ports ?? []) if (p.nodePort !== undefined && !keepPorts.has(p.nodePort)) keys.push(PORT_PREFIX + p.nodePort);
    await Promise.all(keys.map((k) => this.release(k)));
  }

  /**
   * The cluster DNS address: the tenth of the range, as in Kubernetes. Node
   * agents serve DNS on it locally, so it is reserved rather than given to a
   * Service (a Service without endpoints would be rejected by the proxy).
   */
  get dnsIp(): string {
    return ipToString(this.cidr.base + 10);
  }

  async reserveDnsIp(): Promise<void> {
    await this.claim(IP_PREFIX + this.dnsIp, 'kube-system/cluster-dns');
  }
}
