// The consumer side of a watch, shared by both backends: a bounded FIFO that a
// producer fills and an async iterator drains. A failure is delivered after the
// events buffered before it, so a consumer sees every event up to the failure
// and can resume exactly from the last revision it saw.
import type { StorageEvent, WatchStream } from './interface.js';

/**
 * open: events flow. failed: the producer gave up; buffered events drain, then
 * the iterator throws. stopped: the consumer (or close) ended it; iteration ends.
 */
export type WatchState = 'open' | 'failed' | 'stopped';

export interface EventQueueHooks {
  /** Called when the consumer wants more and the buffer is empty (lazy catch-up). */
  pull?: () => void;
  /** Called once when the stream ends for any reason. */
  onEnd?: () => void;
}

export class EventQueue implements WatchStream {
  state: WatchState = 'open';
  /** Events handed to the consumer so far. */
  delivered = 0;
  /** Revision of the last event handed to the consumer. */
  lastDeliveredRevision = 0;
  private buffer: StorageEvent[] = [];
  private head = 0;
  private failure: Error | undefined;
  private waiter: ((r: IteratorResult<StorageEvent>) => void) | undefined;
  private waiterReject: ((e: Error) => void) | undefined;
  private ended = false;

  constructor(private readonly hooks: EventQueueHooks = {}) {}

  /** Events buffered and not yet consumed. */
  get length(): number {
    return this.buffer.length - this.head;
  }

  push(event: StorageEvent): void {
    if (this.state !== 'open') return;
    if (this.waiter) {
      const resolve = this.waiter;
      this.clearWaiter();
      this.account(event);
      resolve({ value: event, done: false });
      return;
    }
    this.buffer.push(event);
  }

  fail(error: Error): void {
    if (this.state !== 'open') return;
    this.state = 'failed';
    this.failure = error;
    this.end();
    if (this.waiterReject && this.length === 0) {
      const reject = this.waiterReject;
      this.clearWaiter();
      reject(error);
    }
  }

  stop(): void {
    if (this.state === 'stopped') return;
    this.state = 'stopped';
    this.buffer = [];
    this.head = 0;
    this.end();
    if (this.waiter) {
      const resolve = this.waiter;
      this.clearWaiter();
      resolve({ value: undefined, done: true });
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<StorageEvent> {
    return {
      next: () => this.next(),
      return: async () => {
        this.stop();
        return { value: undefined, done: true };
      },
    };
  }

  private next(): Promise<IteratorResult<StorageEvent>> {
    if (this.state === 'stopped') return Promise.resolve({ value: undefined, done: true });
    if (this.length === 0 && this.state === 'open') this.hooks.pull?.();
    if (this.length > 0) {
      const event = this.buffer[this.head++] as StorageEvent;
      if (this.head > 1024 && this.head * 2 > this.buffer.length) {
        this.buffer = this.buffer.slice(this.head);
        this.head = 0;
      }
      this.account(event);
      return Promise.resolve({ value: event, done: false });
    }
    if (this.state === 'failed') return Promise.reject(this.failure);
    if (this.state !== 'open') return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.waiter = resolve;
      this.waiterReject = reject;
    });
  }

  private account(event: StorageEvent): void {
    this.delivered++;
    this.lastDeliveredRevision = event.revision;
  }

  private clearWaiter(): void {
    this.waiter = undefined;
    this.waiterReject = undefined;
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.hooks.onEnd?.();
  }
}
