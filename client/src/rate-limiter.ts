// Token bucket: `qps` tokens per second, at most `burst` saved up. Used by the
// REST client (client-side throttling) and by the work queue (overall limit).

export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    readonly qps: number,
    readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = burst;
    this.last = now();
  }

  /**
   * Takes one token and returns how long the caller must wait before using it
   * (0 when one was available). Reservations queue up: tokens may go negative.
   */
  reserve(): number {
    const now = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.qps);
    this.last = now;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens / this.qps) * 1000);
  }

  async wait(): Promise<void> {
    const delay = this.reserve();
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));
  }
}

/** Per-item exponential backoff: base·2^failures, capped. */
export class ItemExponentialBackoff {
  private readonly failures = new Map<string, number>();
  constructor(
    readonly baseMs = 5,
    readonly maxMs = 1_000_000,
  ) {}

  when(item: string): number {
    const n = this.failures.get(item) ?? 0;
    this.failures.set(item, n + 1);
    return Math.min(this.maxMs, this.baseMs * 2 ** n);
  }
  numRequeues(item: string): number {
    return this.failures.get(item) ?? 0;
  }
  forget(item: string): void {
    this.failures.delete(item);
  }
}

/** What the work queue consults before re-adding an item: the delay and the bookkeeping. */
export interface RateLimiter {
  when(item: string): number;
  numRequeues(item: string): number;
  forget(item: string): void;
}

/**
 * client-go's default controller rate limiter: the larger of a per-item
 * exponential backoff (5 ms → 1000 s) and an overall 10 qps / 100 burst bucket.
 */
export class DefaultControllerRateLimiter implements RateLimiter {
  readonly items: ItemExponentialBackoff;
  readonly bucket: TokenBucket;
  constructor(opts: { baseMs?: number; maxMs?: number; qps?: number; burst?: number } = {}) {
    this.items = new ItemExponentialBackoff(opts.baseMs ?? 5, opts.maxMs ?? 1_000_000);
    this.bucket = new TokenBucket(opts.qps ?? 10, opts.burst ?? 100);
  }
  when(item: string): number {
    return Math.max(this.items.when(item), this.bucket.reserve());
  }
  numRequeues(item: string): number {
    return this.items.numRequeues(item);
  }
  forget(item: string): void {
    this.items.forget(item);
  }
}
