// Key ranges in byte order, as etcd defines them: a prefix covers
// [prefix, prefixEnd(prefix)). Keys are ASCII paths in practice; for any BMP
// text, UTF-16 code unit order equals UTF-8 byte order, which SQLite and etcd use.

/** The smallest string greater than every string starting with prefix; undefined = no bound. */
export function prefixEnd(prefix: string): string | undefined {
  let end = prefix;
  while (end.length > 0) {
    const last = end.charCodeAt(end.length - 1);
    if (last < 0xffff) return end.slice(0, -1) + String.fromCharCode(last + 1);
    end = end.slice(0, -1);
  }
  return undefined;
}
