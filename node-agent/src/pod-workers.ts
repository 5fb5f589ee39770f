// One serial worker per pod (the kubelet's podWorkers): updates for a pod
// never run concurrently, and while one runs only the newest pending update
// is kept — intermediate ones are stale by the time the worker is free.
import type { Logger } from '@wharf/api';

export interface PodWork<T> {
  uid: string;
  item: T;
}

export class PodWorkers<T> {
  private readonly pending = new Map<string, T>();
  private readonly running = new Set<string>();
  private idleWaiters: Array<() => void> = [];
  private stopped = false;

  constructor(
    private readonly handle: (uid: string, item: T) => Promise<void>,
    private readonly log: Logger,
  ) {}

  /** Queues work for a pod; replaces any update still waiting for that pod. */
  update(uid: string, item: T): void {
    if (this.stopped) return;
    this.pending.set(uid, item);
    if (!this.running.has(uid)) void this.run(uid);
  }

  isBusy(uid: string): boolean {
    return this.running.has(uid) || this.pending.has(uid);
  }

  get active(): number {
    return this.running.size;
  }

  private async run(uid: string): Promise<void> {
    this.running.add(uid);
    try {
      for (;;) {
        if (this.stopped) break;
        const item = this.pending.get(uid);
        if (item === undefined) break;
        this.pending.delete(uid);
        try {
          await this.handle(uid, item);
        } catch (err) {
          this.log.warn('pod sync failed', { uid, err });
        }
      }
    } finally {
      this.running.delete(uid);
      if (this.running.size === 0) for (const w of this.idleWaiters.splice(0)) w();
    }
  }

  /** Stops taking work; resolves when the running syncs have finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.pending.clear();
    if (this.running.size === 0) return;
    await new Promise<void>((r) => this.idleWaiters.push(r));
  }
}
