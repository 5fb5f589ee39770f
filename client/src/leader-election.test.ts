import { describe, expect, it } from 'vitest';
import { createLogger, type Lease } from '@wharf/api';
import { FakeClient } from './fake-client.js';
import { LeaderElector } from './leader-election.js';
import { R } from './resources.js';

const log = createLogger('test');

function elector(client: FakeClient, identity: string, onLead: (s: AbortSignal) => void = () => undefined) {
  return new LeaderElector({ client, namespace: 'kube-system', name: 'lock', identity, leaseDurationMs: 300, renewDeadlineMs: 200, retryPeriodMs: 50, log, onStartedLeading: onLead });
}

const until = async (cond: () => boolean, ms = 3000) => {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
  expect(cond()).toBe(true);
};

describe('LeaderElector', () => {
  it('creates the lease, keeps renewing it, and keeps a second candidate out', async () => {
    const client = new FakeClient();
    const a = elector(client, 'a');
    const b = elector(client, 'b');
    const stopA = new AbortController();
    const stopB = new AbortController();
    const runA = a.run(stopA.signal);
    await until(() => a.isLeader());
    const runB = b.run(stopB.signal);
    await new Promise((r) => setTimeout(r, 500));
    expect(b.isLeader()).toBe(false);
    const lease = (await client.get<Lease>(R.leases, 'kube-system', 'lock')).spec!;
    expect(lease.holderIdentity).toBe('a');
    expect(lease.leaseDurationSeconds).toBe(1);
    // a releases on stop: b takes over without waiting for the lease to expire.
    stopA.abort();
    await runA;
    expect((await client.get<Lease>(R.leases, 'kube-system', 'lock')).spec?.holderIdentity).toBe('');
    await until(() => b.isLeader(), 1000);
    const after = (await client.get<Lease>(R.leases, 'kube-system', 'lock')).spec!;
    expect(after.holderIdentity).toBe('b');
    expect(after.leaseTransitions).toBe(1);
    stopB.abort();
    await runB;
  });

  it('takes over an abandoned lease only after a full lease duration without renewals', async () => {
    const client = new FakeClient();
    client.seed(R.leases, { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'lock', namespace: 'kube-system' }, spec: { holderIdentity: 'dead', leaseDurationSeconds: 1, renewTime: '2020-01-01T00:00:00.000000Z' } });
    const started = Date.now();
    let ledAt = 0;
    const b = elector(client, 'b', () => (ledAt = Date.now()));
    const stop = new AbortController();
    const run = b.run(stop.signal);
    await until(() => ledAt > 0, 3000);
    // Judged on b's own clock from when it first saw the record, not on the stale renewTime.
    expect(ledAt - started).toBeGreaterThanOrEqual(900);
    stop.abort();
    await run;
  });

  it('steps down when it cannot renew within the renew deadline', async () => {
    const client = new FakeClient();
    let lostSignal: AbortSignal | undefined;
    const a = elector(client, 'a', (s) => (lostSignal = s));
    const run = a.run(new AbortController().signal);
    await until(() => a.isLeader());
    client.prependReactor((act) => (act.verb === 'update' ? new Error('apiserver unreachable') : undefined));
    await run;
    expect(a.state).toBe('stopped');
    expect(lostSignal?.aborted).toBe(true);
  });
});
