// Leader election on a coordination.k8s.io/v1 Lease, as client-go does it:
// the holder renews every retry period; others take over only after they have
// watched the same record stay unchanged for a whole lease duration (measured
// on their own clock, so clock skew between machines does not matter).
import { isAlreadyExists, isConflict, isNotFound, type Lease, type Logger } from '@wharf/api';
import type { ApiClient } from './interface.js';
import { sleep } from './reflector.js';
import { R } from './resources.js';

export interface LeaderElectionOptions {
  client: ApiClient;
  namespace: string;
  name: string;
  identity: string;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  log: Logger;
  /** Called once leadership is acquired; the signal aborts when it is lost or released. */
  onStartedLeading(signal: AbortSignal): void;
  onStoppedLeading?(): void;
}

/** Lifecycle: `candidate` (trying to acquire) → `leading` → `stopped`. */
export type LeaderState = 'candidate' | 'leading' | 'stopped';

function microTime(d = new Date()): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export class LeaderElector {
  state: LeaderState = 'candidate';
  private observedRecord = '';
  private observedTime = 0;
  private current: Lease | undefined;
  private leading: AbortController | undefined;
  private readonly leaseDurationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;

  constructor(private readonly opts: LeaderElectionOptions) {
    this.leaseDurationMs = opts.leaseDurationMs ?? 15_000;
    this.renewDeadlineMs = opts.renewDeadlineMs ?? 10_000;
    this.retryPeriodMs = opts.retryPeriodMs ?? 2_000;
  }

  isLeader(): boolean {
    return this.state === 'leading';
  }

  /** Campaigns, leads, and returns when the signal aborts (releasing the lease) or leadership is lost. */
  async run(signal: AbortSignal): Promise<void> {
    const { log } = this.opts;
    while (!signal.aborted && !(await this.tryAcquireOrRenew())) await sleep(this.retryPeriodMs, signal);
    if (signal.aborted) {
      this.state = 'stopped';
      return;
    }
    this.state = 'leading';
    log.info('became leader', { lease: `${this.opts.namespace}/${this.opts.name}`, identity: this.opts.identity });
    this.leading = new AbortController();
    this.opts.onStartedLeading(this.leading.signal);
    let lastRenew = Date.now();
    while (!signal.aborted) {
      await sleep(this.retryPeriodMs, signal);
      if (signal.aborted) break;
      if (await this.tryAcquireOrRenew()) {
        lastRenew = Date.now();
        continue;
      }
      if (Date.now() - lastRenew > this.renewDeadlineMs) {
        log.warn('failed to renew lease in time, stepping down', { identity: this.opts.identity });
        break;
      }
    }
    this.state = 'stopped';
    this.leading.abort();
    this.opts.onStoppedLeading?.();
    if (signal.aborted) await this.release();
  }

  /** Gives the lease up so the next candidate need not wait for it to expire. */
  private async release(): Promise<void> {
    const lease = this.current;
    if (!lease || lease.spec?.holderIdentity !== this.opts.identity) return;
    const spec = { ...lease.spec, holderIdentity: '', leaseDurationSeconds: 1, renewTime: microTime() };
    try {
      await this.opts.client.update(R.leases, { ...lease, spec });
      this.opts.log.info('released leader lease', { identity: this.opts.identity });
    } catch (err) {
      this.opts.log.warn('failed to release lease', { err });
    }
  }

  private async tryAcquireOrRenew(): Promise<boolean> {
    const { client, namespace, name, identity } = this.opts;
    const now = microTime();
    const durationSeconds = Math.ceil(this.leaseDurationMs / 1000);
    let lease: Lease;
    try {
      lease = await client.get<Lease>(R.leases, namespace, name);
    } catch (err) {
      if (!isNotFound(err)) {
        this.opts.log.warn('error retrieving lease', { err });
        return false;
      }
      const fresh: Lease = {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: { name, namespace },
        spec: { holderIdentity: identity, leaseDurationSeconds: durationSeconds, acquireTime: now, renewTime: now, leaseTransitions: 0 },
      };
      try {
        this.current = await client.create<Lease>(R.leases, namespace, fresh);
        this.observe(this.current);
        return true;
      } catch (e) {
        if (!isAlreadyExists(e)) this.opts.log.warn('error creating lease', { err: e });
        return false;
      }
    }
    this.observe(lease);
    const spec = lease.spec ?? {};
    const holder = spec.holderIdentity ?? '';
    const heldByOther = holder !== '' && holder !== identity;
    const durationMs = (spec.leaseDurationSeconds ?? durationSeconds) * 1000;
    if (heldByOther && Date.now() < this.observedTime + durationMs) return false;
    const next: Lease = {
      ...lease,
      spec: {
        ...spec,
        holderIdentity: identity,
        leaseDurationSeconds: durationSeconds,
        renewTime: now,
        acquireTime: holder === identity ? (spec.acquireTime ?? now) : now,
        leaseTransitions: holder === identity ? (spec.leaseTransitions ?? 0) : (spec.leaseTransitions ?? 0) + 1,
      },
    };
    try {
      this.current = await client.update<Lease>(R.leases, next);
      this.observe(this.current);
      return true;
    } catch (err) {
      if (!isConflict(err)) this.opts.log.warn('error updating lease', { err });
      return false;
    }
  }

  private observe(lease: Lease): void {
    const record = JSON.stringify(lease.spec ?? {});
    if (record !== this.observedRecord) {
      this.observedRecord = record;
      this.observedTime = Date.now();
    }
    this.current = lease;
  }
}
