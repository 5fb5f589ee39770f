// A minimal pax/ustar writer for the few metadata-only entries the store
// generates itself (overlay whiteout devices, opaque-directory xattrs). GNU tar
// then applies them, which gives us mknod and trusted.* xattrs without a
// native addon or extra tools.

export interface TarEntry {
  path: string;
  type: 'file' | 'directory' | 'chardev' | 'symlink';
  /** Target of a symlink. */
  linkpath?: string;
  mode: number;
  uid?: number;
  gid?: number;
  mtime?: number; // seconds
  devmajor?: number;
  devminor?: number;
  /** Extended attributes, stored as SCHILY.xattr.* pax records (GNU tar's --xattrs format). */
  xattrs?: Record<string, string>;
  data?: Buffer;
}

const block = 512;
const typeFlag: Record<TarEntry['type'], string> = { file: '0', directory: '5', chardev: '3', symlink: '2' };

function octal(buf: Buffer, offset: number, length: number, value: number): void {
  buf.write(value.toString(8).padStart(length - 1, '0') + '\0', offset, length, 'ascii');
}

function header(name: string, type: string, size: number, e: Omit<TarEntry, 'path' | 'type'>): Buffer {
  const h = Buffer.alloc(block);
  h.write(name.slice(0, 99), 0, 100, 'utf8');
  octal(h, 100, 8, e.mode & 0o7777);
  octal(h, 108, 8, e.uid ?? 0);
  octal(h, 116, 8, e.gid ?? 0);
  octal(h, 124, 12, size);
  octal(h, 136, 12, Math.floor(e.mtime ?? 0));
  h.write(type, 156, 1, 'ascii');
  h.write('ustar\0', 257, 6, 'ascii');
  h.write('00', 263, 2, 'ascii');
  octal(h, 329, 8, e.devmajor ?? 0);
  octal(h, 337, 8, e.devminor ?? 0);
  h.fill(' ', 148, 156);
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'ascii');
  return h;
}

/** One pax record: "<len> <key>=<value>\n", where len counts itself. */
function paxRecord(key: string, value: string): Buffer {
  const body = Buffer.byteLength(` ${key}=${value}\n`);
  let len = body + 1;
  while (String(len).length + body !== len) len = String(len).length + body;
  return Buffer.from(`${len} ${key}=${value}\n`);
}

function padded(data: Buffer): Buffer[] {
  const rest = data.length % block;
  return rest === 0 ? [data] : [data, Buffer.alloc(block - rest)];
}

/** Serialises entries into a complete archive (every entry carries a pax path, so long names are fine). */
export function writeTar(entries: readonly TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const records = [paxRecord('path', e.path)];
    if (e.linkpath !== undefined) records.push(paxRecord('linkpath', e.linkpath));
    for (const [k, v] of Object.entries(e.xattrs ?? {})) records.push(paxRecord(`SCHILY.xattr.${k}`, v));
    const pax = Buffer.concat(records);
    parts.push(header('PaxHeader', 'x', pax.length, { mode: 0o644 }), ...padded(pax));
    const data = e.data ?? Buffer.alloc(0);
    parts.push(header(e.path, typeFlag[e.type], data.length, e));
    if (data.length > 0) parts.push(...padded(data));
  }
  parts.push(Buffer.alloc(block * 2));
  return Buffer.concat(parts);
}
