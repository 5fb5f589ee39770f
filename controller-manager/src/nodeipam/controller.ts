// Node IPAM: every node gets its own pod subnet (spec.podCIDR) from the
// cluster CIDR, so pod IPs never collide across nodes.
import type { Node } from '@wharf/api';
import { R, runWorkers, unwrapTombstone, WorkQueue, type EventRecorder, type ReconcileResult, type SharedInformer } from '@wharf/client';
import type { Controller, ControllerContext } from '../context.js';
import { CidrSet } from './cidr.js';

export const REASON_CIDR_NOT_AVAILABLE = 'CIDRNotAvailable';

export class NodeIpamController implements Controller {
  readonly name = 'nodeipam';
  readonly queue = new WorkQueue('nodeipam');
  private readonly nodes: SharedInformer<Node>;
  private readonly cidrs: CidrSet;
  private readonly recorder: EventRecorder;
  /** Subnets handed out but not yet seen on the node in the cache. */
  private readonly pending = new Map<string, string>();

  constructor(private readonly ctx: ControllerContext) {
    this.cidrs = new CidrSet(ctx.options.clusterCIDR, ctx.options.nodeCIDRMaskSize);
    this.nodes = ctx.informers.forResource<Node>(R.nodes);
    this.recorder = ctx.recorder('cidrAllocator');
    this.nodes.addEventHandler({
      add: (n) => this.observe(n),
      update: (_o, n) => this.observe(n),
      delete: (n) => {
        const node = unwrapTombstone(n);
        if (node.spec?.podCIDR) this.cidrs.release(node.spec.podCIDR);
      },
    });
  }

  private observe(node: Node): void {
    const name = node.metadata.name ?? '';
    if (node.spec?.podCIDR) {
      this.cidrs.occupy(node.spec.podCIDR);
      const pending = this.pending.get(name);
      if (pending && pending !== node.spec.podCIDR) this.cidrs.release(pending);
      this.pending.delete(name);
      return;
    }
    this.queue.add(name);
  }

  async run(signal: AbortSignal): Promise<void> {
    if (!(await this.nodes.waitForSync(signal))) return;
    // One worker: allocation must see every earlier allocation.
    await runWorkers({ queue: this.queue, reconciler: this, workers: 1, log: this.ctx.log.child({ controller: this.name }), signal });
  }

  async reconcile(name: string): Promise<ReconcileResult | void> {
    const node = this.nodes.store.get(name);
    if (!node || node.spec?.podCIDR) return;
    let cidr = this.pending.get(name);
    if (!cidr) {
      cidr = this.cidrs.allocate();
      if (!cidr) {
        this.recorder.event({ ...node, kind: 'Node', apiVersion: 'v1' }, 'Normal', REASON_CIDR_NOT_AVAILABLE, `Node ${name} status is now: CIDRNotAvailable`);
        return { requeueAfter: 30_000 };
      }
      this.pending.set(name, cidr);
    }
    await this.ctx.client.patch(R.nodes, undefined, name, 'merge', { spec: { podCIDR: cidr, podCIDRs: [cidr] } });
  }
}
