// CPU arrives from the node agents as a cumulative counter (core-nanoseconds
// since the cgroup was created); the metrics API reports a rate. Like
// metrics-server, a rate needs two samples of the same counter: the usage
// between them divided by the time between them, and that span is the window.
export interface CounterSample {
  /** Cumulative usage in core-nanoseconds. */
  usageNs: number;
  /** When the sample was taken, in epoch milliseconds. */
  atMs: number;
}

export interface Rate {
  /** Average usage over the window, in nanocores (1e9 = one core busy). */
  nanoCores: number;
  windowMs: number;
  /** The end of the window (the newer sample). */
  atMs: number;
}

/** The rate between two samples, or undefined when they cannot form one (same instant, counter reset). */
export function rateBetween(prev: CounterSample | undefined, cur: CounterSample): Rate | undefined {
  if (!prev) return undefined;
  const windowMs = cur.atMs - prev.atMs;
  // A counter that went backwards belongs to a restarted container: no rate until the next sample.
  if (windowMs <= 0 || cur.usageNs < prev.usageNs) return undefined;
  return { nanoCores: Math.round(((cur.usageNs - prev.usageNs) / windowMs) * 1e3), windowMs, atMs: cur.atMs };
}

/** Keeps the last sample per counter and turns each new one into a rate; forgets counters not seen for a while. */
export class CounterRates {
  private readonly last = new Map<string, CounterSample>();

  observe(key: string, sample: CounterSample): Rate | undefined {
    const rate = rateBetween(this.last.get(key), sample);
    this.last.set(key, sample);
    return rate;
  }

  /** Drops counters last sampled before `cutoffMs` (gone pods, removed nodes). */
  prune(cutoffMs: number): void {
    for (const [k, s] of this.last) if (s.atMs < cutoffMs) this.last.delete(k);
  }

  get size(): number {
    return this.last.size;
  }
}

/** metrics-server's CPU text: integer nanocores ("1234567n"). */
export function formatNanoCores(nanoCores: number): string {
  return `${Math.max(0, Math.round(nanoCores))}n`;
}

/** metrics-server's memory text: BinarySI, so "10240Ki" when whole kibibytes, else plain bytes. */
export function formatWorkingSet(bytes: number): string {
  const b = Math.max(0, Math.round(bytes));
  if (b === 0) return '0';
  return b % 1024 === 0 ? `${b / 1024}Ki` : String(b);
}

/** A metav1.Duration as Go prints it: "5s", "4.987s", "1m0.5s". */
export function formatWindow(ms: number): string {
  const total = Math.max(0, Math.round(ms));
  if (total === 0) return '0s';
  if (total < 1000) return `${total}ms`;
  const minutes = Math.floor(total / 60_000);
  const restMs = total - minutes * 60_000;
  const seconds = (restMs / 1000).toFixed(3).replace(/\.?0+$/, '');
  return minutes > 0 ? `${minutes}m${seconds}s` : `${seconds}s`;
}
