// What a Service's endpoints should be: its selected pods grouped by the
// ports they resolve to (a named targetPort can differ from pod to pod).
import type { EndpointAddress, EndpointPort, Pod, Service } from '@wharf/api';
import { mapSelectorMatches } from '@wharf/client';
import { isPodReady, isPodTerminal } from '../util/pod.js';

export interface PodEndpoint {
  pod: Pod;
  address: EndpointAddress;
  ready: boolean;
  terminating: boolean;
  ports: EndpointPort[];
}

export function selectedPods(svc: Service, pods: Pod[]): Pod[] {
  const selector = svc.spec?.selector;
  if (!selector) return [];
  return pods.filter((p) => mapSelectorMatches(selector, p.metadata.labels));
}

/** Resolves each service port for one pod; ports a pod cannot serve (unknown name) are left out. */
export function resolvePorts(svc: Service, pod: Pod): EndpointPort[] {
  const out: EndpointPort[] = [];
  for (const sp of svc.spec?.ports ?? []) {
    const target = sp.targetPort ?? sp.port;
    let port: number | undefined;
    if (typeof target === 'number') port = target;
    else if (/^\d+$/.test(target)) port = Number(target);
    else {
      for (const c of pod.spec?.containers ?? []) {
        const cp = c.ports?.find((p) => p.name === target && (p.protocol ?? 'TCP') === (sp.protocol ?? 'TCP'));
        if (cp) {
          port = cp.containerPort;
          break;
        }
      }
    }
    if (port === undefined) continue;
    const ep: EndpointPort = { port, protocol: sp.protocol ?? 'TCP' };
    if (sp.name) ep.name = sp.name;
    if (sp.appProtocol) ep.appProtocol = sp.appProtocol;
    out.push(ep);
  }
  return out;
}

export function podEndpoints(svc: Service, pods: Pod[]): PodEndpoint[] {
  const publishNotReady = svc.spec?.publishNotReadyAddresses === true;
  const out: PodEndpoint[] = [];
  for (const pod of selectedPods(svc, pods)) {
    if (!pod.status?.podIP || isPodTerminal(pod)) continue;
    const terminating = !!pod.metadata.deletionTimestamp;
    const address: EndpointAddress = {
      ip: pod.status.podIP,
      targetRef: { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid },
    };
    if (pod.spec?.nodeName) address.nodeName = pod.spec.nodeName;
    if (pod.spec?.hostname && pod.spec.subdomain === svc.metadata.name) address.hostname = pod.spec.hostname;
    out.push({ pod, address, ready: publishNotReady || (isPodReady(pod) && !terminating), terminating, ports: resolvePorts(svc, pod) });
  }
  return out;
}

export function portsSignature(ports: EndpointPort[]): string {
  return JSON.stringify([...ports].sort((a, b) => (a.name ?? '').localeCompare(b.name ?? '') || a.port - b.port));
}
