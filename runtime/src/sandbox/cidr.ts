// IPv4 CIDR arithmetic for the node's pod range.
import { InvalidArgumentError } from '../errors.js';

export interface Cidr {
  text: string;
  network: number;
  prefix: number;
  /** First usable address: the bridge's gateway. */
  gateway: number;
  /** Last usable address (broadcast − 1). */
  last: number;
}

export function ipToInt(ip: string): number {
  const parts = ip.split('.');
  if (parts.length !== 4) throw new InvalidArgumentError(`invalid IPv4 address ${ip}`);
  let n = 0;
  for (const p of parts) {
    const v = Number(p);
    if (!/^\d{1,3}$/.test(p) || v > 255) throw new InvalidArgumentError(`invalid IPv4 address ${ip}`);
    n = n * 256 + v;
  }
  return n;
}

export function intToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export function parseCidr(text: string): Cidr {
  const [ip, bits] = text.split('/');
  const prefix = Number(bits);
  if (!ip || !/^\d{1,2}$/.test(bits ?? '') || prefix < 1 || prefix > 32) throw new InvalidArgumentError(`invalid CIDR ${text}`);
  const size = 2 ** (32 - prefix);
  const network = ipToInt(ip) - (ipToInt(ip) % size);
  return { text: `${intToIp(network)}/${prefix}`, network, prefix, gateway: network + 1, last: network + size - 2 };
}
