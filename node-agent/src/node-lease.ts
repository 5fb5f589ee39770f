// The node's heartbeat: a Lease in kube-node-lease named after the node,
// renewed every quarter of its duration. Cheap to write, so the Node object
// itself only changes when its status does.
import { isAlreadyExists, isNotFound, type Lease, type Logger } from '@wharf/api';
import { R, type ApiClient } from '@wharf/client';

export const NODE_LEASE_NAMESPACE = 'kube-node-lease';

function microTime(): string {
  return new Date().toISOString().replace(/Z$/, '000Z');
}

export class NodeLease {
  renewals = 0;

  constructor(
    private readonly client: ApiClient,
    private readonly nodeName: string,
    private readonly durationSeconds: number,
    private readonly log: Logger,
    private readonly nodeUid: () => string | undefined,
  ) {}

  async renew(): Promise<void> {
    let lease: Lease | undefined;
    try {
      lease = await this.client.get<Lease>(R.leases, NODE_LEASE_NAMESPACE, this.nodeName);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    const spec = { holderIdentity: this.nodeName, leaseDurationSeconds: this.durationSeconds, renewTime: microTime() };
    if (!lease) {
      const uid = this.nodeUid();
      try {
        await this.client.create(R.leases, NODE_LEASE_NAMESPACE, {
          apiVersion: 'coordination.k8s.io/v1',
          kind: 'Lease',
          metadata: {
            name: this.nodeName,
            namespace: NODE_LEASE_NAMESPACE,
            ...(uid ? { ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: this.nodeName, uid }] } : {}),
          },
          spec,
        } as Lease);
      } catch (err) {
        if (!isAlreadyExists(err)) throw err;
        return this.renew();
      }
    } else {
      await this.client.update(R.leases, { ...lease, apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', spec: { ...lease.spec, ...spec } } as Lease);
    }
    this.renewals++;
  }

  /** Renews until the signal aborts; failures are logged and retried at the next tick. */
  async run(signal: AbortSignal): Promise<void> {
    const interval = Math.max(1000, (this.durationSeconds * 1000) / 4);
    while (!signal.aborted) {
      try {
        await this.renew();
      } catch (err) {
        this.log.warn('lease renewal failed', { err });
      }
      await new Promise<void>((r) => {
        const onAbort = () => {
          clearTimeout(t);
          r();
        };
        const t = setTimeout(() => {
          signal.removeEventListener('abort', onAbort);
          r();
        }, interval);
        signal.addEventListener('abort', onAbort, { once: true });
      });
    }
  }
}
