// GNU tar as a child process. We use it rather than the `tar` npm package for
// everything that touches a root filesystem: as root it restores device nodes,
// numeric owners, setuid bits, hard links and xattrs faithfully (node-tar skips
// device entries and does not do xattrs), it refuses `..` members and defers
// dangerous symlinks, and it runs in C at disk speed while Node only streams.
import { spawn } from 'node:child_process';
import { Duplex, Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ToolError } from './errors.js';

const tarBin = process.env['WHARF_TAR'] ?? 'tar';

/** Options for extracting archives the store generated itself (whiteout markers). */
export const trustedExtractArgs = [
  '--extract',
  '--file=-',
  '--numeric-owner',
  '--same-owner',
  '--same-permissions',
  '--xattrs',
  '--xattrs-include=*',
  '--warning=no-unknown-keyword',
  '--warning=no-timestamp',
];

/**
 * Options for extracting image layers. Their own xattrs are restored (file
 * capabilities, SELinux labels) except overlayfs's: a layer must not be able
 * to forge whiteouts, opaque dirs, redirects or metacopy pointers of its own.
 */
export const extractArgs = [...trustedExtractArgs, '--xattrs-exclude=trusted.overlay.*'];

type StreamLike = NodeJS.ReadableStream | NodeJS.WritableStream | NodeJS.ReadWriteStream;

/**
 * Runs tar with `input` on stdin (a buffer, or a chain of streams piped in
 * order: source, transforms…); resolves when tar has exited 0.
 */
export async function runTar(args: string[], input?: Buffer | Readable | StreamLike[]): Promise<void> {
  const child = spawn(tarBin, args, { stdio: [input ? 'pipe' : 'ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    if (stderr.length < 8192) stderr += d;
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code));
  });
  let feedError: unknown;
  if (input && child.stdin) {
    const chain: StreamLike[] = Buffer.isBuffer(input) ? [Readable.from([input])] : Array.isArray(input) ? input : [input];
    // tar may exit early (bad archive); its EPIPE is reported via the exit code instead.
    const stdin = child.stdin;
    await pipeline([...chain, lenientSink(stdin)]).catch((err: unknown) => {
      feedError = err;
      // The sink's failure does not close tar's stdin; without this tar would wait for more input forever.
      stdin.destroy();
    });
  }
  const code = await exited;
  if (code !== 0) throw new ToolError('tar', code, stderr, { cause: feedError });
  if (feedError) throw feedError;
}

/**
 * Feeds tar's stdin but keeps consuming after tar closes it: tar stops reading
 * at the end-of-archive marker, yet callers hash the whole stream (trailing
 * padding included) to verify digests.
 */
function lenientSink(stdin: Writable): Writable {
  let closed = false;
  let pending: (() => void) | undefined;
  const release = (): void => {
    closed = true;
    const cb = pending;
    pending = undefined;
    cb?.();
  };
  stdin.on('error', release);
  stdin.on('close', release);
  return new Writable({
    write(chunk: Buffer, _enc, cb) {
      if (closed) return cb();
      if (stdin.write(chunk)) return cb();
      pending = cb;
      stdin.once('drain', () => {
        const next = pending;
        pending = undefined;
        next?.();
      });
    },
    final(cb) {
      if (!closed) stdin.end();
      cb();
    },
  });
}

/** Starts tar writing an archive to stdout; `done` settles when tar has exited (rejecting unless 0). */
export function tarCreate(args: string[]): { stdout: Readable; done: Promise<void> } {
  const child = spawn(tarBin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    if (stderr.length < 8192) stderr += d;
  });
  const done = new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new ToolError('tar', code, stderr))));
  });
  return { stdout: child.stdout, done };
}

/**
 * A child process as a transform stream (stdin → stdout), failing the stream
 * when the process exits non-zero. Used for zstd, which Node 20 lacks.
 */
export function processFilter(bin: string, args: string[]): Duplex {
  const child = spawn(bin, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    if (stderr.length < 8192) stderr += d;
  });
  const duplex = Duplex.from({ writable: child.stdin, readable: child.stdout });
  child.on('error', (err) => duplex.destroy(new ToolError(bin, null, err.message, { cause: err })));
  child.on('close', (code) => {
    if (code !== 0) duplex.destroy(new ToolError(bin, code, stderr));
  });
  return duplex;
}
