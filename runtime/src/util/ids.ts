import { randomBytes } from 'node:crypto';

/** 32 hex characters: unique enough, short enough for paths and veth names. */
export function newId(): string {
  return randomBytes(16).toString('hex');
}

export function nowNs(): number {
  return Date.now() * 1_000_000;
}
