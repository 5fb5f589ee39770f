// Sets of field paths, as server-side apply tracks ownership, and their
// FieldsV1 wire form: {"f:spec":{"f:replicas":{}}, …}. Path elements are kept
// in their FieldsV1 spelling: `f:<field>`, `k:<json of the list-map keys>`,
// `v:<json of a set item>`, `i:<index>`. A node is a "member" when the path
// itself is in the set; FieldsV1 writes that as "." when the node also has
// children, and as {} when it has none.
import { isObject } from './json-value.js';

export class FieldSet {
  member = false;
  readonly children = new Map<string, FieldSet>();

  /** The child node for `pe`, created when missing. */
  child(pe: string): FieldSet {
    let c = this.children.get(pe);
    if (!c) {
      c = new FieldSet();
      this.children.set(pe, c);
    }
    return c;
  }

  /** No path is a member anywhere below (or at) this node. */
  isEmpty(): boolean {
    if (this.member) return false;
    for (const c of this.children.values()) if (!c.isEmpty()) return false;
    return true;
  }

  /** Drops subtrees that hold no member. */
  compact(): this {
    for (const [pe, c] of this.children) {
      // Once compacted, a child is empty exactly when it is a bare node.
      if (c.compact().isBare()) this.children.delete(pe);
    }
    return this;
  }

  /** Not a member and no children: what an empty node looks like in a compacted set. */
  private isBare(): boolean {
    return !this.member && this.children.size === 0;
  }

  static fromFieldsV1(raw: unknown): FieldSet {
    const set = new FieldSet();
    if (!isObject(raw)) return set;
    const keys = Object.keys(raw);
    if (keys.length === 0) set.member = true;
    for (const key of keys) {
      if (key === '.') set.member = true;
      else set.children.set(key, FieldSet.fromFieldsV1(raw[key]));
    }
    return set;
  }

  toFieldsV1(): Record<string, unknown> {
    return this.encode() ?? {};
  }

  /** FieldsV1 of this node, or undefined when it holds no member (one walk, however deep). */
  private encode(): Record<string, unknown> | undefined {
    const kids: Array<[string, Record<string, unknown>]> = [];
    for (const [pe, c] of this.children) {
      const v = c.encode();
      if (v) kids.push([pe, v]);
    }
    if (!this.member && kids.length === 0) return undefined;
    if (kids.length > 1) kids.sort(([a], [b]) => comparePathElements(a, b));
    const out: Record<string, unknown> = {};
    if (this.member && kids.length > 0) out['.'] = {};
    for (const [pe, v] of kids) out[pe] = v;
    return out;
  }

  /** Every member path, in FieldsV1 order. */
  paths(prefix: string[] = []): string[][] {
    const out: string[][] = [];
    if (this.member) out.push(prefix);
    const kids = [...this.children.entries()].sort(([a], [b]) => comparePathElements(a, b));
    for (const [pe, c] of kids) out.push(...c.paths([...prefix, pe]));
    return out;
  }
}

const prefixRank: Record<string, number> = { f: 0, k: 1, v: 2, i: 3 };

/** Fields before keys before values before indexes, each group in string order. */
export function comparePathElements(a: string, b: string): number {
  const ra = prefixRank[a.charAt(0)] ?? 4;
  const rb = prefixRank[b.charAt(0)] ?? 4;
  if (ra !== rb) return ra - rb;
  return a < b ? -1 : a > b ? 1 : 0;
}

// The set operations return compacted sets. Each child result is compacted by
// its own call, so a node only drops its bare children — compacting whole
// subtrees again at every level made these quadratic in the depth.

export function union(a: FieldSet, b: FieldSet): FieldSet {
  const out = new FieldSet();
  out.member = a.member || b.member;
  for (const pe of new Set([...a.children.keys(), ...b.children.keys()])) {
    const x = a.children.get(pe) ?? new FieldSet();
    const y = b.children.get(pe) ?? new FieldSet();
    keepNonEmpty(out, pe, union(x, y));
  }
  return out;
}

/** Members of `a` that are not members of `b`. */
export function difference(a: FieldSet, b: FieldSet | undefined): FieldSet {
  const out = new FieldSet();
  out.member = a.member && !b?.member;
  for (const [pe, c] of a.children) keepNonEmpty(out, pe, difference(c, b?.children.get(pe)));
  return out;
}

export function intersection(a: FieldSet, b: FieldSet | undefined): FieldSet {
  const out = new FieldSet();
  if (!b) return out;
  out.member = a.member && b.member;
  for (const [pe, c] of a.children) {
    const other = b.children.get(pe);
    if (other) keepNonEmpty(out, pe, intersection(c, other));
  }
  return out;
}

/** Adds a compacted child unless it holds no member. */
function keepNonEmpty(parent: FieldSet, pe: string, child: FieldSet): void {
  if (child.member || child.children.size > 0) parent.children.set(pe, child);
}

export function equalSets(a: FieldSet, b: FieldSet): boolean {
  return difference(a, b).isEmpty() && difference(b, a).isEmpty();
}

/** A path as Kubernetes prints it in conflicts: `.spec.containers[name="app"].image`. */
export function pathString(path: string[]): string {
  return path.map(pathElementString).join('');
}

function pathElementString(pe: string): string {
  const body = pe.slice(2);
  switch (pe.slice(0, 2)) {
    case 'f:':
      return `.${body}`;
    case 'k:': {
      try {
        const key = JSON.parse(body) as Record<string, unknown>;
        return `[${Object.entries(key)
          .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
          .join(',')}]`;
      } catch {
        return `[${body}]`;
      }
    }
    case 'v:':
      return `[=${body}]`;
    case 'i:':
      return `[${body}]`;
    default:
      return pe;
  }
}
