// The EndpointSlice controller: the same information as Endpoints, as
// discovery.k8s.io/v1 slices owned by the Service, one per resolved port set.
import { isNotFound, type EndpointSlice, type Endpoint, type Pod, type Service } from '@wharf/api';
import { R, runWorkers, WorkQueue, type ReconcileResult, type SharedInformer } from '@wharf/client';
import type { Controller, ControllerContext } from '../context.js';
import { ownerRefTo } from '../util/owner.js';
import { computeHash } from '../deployment/util.js';
import { podEndpoints, portsSignature } from './desired.js';
import { wireServiceQueue } from './controller.js';
import { isNamespaceTerminating } from '../util/errors.js';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
export const MANAGED_BY = 'endpointslice-controller.k8s.io';

export function desiredSlices(svc: Service, pods: Pod[]): EndpointSlice[] {
  const groups = new Map<string, EndpointSlice>();
  for (const ep of podEndpoints(svc, pods)) {
    const sig = portsSignature(ep.ports);
    let slice = groups.get(sig);
    if (!slice) {
      const name = `${svc.metadata.name}-${computeHash({ metadata: { name: sig } })}`.slice(0, 63);
      slice = {
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: {
          name,
          namespace: svc.metadata.namespace,
          labels: { ...(svc.metadata.labels ?? {}), [SERVICE_NAME_LABEL]: svc.metadata.name ?? '', [MANAGED_BY_LABEL]: MANAGED_BY },
          ownerReferences: [ownerRefTo(svc, 'v1', 'Service')],
        },
        addressType: 'IPv4',
        endpoints: [],
        ports: ep.ports.map((p) => ({ ...(p.name !== undefined ? { name: p.name } : { name: '' }), port: p.port, protocol: p.protocol ?? 'TCP', ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}) })),
      };
      groups.set(sig, slice);
    }
    const e: Endpoint = {
      addresses: [ep.address.ip],
      conditions: { ready: ep.ready, serving: ep.terminating ? ep.ready || isServing(ep.pod) : ep.ready, terminating: ep.terminating },
      targetRef: ep.address.targetRef!,
    };
    if (ep.address.nodeName) e.nodeName = ep.address.nodeName;
    if (ep.address.hostname) e.hostname = ep.address.hostname;
    slice.endpoints.push(e);
  }
  for (const s of groups.values()) s.endpoints.sort((a, b) => a.addresses[0]!.localeCompare(b.addresses[0]!));
  return [...groups.values()];
}

function isServing(pod: Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

export class EndpointSliceController implements Controller {
  readonly name = 'endpointslice';
  readonly queue = new WorkQueue('endpointslice');
  private readonly services: SharedInformer<Service>;
  private readonly pods: SharedInformer<Pod>;
  private readonly slices: SharedInformer<EndpointSlice>;

  constructor(private readonly ctx: ControllerContext) {
    this.services = ctx.informers.forResource<Service>(R.services);
    this.pods = ctx.informers.forResource<Pod>(R.pods);
    this.slices = ctx.informers.forResource<EndpointSlice>(R.endpointslices);
    wireServiceQueue(this.services, this.pods, this.queue);
  }

  async run(signal: AbortSignal): Promise<void> {
    for (const inf of [this.services, this.pods, this.slices]) if (!(await inf.waitForSync(signal))) return;
    await runWorkers({ queue: this.queue, reconciler: this, workers: this.ctx.options.workers, log: this.ctx.log.child({ controller: this.name }), signal });
  }

  async reconcile(key: string): Promise<ReconcileResult | void> {
    const svc = this.services.store.get(key);
    // Slices are owned by the Service: the garbage collector removes them when it goes.
    if (!svc || !svc.spec?.selector) return;
    const ns = svc.metadata.namespace ?? '';
    const existing = this.slices.store
      .listInNamespace(ns)
      .filter((s) => s.metadata.labels?.[SERVICE_NAME_LABEL] === svc.metadata.name && s.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY);
    const want = desiredSlices(svc, this.pods.store.listInNamespace(ns));
    for (const slice of want) {
      const cur = existing.find((s) => s.metadata.name === slice.metadata.name);
      if (!cur) {
        try {
          await this.ctx.client.create(R.endpointslices, ns, slice);
        } catch (err) {
          if (isNamespaceTerminating(err)) return;
          throw err;
        }
        continue;
      }
      if (JSON.stringify([cur.endpoints ?? [], cur.ports ?? [], cur.metadata.labels]) === JSON.stringify([slice.endpoints, slice.ports, slice.metadata.labels])) continue;
      await this.ctx.client.update(R.endpointslices, { ...slice, metadata: { ...slice.metadata, resourceVersion: cur.metadata.resourceVersion } });
    }
    for (const stale of existing) {
      if (want.some((w) => w.metadata.name === stale.metadata.name)) continue;
      await this.ctx.client.delete(R.endpointslices, ns, stale.metadata.name ?? '').catch((e) => (isNotFound(e) ? undefined : Promise.reject(e)));
    }
  }
}
