// ReplicaSet-style expectations: before creating or deleting N objects a
// controller records that it expects to see N adds/deletes; handlers count
// them down as the cache catches up. Until they are met (or expire) the
// controller must not act on the key again, or a lagging cache would make it
// create duplicates.

/** client-go's ExpectationsTimeout: a lost watch event never wedges a controller for longer. */
export const EXPECTATIONS_TIMEOUT_MS = 5 * 60 * 1000;

interface Record {
  add: number;
  del: number;
  timestamp: number;
}

export class Expectations {
  private readonly records = new Map<string, Record>();
  constructor(
    private readonly timeoutMs = EXPECTATIONS_TIMEOUT_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** True when the controller may act: nothing recorded, all observed, or the record expired. */
  satisfied(key: string): boolean {
    const r = this.records.get(key);
    if (!r) return true;
    if (r.add <= 0 && r.del <= 0) return true;
    return this.now() - r.timestamp > this.timeoutMs;
  }

  expectCreations(key: string, n: number): void {
    this.records.set(key, { add: n, del: 0, timestamp: this.now() });
  }

  expectDeletions(key: string, n: number): void {
    this.records.set(key, { add: 0, del: n, timestamp: this.now() });
  }

  /** Adjusts counts without resetting the clock (e.g. skipped creations are lowered). */
  lower(key: string, add: number, del: number): void {
    const r = this.records.get(key);
    if (!r) return;
    r.add -= add;
    r.del -= del;
  }

  raise(key: string, add: number, del: number): void {
    const r = this.records.get(key);
    if (!r) this.records.set(key, { add, del, timestamp: this.now() });
    else {
      r.add += add;
      r.del += del;
    }
  }

  creationObserved(key: string): void {
    this.lower(key, 1, 0);
  }

  deletionObserved(key: string): void {
    this.lower(key, 0, 1);
  }

  delete(key: string): void {
    this.records.delete(key);
  }

  get(key: string): { add: number; del: number } | undefined {
    const r = this.records.get(key);
    return r ? { add: r.add, del: r.del } : undefined;
  }
}

/**
 * Deletion expectations tracked by pod UID, so a deletion observed twice (the
 * DELETE event and a later relist tombstone) is only counted once.
 */
export class UIDTrackingExpectations extends Expectations {
  private readonly uids = new Map<string, Set<string>>();

  expectDeletionsOf(key: string, uids: string[]): void {
    this.uids.set(key, new Set(uids));
    this.expectDeletions(key, uids.length);
  }

  deletionObservedOf(key: string, uid: string): void {
    const set = this.uids.get(key);
    if (!set || !set.delete(uid)) return;
    this.deletionObserved(key);
  }

  override delete(key: string): void {
    super.delete(key);
    this.uids.delete(key);
  }
}
