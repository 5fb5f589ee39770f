// Readers/writer lock between operations that add content (build, pull, import:
// shared) and garbage collection (exclusive). Without it a collection running
// while a pull is between "blob written" and "reference recorded" would delete
// the blob it is about to reference.
export class GcLock {
  private readers = 0;
  private exclusiveTail: Promise<void> = Promise.resolve();
  private exclusiveHeld: Promise<void> | undefined;
  private idleWaiters: Array<() => void> = [];

  async shared<T>(fn: () => Promise<T>): Promise<T> {
    while (this.exclusiveHeld) await this.exclusiveHeld;
    this.readers++;
    try {
      return await fn();
    } finally {
      this.readers--;
      if (this.readers === 0) for (const wake of this.idleWaiters.splice(0)) wake();
    }
  }

  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.exclusiveTail.then(async () => {
      let release!: () => void;
      this.exclusiveHeld = new Promise<void>((r) => (release = r));
      try {
        while (this.readers > 0) await new Promise<void>((r) => this.idleWaiters.push(r));
        return await fn();
      } finally {
        this.exclusiveHeld = undefined;
        release();
      }
    });
    this.exclusiveTail = run.then(() => undefined, () => undefined);
    return run;
  }
}
