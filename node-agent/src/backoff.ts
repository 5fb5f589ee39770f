// Per-key exponential backoff as the kubelet applies it to restarts and image
// pulls: the first retry is immediate, then base, 2×base, … up to max. An entry
// untouched for `resetAfterMs` (a container that ran long enough) starts over.
export class Backoff {
  private readonly entries = new Map<string, { delayMs: number; lastUpdate: number }>();

  constructor(
    private readonly baseMs: number,
    private readonly maxMs: number,
    private readonly resetAfterMs: number = 2 * maxMs,
    private readonly now: () => number = Date.now,
  ) {}

  /** True while `since` (e.g. the container's finish time) is within the current delay. */
  inBackoffSince(key: string, since: number): boolean {
    const e = this.entries.get(key);
    if (!e) return false;
    if (this.now() - e.lastUpdate > this.resetAfterMs) {
      this.entries.delete(key);
      return false;
    }
    return this.now() - since < e.delayMs;
  }

  /** Remaining delay from `since`, for messages. */
  remainingMs(key: string, since: number): number {
    const e = this.entries.get(key);
    return e ? Math.max(0, e.delayMs - (this.now() - since)) : 0;
  }

  currentDelayMs(key: string): number {
    return this.entries.get(key)?.delayMs ?? 0;
  }

  /** Records a retry: the next failure waits longer. */
  next(key: string): void {
    const e = this.entries.get(key);
    const now = this.now();
    if (!e || now - e.lastUpdate > this.resetAfterMs) this.entries.set(key, { delayMs: this.baseMs, lastUpdate: now });
    else this.entries.set(key, { delayMs: Math.min(e.delayMs * 2, this.maxMs), lastUpdate: now });
  }

  reset(key: string): void {
    this.entries.delete(key);
  }

  /** Drops every entry whose key starts with the prefix (a pod that is gone). */
  forgetPrefix(prefix: string): void {
    for (const k of this.entries.keys()) if (k.startsWith(prefix)) this.entries.delete(k);
  }
}
