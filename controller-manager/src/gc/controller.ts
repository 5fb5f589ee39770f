// The garbage collector: cascading deletion through ownerReferences.
// Background: the owner is gone, so its dependents are deleted. Foreground:
// the owner waits (foregroundDeletion finalizer) until dependents that block
// it are gone. Orphan: dependents lose the ownerReference, then the owner's
// orphan finalizer is removed.
import { isNotFound, resourceForKind, type KubeObject, type OwnerReference, type ResourceInfo } from '@wharf/api';
import { R, runWorkers, unwrapTombstone, WorkQueue, type ReconcileResult, type SharedInformer, type PropagationPolicy } from '@wharf/client';
import type { Controller, ControllerContext } from '../context.js';
import { FINALIZER_FOREGROUND, FINALIZER_ORPHAN, OwnerGraph, hasFinalizer, type GraphNode } from './graph.js';

/** Resources whose objects own or are owned by others in Wharf. */
export const GC_RESOURCES: ResourceInfo[] = [
  R.pods, R.replicasets, R.deployments, R.services, R.endpoints, R.endpointslices,
  R.configmaps, R.secrets, R.serviceaccounts, R.horizontalpodautoscalers, R.leases, R.nodes,
];

export class GarbageCollector implements Controller {
  readonly name = 'garbagecollector';
  readonly graph = new OwnerGraph();
  /** Objects whose owners should be checked (attemptToDelete). */
  readonly deleteQueue = new WorkQueue('gc-delete');
  /** Owners being deleted with the orphan policy (attemptToOrphan). */
  readonly orphanQueue = new WorkQueue('gc-orphan');
  private readonly informers: SharedInformer[] = [];

  constructor(private readonly ctx: ControllerContext) {
    for (const res of GC_RESOURCES) {
      const inf = ctx.informers.forResource(res);
      this.informers.push(inf);
      inf.addEventHandler({
        add: (o) => this.onUpsert(res, o),
        update: (_o, n) => this.onUpsert(res, n),
        delete: (o) => this.onDelete(unwrapTombstone(o)),
      });
    }
  }

  private onUpsert(res: ResourceInfo, obj: KubeObject): void {
    const uid = obj.metadata.uid ?? '';
    const prev = this.graph.upsert(res, obj);
    const refs = obj.metadata.ownerReferences ?? [];
    const refsChanged = prev && JSON.stringify(prev.obj.metadata.ownerReferences ?? []) !== JSON.stringify(refs);
    if (refs.some((r) => !this.graph.byUid.has(r.uid)) || refsChanged) this.deleteQueue.add(uid);
    if (obj.metadata.deletionTimestamp) {
      if (hasFinalizer(obj, FINALIZER_ORPHAN)) this.orphanQueue.add(uid);
      if (hasFinalizer(obj, FINALIZER_FOREGROUND)) {
        this.deleteQueue.add(uid);
        for (const d of this.graph.dependentsOf(uid)) this.deleteQueue.add(d.obj.metadata.uid ?? '');
      }
    }
  }

  private onDelete(obj: KubeObject): void {
    const uid = obj.metadata.uid ?? '';
    this.graph.remove(obj);
    for (const d of this.graph.dependentsOf(uid)) this.deleteQueue.add(d.obj.metadata.uid ?? '');
    for (const ref of obj.metadata.ownerReferences ?? []) {
      const owner = this.graph.byUid.get(ref.uid);
      if (owner && owner.obj.metadata.deletionTimestamp && hasFinalizer(owner.obj, FINALIZER_FOREGROUND)) this.deleteQueue.add(ref.uid);
    }
  }

  async run(signal: AbortSignal): Promise<void> {
    for (const inf of this.informers) if (!(await inf.waitForSync(signal))) return;
    const log = this.ctx.log.child({ controller: this.name });
    await Promise.all([
      runWorkers({ queue: this.deleteQueue, reconciler: { reconcile: (uid) => this.attemptToDelete(uid) }, workers: this.ctx.options.workers, log, signal }),
      runWorkers({ queue: this.orphanQueue, reconciler: { reconcile: (uid) => this.attemptToOrphan(uid) }, workers: 2, log, signal }),
    ]);
  }

