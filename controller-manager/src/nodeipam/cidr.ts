// IPv4 CIDR arithmetic for handing out per-node pod subnets.

export class CidrError extends Error {
  override name = 'CidrError';
}

function ipToInt(ip: string): number {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) throw new CidrError(`invalid IPv4 address ${ip}`);
  return ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
}

function intToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** Splits `cluster` (e.g. 10.244.0.0/16) into /`mask` subnets, handed out lowest first. */
export class CidrSet {
  private readonly base: number;
  readonly size: number;
  private readonly used = new Set<number>();

  constructor(
    cluster: string,
    private readonly mask: number,
  ) {
    const [ip, bits] = cluster.split('/');
    const prefix = Number(bits);
    if (!ip || !Number.isInteger(prefix) || prefix < 0 || prefix > 32 || mask < prefix || mask > 32) throw new CidrError(`invalid cluster CIDR ${cluster} for /${mask} subnets`);
    const hostBits = 32 - prefix;
    this.base = hostBits === 32 ? 0 : (ipToInt(ip) & ~((2 ** hostBits - 1) >>> 0)) >>> 0;
    this.size = 2 ** (mask - prefix);
  }

  private index(cidr: string): number | undefined {
    const [ip, bits] = cidr.split('/');
    if (!ip || Number(bits) !== this.mask) return undefined;
    let n: number;
    try {
      n = ipToInt(ip);
    } catch {
      return undefined;
    }
    const i = (n - this.base) / 2 ** (32 - this.mask);
    return Number.isInteger(i) && i >= 0 && i < this.size ? i : undefined;
  }

  occupy(cidr: string): boolean {
    const i = this.index(cidr);
    if (i === undefined) return false;
    this.used.add(i);
    return true;
  }

  release(cidr: string): void {
    const i = this.index(cidr);
    if (i !== undefined) this.used.delete(i);
  }

  allocate(): string | undefined {
    for (let i = 0; i < this.size; i++) {
      if (this.used.has(i)) continue;
      this.used.add(i);
      return `${intToIp((this.base + i * 2 ** (32 - this.mask)) >>> 0)}/${this.mask}`;
    }
    return undefined;
  }
}
