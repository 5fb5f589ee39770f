// Content-addressed blobs: <root>/blobs/sha256/<hex>. Every write is hashed
// while it streams to a temporary file on the same filesystem and renamed into
// place only when digest and size match, so a blob path always holds exactly
// the content its name promises (or nothing).
import { createReadStream, type ReadStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createWriteStream } from 'node:fs';
import { HashingStream, assertDigest, hexOf, sha256, verifyDigest } from './digest.js';
import { DigestMismatchError, ImageFormatError } from './errors.js';
import { isErrno, tempName } from './fs-util.js';

export interface BlobExpectation {
  digest: string;
  size?: number;
}

export class BlobStore {
  readonly dir: string;

  constructor(
    root: string,
    /** Scratch space on the same filesystem, so finished blobs are renamed, never copied. */
    readonly tmpDir: string,
  ) {
    this.dir = join(root, 'blobs', 'sha256');
  }

  async init(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await mkdir(this.tmpDir, { recursive: true });
  }

  path(digest: string): string {
    return join(this.dir, hexOf(digest));
  }

  async has(digest: string): Promise<boolean> {
    try {
      await stat(this.path(digest));
      return true;
    } catch (err) {
      if (isErrno(err, 'ENOENT')) return false;
      throw err;
    }
  }

  async size(digest: string): Promise<number> {
    return (await stat(this.path(digest))).size;
  }

  /**
   * Streams `source` into the store. With `expected`, the content must hash to
   * it (else DigestMismatchError and nothing is kept); without, the digest is
   * computed. Returns the digest and size actually stored.
   */
  async write(source: Readable | AsyncIterable<Uint8Array>, expected?: BlobExpectation): Promise<{ digest: string; size: number }> {
    if (expected) {
      assertDigest(expected.digest);
      if (await this.has(expected.digest)) {
        // Drain nothing: the caller's source may be lazy; closing it is its business.
        if (source instanceof Readable) source.destroy();
        return { digest: expected.digest, size: await this.size(expected.digest) };
      }
    }
    const tmp = tempName(this.tmpDir, 'blob');
    const hasher = new HashingStream();
    try {
      await pipeline(source, hasher, createWriteStream(tmp, { mode: 0o644 }));
      const digest = hasher.digest();
      if (expected) {
        verifyDigest(expected.digest, digest, 'blob');
        if (expected.size !== undefined && expected.size !== hasher.bytes) {
          throw new DigestMismatchError(`${expected.digest} (${expected.size} bytes)`, `${digest} (${hasher.bytes} bytes)`, 'blob size');
        }
      }
      const fh = await open(tmp, 'r');
      await fh.sync().finally(() => fh.close());
      await rename(tmp, this.path(digest));
      return { digest, size: hasher.bytes };
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }

  async writeBytes(data: Uint8Array | string, expected?: BlobExpectation): Promise<{ digest: string; size: number }> {
    const buf = typeof data === 'string' ? Buffer.from(data) : Buffer.from(data);
    return this.write(Readable.from([buf]), expected ?? { digest: sha256(buf), size: buf.length });
  }

  /** Stores a JSON document exactly as serialised here; returns its descriptor fields. */
  async writeJson(doc: unknown): Promise<{ digest: string; size: number; bytes: Buffer }> {
    const bytes = Buffer.from(JSON.stringify(doc));
    const { digest, size } = await this.writeBytes(bytes);
    return { digest, size, bytes };
  }

  /** Reads a whole blob and re-checks its digest, so a file altered on disk is never trusted. */
  async read(digest: string): Promise<Buffer> {
    const data = await readFile(this.path(digest));
    verifyDigest(digest, sha256(data), 'stored blob');
    return data;
  }

  async readJson<T>(digest: string): Promise<T> {
    const data = await this.read(digest);
    try {
      return JSON.parse(data.toString('utf8')) as T;
    } catch (err) {
      throw new ImageFormatError(`blob ${digest} is not valid JSON`, { cause: err });
    }
  }

  open(digest: string): ReadStream {
    return createReadStream(this.path(digest));
  }

  async list(): Promise<string[]> {
    const names = await readdir(this.dir);
    return names.filter((n) => /^[a-f0-9]{64}$/.test(n)).map((n) => `sha256:${n}`);
  }

  async delete(digest: string): Promise<void> {
    await rm(this.path(digest), { force: true });
  }
}
