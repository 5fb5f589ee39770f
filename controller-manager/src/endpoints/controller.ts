// The Endpoints controller: one Endpoints object per Service with a selector,
// listing ready and not-ready pod addresses per resolved port set.
import { objectKey, isNotFound, type EndpointSubset, type Endpoints, type Pod, type Service } from '@wharf/api';
import { R, mapSelectorMatches, runWorkers, unwrapTombstone, WorkQueue, type ReconcileResult, type SharedInformer } from '@wharf/client';
import type { Controller, ControllerContext } from '../context.js';
import { podEndpoints, portsSignature } from './desired.js';
import { isNamespaceTerminating } from '../util/errors.js';

/** Shared wiring for both endpoint controllers: a service key for every relevant pod change. */
export function wireServiceQueue(services: SharedInformer<Service>, pods: SharedInformer<Pod>, queue: WorkQueue): void {
  const forPod = (pod: Pod) => {
    for (const svc of services.store.listInNamespace(pod.metadata.namespace ?? '')) {
      if (svc.spec?.selector && mapSelectorMatches(svc.spec.selector, pod.metadata.labels)) queue.add(objectKey(svc));
    }
  };
  services.addEventHandler({
    add: (s) => queue.add(objectKey(s)),
    update: (_o, s) => queue.add(objectKey(s)),
    delete: (s) => queue.add(objectKey(unwrapTombstone(s))),
  });
  pods.addEventHandler({
    add: forPod,
    update: (o, n) => {
      if (o.metadata.resourceVersion === n.metadata.resourceVersion) return;
      forPod(n);
      if (JSON.stringify(o.metadata.labels) !== JSON.stringify(n.metadata.labels)) forPod(o);
    },
    delete: (p) => forPod(unwrapTombstone(p)),
  });
}

export function desiredSubsets(svc: Service, pods: Pod[]): EndpointSubset[] {
  const groups = new Map<string, EndpointSubset>();
  for (const ep of podEndpoints(svc, pods)) {
    if (ep.ports.length === 0 && (svc.spec?.ports ?? []).length > 0) continue;
    const sig = portsSignature(ep.ports);
    let subset = groups.get(sig);
    if (!subset) groups.set(sig, (subset = { ports: ep.ports }));
    if (ep.ready) (subset.addresses ??= []).push(ep.address);
    else if (!ep.terminating) (subset.notReadyAddresses ??= []).push(ep.address);
  }
  const byIp = (a: { ip: string }, b: { ip: string }) => a.ip.localeCompare(b.ip);
  const out: EndpointSubset[] = [];
  for (const s of groups.values()) {
    if (!s.addresses?.length && !s.notReadyAddresses?.length) continue;
    s.addresses?.sort(byIp);
    s.notReadyAddresses?.sort(byIp);
    out.push(s);
  }
  return out.sort((a, b) => portsSignature(a.ports ?? []).localeCompare(portsSignature(b.ports ?? [])));
}

export class EndpointsController implements Controller {
  readonly name = 'endpoint';
  readonly queue = new WorkQueue('endpoint');
  private readonly services: SharedInformer<Service>;
  private readonly pods: SharedInformer<Pod>;
  private readonly endpoints: SharedInformer<Endpoints>;

  constructor(private readonly ctx: ControllerContext) {
    this.services = ctx.informers.forResource<Service>(R.services);
    this.pods = ctx.informers.forResource<Pod>(R.pods);
    this.endpoints = ctx.informers.forResource<Endpoints>(R.endpoints);
    wireServiceQueue(this.services, this.pods, this.queue);
  }

  async run(signal: AbortSignal): Promise<void> {
    for (const inf of [this.services, this.pods, this.endpoints]) if (!(await inf.waitForSync(signal))) return;
    await runWorkers({ queue: this.queue, reconciler: this, workers: this.ctx.options.workers, log: this.ctx.log.child({ controller: this.name }), signal });
  }

  async reconcile(key: string): Promise<ReconcileResult | void> {
    const svc = this.services.store.get(key);
    const existing = this.endpoints.store.get(key);
    if (!svc) {
      // The Endpoints is owned by name, not by ownerReference: remove it with its Service.
      if (existing) await this.ctx.client.delete(R.endpoints, existing.metadata.namespace, existing.metadata.name ?? '').catch((e) => (isNotFound(e) ? undefined : Promise.reject(e)));
      return;
    }
    if (!svc.spec?.selector) return;
    const subsets = desiredSubsets(svc, this.pods.store.listInNamespace(svc.metadata.namespace ?? ''));
    const labels = { ...(svc.metadata.labels ?? {}) };
    if (existing && JSON.stringify(existing.subsets ?? []) === JSON.stringify(subsets) && JSON.stringify(existing.metadata.labels ?? {}) === JSON.stringify(labels)) return;
    const ep: Endpoints = {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: svc.metadata.name, namespace: svc.metadata.namespace, labels, ...(existing ? { resourceVersion: existing.metadata.resourceVersion } : {}) },
      subsets,
    };
    try {
      if (existing) await this.ctx.client.update(R.endpoints, ep);
      else await this.ctx.client.create(R.endpoints, svc.metadata.namespace, ep);
    } catch (err) {
      if (!isNamespaceTerminating(err)) throw err;
    }
  }
}
