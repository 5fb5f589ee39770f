import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../meta.js';
import { strategyFor } from './registry.js';

const services = strategyFor('', 'Service');

function service(mutate: (s: any) => void = () => {}): KubeObject {
  const s: any = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'default' },
    spec: { selector: { app: 'web' }, ports: [{ port: 80 }] },
  };
  mutate(s);
  services.applyDefaults(s);
  return s;
}

describe('Service defaults', () => {
  it('fills type, affinity, ports and traffic policy like Kubernetes', () => {
    const s: any = service();
    expect(s.spec).toEqual({
      selector: { app: 'web' },
      ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
      type: 'ClusterIP',
      sessionAffinity: 'None',
      internalTrafficPolicy: 'Cluster',
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
    });
  });

  it('adds externalTrafficPolicy for NodePort and keeps a named targetPort', () => {
    const s: any = service((x) => {
      x.spec.type = 'NodePort';
      x.spec.ports = [{ port: 80, targetPort: 'http', name: 'web' }];
    });
    expect(s.spec.externalTrafficPolicy).toBe('Cluster');
    expect(s.spec.ports[0].targetPort).toBe('http');
  });

  it('mirrors clusterIP into clusterIPs', () => {
    expect((service((x) => (x.spec.clusterIP = '10.96.0.10')) as any).spec.clusterIPs).toEqual(['10.96.0.10']);
    expect((service((x) => (x.spec.clusterIP = 'None')) as any).spec.clusterIPs).toEqual(['None']);
  });
});

describe('Service validation', () => {
  it('accepts valid services', () => {
    expect(services.validateCreate(service())).toEqual([]);
    expect(services.validateCreate(service((x) => ((x.spec.type = 'NodePort'), (x.spec.ports[0].nodePort = 30080))))).toEqual([]);
    expect(services.validateCreate(service((x) => ((x.spec.clusterIP = 'None'), (x.spec.ports = []))))).toEqual([]);
    expect(services.validateCreate(service((x) => ((x.spec = { type: 'ExternalName', externalName: 'db.example.com' }))))).toEqual([]);
  });

  it.each<[string, (s: any) => void, string, string?]>([
    ['name is a DNS-1035 label', (s) => (s.metadata.name = '1web'), 'metadata.name', 'a DNS-1035 label must consist of'],
    ['ports required', (s) => (s.spec.ports = []), 'spec.ports', 'Required value'],
    ['port range', (s) => (s.spec.ports[0].port = 0), 'spec.ports[0].port', 'must be between 1 and 65535, inclusive'],
    ['port names required with several ports', (s) => s.spec.ports.push({ port: 443 }), 'spec.ports[0].name', 'Required value'],
    ['duplicate port name', (s) => (s.spec.ports = [{ port: 80, name: 'a' }, { port: 81, name: 'a' }]), 'spec.ports[1].name', 'Duplicate value: "a"'],
    ['duplicate port', (s) => (s.spec.ports = [{ port: 80, name: 'a' }, { port: 80, name: 'b' }]), 'spec.ports[1]', 'Duplicate value: core.ServicePort{'],
    ['protocol', (s) => (s.spec.ports[0].protocol = 'HTTP'), 'spec.ports[0].protocol', 'supported values: "SCTP", "TCP", "UDP"'],
    ['targetPort', (s) => (s.spec.ports[0].targetPort = 70000), 'spec.ports[0].targetPort'],
    ['nodePort on ClusterIP', (s) => (s.spec.ports[0].nodePort = 30080), 'spec.ports[0].nodePort', "may not be used when `type` is 'ClusterIP'"],
    [
      'nodePort range',
      (s) => ((s.spec.type = 'NodePort'), (s.spec.ports[0].nodePort = 8080)),
      'spec.ports[0].nodePort',
      'Invalid value: 8080: provided port is not in the valid range. The range of valid ports is 30000-32767',
    ],
    ['type', (s) => (s.spec.type = 'Ingress'), 'spec.type', 'supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"'],
    ['sessionAffinity', (s) => (s.spec.sessionAffinity = 'Sticky'), 'spec.sessionAffinity', 'supported values: "ClientIP", "None"'],
    ['selector', (s) => (s.spec.selector = { app: 'not valid' }), 'spec.selector'],
    ['clusterIP syntax', (s) => (s.spec.clusterIP = '10.96.0.300'), 'spec.clusterIPs[0]', 'must be a valid IP address'],
    ['headless NodePort', (s) => ((s.spec.type = 'NodePort'), (s.spec.clusterIP = 'None')), 'spec.clusterIPs[0]', "may not be set to 'None' for NodePort services"],
    ['externalTrafficPolicy on ClusterIP', (s) => (s.spec.externalTrafficPolicy = 'Local'), 'spec.externalTrafficPolicy', "may only be set when `type` is 'NodePort' or 'LoadBalancer'"],
    ['ExternalName needs a name', (s) => (s.spec = { type: 'ExternalName' }), 'spec.externalName', 'Required value'],
  ])('%s', (_name, mutate, field, message) => {
    const errs = services.validateCreate(service(mutate));
    const hit = errs.find((e) => e.field === field);
    expect(hit, JSON.stringify(errs)).toBeDefined();
    if (message) expect(hit?.message).toContain(message);
  });
});

describe('Service update', () => {
  const allocated = (): any => {
    const s: any = service((x) => ((x.spec.type = 'NodePort'), (x.spec.clusterIP = '10.96.0.10')));
    s.spec.ports[0].nodePort = 30080;
    return s;
  };

  it('keeps clusterIP immutable', () => {
    const old = allocated();
    const next = structuredClone(old);
    next.spec.clusterIP = '10.96.0.11';
    next.spec.clusterIPs = ['10.96.0.11'];
    expect(services.validateUpdate(next, old)).toEqual([
      { type: 'FieldValueInvalid', field: 'spec.clusterIPs[0]', message: 'Invalid value: []string{"10.96.0.11"}: may not change once set' },
    ]);
  });

  it('carries allocated values over a PUT that omits them', () => {
    const old = allocated();
    const next: any = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'default' },
      spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80 }] },
    };
    services.applyDefaults(next);
    services.prepareForUpdate(next, old);
    expect(next.spec.clusterIP).toBe('10.96.0.10');
    expect(next.spec.clusterIPs).toEqual(['10.96.0.10']);
    expect(next.spec.ports[0].nodePort).toBe(30080);
    expect(services.validateUpdate(next, old)).toEqual([]);
  });

  it('selects on spec.clusterIP and spec.type', () => {
    expect(services.selectableFields(allocated())).toMatchObject({ 'spec.clusterIP': '10.96.0.10', 'spec.type': 'NodePort' });
  });
});