  /** Looks an owner up: the graph first, the API when the graph does not know it (it may lag). */
  private async owner(ref: OwnerReference, namespace: string | undefined): Promise<KubeObject | undefined> {
    const known = this.graph.byUid.get(ref.uid);
    if (known && known.obj.metadata.name === ref.name) return known.obj;
    const res = resourceForKind(ref.apiVersion, ref.kind);
    if (!res) return undefined;
    try {
      const live = await this.ctx.client.get(res, res.namespaced ? namespace : undefined, ref.name);
      return live.metadata.uid === ref.uid ? live : undefined;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  async attemptToDelete(uid: string): Promise<ReconcileResult | void> {
    const item = this.graph.byUid.get(uid);
    if (!item) return;
    const obj = item.obj;
    if (obj.metadata.deletionTimestamp) {
      if (hasFinalizer(obj, FINALIZER_FOREGROUND)) await this.processDeletingDependents(item);
      return;
    }
    const refs = obj.metadata.ownerReferences ?? [];
    if (refs.length === 0) return;
    const solid: OwnerReference[] = [];
    const dangling: OwnerReference[] = [];
    const waiting: OwnerReference[] = [];
    for (const ref of refs) {
      const owner = await this.owner(ref, obj.metadata.namespace);
      if (!owner) dangling.push(ref);
      else if (owner.metadata.deletionTimestamp && hasFinalizer(owner, FINALIZER_FOREGROUND)) waiting.push(ref);
      else solid.push(ref);
    }
    if (solid.length > 0) {
      if (dangling.length === 0 && waiting.length === 0) return;
      const gone = new Set([...dangling, ...waiting].map((r) => r.uid));
      await this.patchOwnerRefs(item, refs.filter((r) => !gone.has(r.uid)));
      return;
    }
    let policy: PropagationPolicy;
    if (waiting.length > 0 && this.graph.dependentsOf(uid).length > 0) {
      // Our own dependents go before us (foreground). Only if one of them is
      // itself waiting for its dependents could the owners wait on each other
      // in a cycle: then, as Kubernetes does, stop blocking our owners.
      const cycle = this.graph.dependentsOf(uid).some((d) => d.obj.metadata.deletionTimestamp && hasFinalizer(d.obj, FINALIZER_FOREGROUND));
      if (cycle && waiting.some((r) => r.blockOwnerDeletion)) {
        await this.patchOwnerRefs(item, refs.map((r) => (waiting.some((w) => w.uid === r.uid) ? { ...r, blockOwnerDeletion: false } : r)));
      }
      policy = 'Foreground';
    } else if (hasFinalizer(obj, FINALIZER_ORPHAN)) policy = 'Orphan';
    else if (hasFinalizer(obj, FINALIZER_FOREGROUND)) policy = 'Foreground';
    else policy = 'Background';
    this.ctx.log.debug('deleting dependent whose owners are gone', { uid, name: obj.metadata.name, kind: item.res.kind, policy });
    try {
      await this.ctx.client.delete(item.res, obj.metadata.namespace, obj.metadata.name ?? '', { propagationPolicy: policy, preconditions: { uid } });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  /** A foreground-deleting owner: remove its finalizer once no dependent blocks it. */
  private async processDeletingDependents(item: GraphNode): Promise<void> {
    const uid = item.obj.metadata.uid ?? '';
    const blocking = this.graph.dependentsOf(uid).filter((d) => d.obj.metadata.ownerReferences?.some((r) => r.uid === uid && r.blockOwnerDeletion));
    if (blocking.length === 0) {
      await this.removeFinalizer(item, FINALIZER_FOREGROUND);
      return;
    }
    for (const d of blocking) if (!d.obj.metadata.deletionTimestamp) this.deleteQueue.add(d.obj.metadata.uid ?? '');
  }

  async attemptToOrphan(uid: string): Promise<ReconcileResult | void> {
    const item = this.graph.byUid.get(uid);
    if (!item || !item.obj.metadata.deletionTimestamp || !hasFinalizer(item.obj, FINALIZER_ORPHAN)) return;
    for (const d of this.graph.dependentsOf(uid)) {
      await this.patchOwnerRefs(d, (d.obj.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid));
    }
    await this.removeFinalizer(item, FINALIZER_ORPHAN);
  }

  private async patchOwnerRefs(item: GraphNode, refs: OwnerReference[]): Promise<void> {
    const { namespace, name, uid } = item.obj.metadata;
    try {
      await this.ctx.client.patch(item.res, namespace, name ?? '', 'merge', { metadata: { ownerReferences: refs.length ? refs : null, uid } });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  private async removeFinalizer(item: GraphNode, finalizer: string): Promise<void> {
    const { namespace, name } = item.obj.metadata;
    let live: KubeObject;
    try {
      live = await this.ctx.client.get(item.res, namespace, name ?? '');
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    if (live.metadata.uid !== item.obj.metadata.uid || !hasFinalizer(live, finalizer)) return;
    const rest = (live.metadata.finalizers ?? []).filter((f) => f !== finalizer);
    try {
      await this.ctx.client.patch(item.res, namespace, name ?? '', 'merge', { metadata: { finalizers: rest.length ? rest : null, resourceVersion: live.metadata.resourceVersion } });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}
