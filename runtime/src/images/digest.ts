import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { DigestMismatchError, ImageFormatError } from './errors.js';

const digestPattern = /^sha256:[a-f0-9]{64}$/;

export function isDigest(s: string): boolean {
  return digestPattern.test(s);
}

/** Validates that `s` is a sha256 digest we can store; anything else is a format error, never a path. */
export function assertDigest(s: string, what = 'digest'): string {
  if (!digestPattern.test(s)) throw new ImageFormatError(`${what} "${s}" is not a sha256 digest`);
  return s;
}

export function sha256(data: Uint8Array | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

export function hexOf(digest: string): string {
  return assertDigest(digest).slice('sha256:'.length);
}

/** A pass-through stream that hashes and counts what flows through it. */
export class HashingStream extends Transform {
  private readonly hash: Hash = createHash('sha256');
  bytes = 0;

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    done(null, chunk);
  }

  /** Only valid once the stream has finished. */
  digest(): string {
    return `sha256:${this.hash.digest('hex')}`;
  }
}

export function verifyDigest(expected: string, actual: string, what: string): void {
  if (expected !== actual) throw new DigestMismatchError(expected, actual, what);
}
