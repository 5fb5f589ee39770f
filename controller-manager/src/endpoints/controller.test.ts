import { describe, expect, it } from 'vitest';
import type { Endpoints, EndpointSlice, Pod, Service } from '@wharf/api';
import { R } from '@wharf/client';
import { newFixture } from '../testing/fixture.js';
import { EndpointsController } from './controller.js';
import { EndpointSliceController } from './slices.js';

const svc: Service = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: 'ns', uid: 'svc-uid' },
  spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }] },
};

const pod = (name: string, ip: string, port: number, ready: boolean): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'ns', uid: `uid-${name}`, labels: { app: 'web' } },
  spec: { nodeName: 'n1', containers: [{ name: 'c', ports: [{ name: 'http', containerPort: port }] }] },
  status: { phase: 'Running', podIP: ip, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});

describe('EndpointsController', () => {
  it('lists ready and not-ready addresses per resolved named port', async () => {
    const f = newFixture();
    f.seed(R.services, svc);
    f.seed(R.pods, pod('a', '10.244.0.2', 8080, true));
    f.seed(R.pods, pod('b', '10.244.0.3', 8080, false));
    f.seed(R.pods, pod('c', '10.244.0.4', 9090, true));
    await new EndpointsController(f.ctx).reconcile('ns/web');
    expect(f.client.summary()).toEqual(['create endpoints ns']);
    const ep = f.client.actions[0]!.body as Endpoints;
    const ref = (n: string) => ({ kind: 'Pod', namespace: 'ns', name: n, uid: `uid-${n}` });
    expect(ep.subsets).toEqual([
      { ports: [{ name: 'http', port: 8080, protocol: 'TCP' }], addresses: [{ ip: '10.244.0.2', nodeName: 'n1', targetRef: ref('a') }], notReadyAddresses: [{ ip: '10.244.0.3', nodeName: 'n1', targetRef: ref('b') }] },
      { ports: [{ name: 'http', port: 9090, protocol: 'TCP' }], addresses: [{ ip: '10.244.0.4', nodeName: 'n1', targetRef: ref('c') }] },
    ]);
  });

  it('writes nothing when the Endpoints already match', async () => {
    const f = newFixture();
    f.seed(R.services, svc);
    f.seed(R.pods, pod('a', '10.244.0.2', 8080, true));
    const c = new EndpointsController(f.ctx);
    await c.reconcile('ns/web');
    f.seed(R.endpoints, f.client.actions[0]!.body as Endpoints);
    f.client.clearActions();
    await c.reconcile('ns/web');
    expect(f.client.summary()).toEqual([]);
  });
});

describe('EndpointSliceController', () => {
  it('creates one slice per port set owned by the Service and removes stale ones', async () => {
    const f = newFixture();
    f.seed(R.services, svc);
    f.seed(R.pods, pod('a', '10.244.0.2', 8080, true));
    f.seed(R.endpointslices, {
      apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', addressType: 'IPv4', endpoints: [],
      metadata: { name: 'web-stale', namespace: 'ns', labels: { 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' } },
    } as EndpointSlice);
    await new EndpointSliceController(f.ctx).reconcile('ns/web');
    expect(f.client.summary()).toEqual(['create endpointslices ns', 'delete endpointslices ns/web-stale']);
    const slice = f.client.actions[0]!.body as EndpointSlice;
    expect(slice.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'Service', name: 'web', uid: 'svc-uid', controller: true });
    expect(slice.endpoints).toEqual([{ addresses: ['10.244.0.2'], conditions: { ready: true, serving: true, terminating: false }, targetRef: { kind: 'Pod', namespace: 'ns', name: 'a', uid: 'uid-a' }, nodeName: 'n1' }]);
    expect(slice.ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
  });
});
