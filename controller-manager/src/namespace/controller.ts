// The namespace controller: once a namespace is being deleted, delete
// everything in it, then remove the "kubernetes" finalizer through
// namespaces/<name>/finalize so the apiserver can delete the namespace itself.
import { ApiError, type Namespace } from '@wharf/api';
import { persistedResources, R, runWorkers, unwrapTombstone, WorkQueue, type ReconcileResult, type SharedInformer } from '@wharf/client';
import type { Controller, ControllerContext } from '../context.js';

export const FINALIZER_KUBERNETES = 'kubernetes';

export class NamespaceController implements Controller {
  readonly name = 'namespace';
  readonly queue = new WorkQueue('namespace');
  private readonly namespaces: SharedInformer<Namespace>;

  constructor(private readonly ctx: ControllerContext) {
    this.namespaces = ctx.informers.forResource<Namespace>(R.namespaces);
    const onChange = (ns: Namespace) => {
      if (ns.metadata.deletionTimestamp) this.queue.add(ns.metadata.name ?? '');
    };
    this.namespaces.addEventHandler({ add: onChange, update: (_o, n) => onChange(n), delete: (n) => void unwrapTombstone(n) });
  }

  async run(signal: AbortSignal): Promise<void> {
    if (!(await this.namespaces.waitForSync(signal))) return;
    await runWorkers({ queue: this.queue, reconciler: this, workers: 2, log: this.ctx.log.child({ controller: this.name }), signal });
  }

  async reconcile(name: string): Promise<ReconcileResult | void> {
    const ns = this.namespaces.store.get(name);
    if (!ns?.metadata.deletionTimestamp) return;
    if (!(ns.spec?.finalizers ?? []).includes(FINALIZER_KUBERNETES)) return;
    let remaining = 0;
    const leftover: string[] = [];
    for (const res of persistedResources()) {
      if (!res.namespaced || !res.verbs.includes('delete')) continue;
      try {
        if (res.verbs.includes('deletecollection')) {
          await this.ctx.client.deleteCollection(res, name);
        } else {
          // Services, like in Kubernetes, have no deletecollection: one by one.
          for (const item of (await this.ctx.client.list(res, { namespace: name })).items) {
            await this.ctx.client.delete(res, name, item.metadata.name!).catch((err: unknown) => {
              if (!(err instanceof ApiError && err.code === 404)) throw err;
            });
          }
        }
        const items = (await this.ctx.client.list(res, { namespace: name })).items;
        remaining += items.length;
        if (items.length) leftover.push(`${res.plural}=${items.length}`);
      } catch (err) {
        // A resource the server does not serve cannot hold anything.
        if (err instanceof ApiError && (err.code === 404 || err.code === 405)) continue;
        throw err;
      }
    }
    // Pods finish gracefully: look again shortly.
    if (remaining > 0) {
      this.ctx.log.debug('namespace content remaining', { namespace: name, leftover });
      return { requeueAfter: 1000 };
    }
    const live = await this.ctx.client.get<Namespace>(R.namespaces, undefined, name);
    const finalizers = (live.spec?.finalizers ?? []).filter((f) => f !== FINALIZER_KUBERNETES);
    await this.ctx.client.update(R.namespaces, { ...live, spec: { ...live.spec, finalizers } }, { subresource: 'finalize' });
  }
}
