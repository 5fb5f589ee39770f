// corev1.Endpoints and discovery.k8s.io/v1 EndpointSlice.
import { atomicList, bool, describe, enumOf, int32, obj, setList, str, stringMap } from './builders.js';
import { defineKind, objectReferenceSchema } from './meta.js';
import type { KindSchema } from './schema.js';

const core = (name: string) => `io.k8s.api.core.v1.${name}`;
const discovery = (name: string) => `io.k8s.api.discovery.v1.${name}`;

const endpointAddressSchema = obj(
  {
    hostname: str('The Hostname of this endpoint'),
    ip: str('The IP of this endpoint. May not be loopback (127.0.0.0/8 or ::1), link-local (169.254.0.0/16 or fe80::/10), or link-local multicast (224.0.0.0/24 or ff02::/16).'),
    nodeName: str('Optional: Node hosting this endpoint. This can be used to determine endpoints local to a node.'),
    targetRef: describe(objectReferenceSchema, 'Reference to object providing the endpoint.'),
  },
  { description: 'EndpointAddress is a tuple that describes single IP address.', required: ['ip'], mapType: 'atomic', definitionName: core('EndpointAddress') },
);

const endpointPortSchema = obj(
  {
    appProtocol: str('The application protocol for this port.'),
    name: str("The name of this port.  This must match the 'name' field in the corresponding ServicePort. Must be a DNS_LABEL. Optional only if one port is defined."),
    port: int32('The port number of the endpoint.'),
    protocol: enumOf(['SCTP', 'TCP', 'UDP'], 'The IP protocol for this port. Must be UDP, TCP, or SCTP. Default is TCP.'),
  },
  { description: 'EndpointPort is a tuple that describes a single port.', required: ['port'], mapType: 'atomic', definitionName: core('EndpointPort') },
);

const endpointSubsetSchema = obj(
  {
    addresses: atomicList(endpointAddressSchema, 'IP addresses which offer the related ports that are marked as ready. These endpoints should be considered safe for load balancers and clients to utilize.'),
    notReadyAddresses: atomicList(
      endpointAddressSchema,
      'IP addresses which offer the related ports but are not currently marked as ready because they have not yet finished starting, have recently failed a readiness check, or have recently failed a liveness check.',
    ),
    ports: atomicList(endpointPortSchema, 'Port numbers available on the related IP addresses.'),
  },
  { description: 'EndpointSubset is a group of addresses with a common set of ports. The expanded set of endpoints is the Cartesian product of Addresses x Ports.', definitionName: core('EndpointSubset') },
);

export const ENDPOINTS_SCHEMA: KindSchema = defineKind({
  group: '',
  version: 'v1',
  kind: 'Endpoints',
  pkg: 'core.v1',
  description: 'Endpoints is a collection of endpoints that implement the actual service.',
  fields: {
    subsets: atomicList(
      endpointSubsetSchema,
      'The set of all endpoints is the union of all subsets. Addresses are placed into subsets according to the IPs they share.',
    ),
  },
});

const sliceEndpointSchema = obj(
  {
    addresses: setList(str(), 'addresses of this endpoint. For EndpointSlices of addressType "IPv4" or "IPv6", the values are IP addresses in canonical form.'),
    conditions: obj(
      {
        ready: bool('ready indicates that this endpoint is ready to receive traffic, according to whatever system is managing the endpoint.'),
        serving: bool('serving indicates that this endpoint is able to receive traffic, according to whatever system is managing the endpoint.'),
        terminating: bool('terminating indicates that this endpoint is terminating.'),
      },
      { description: 'conditions contains information about the current status of the endpoint.', definitionName: discovery('EndpointConditions') },
    ),
    deprecatedTopology: stringMap('deprecatedTopology contains topology information part of the v1beta1 API. This field is deprecated.'),
    hints: obj(
      {
        forNodes: atomicList(obj({ name: str('name represents the name of the node.') }, { required: ['name'], definitionName: discovery('ForNode') }), 'forNodes indicates the node(s) this endpoint should be consumed by when using topology aware routing.'),
        forZones: atomicList(obj({ name: str('name represents the name of the zone.') }, { required: ['name'], definitionName: discovery('ForZone') }), 'forZones indicates the zone(s) this endpoint should be consumed by when using topology aware routing.'),
      },
      { description: 'hints contains information associated with how an endpoint should be consumed.', definitionName: discovery('EndpointHints') },
    ),
    hostname: str('hostname of this endpoint. This field may be used by consumers of endpoints to distinguish endpoints from each other (e.g. in DNS names).'),
    nodeName: str('nodeName represents the name of the Node hosting this endpoint.'),
    targetRef: describe(objectReferenceSchema, 'targetRef is a reference to a Kubernetes object that represents this endpoint.'),
    zone: str('zone is the name of the Zone this endpoint exists in.'),
  },
  { description: 'Endpoint represents a single logical "backend" implementing a service.', required: ['addresses'], definitionName: discovery('Endpoint') },
);

export const ENDPOINT_SLICE_SCHEMA: KindSchema = defineKind({
  group: 'discovery.k8s.io',
  version: 'v1',
  kind: 'EndpointSlice',
  pkg: 'discovery.v1',
  description:
    'EndpointSlice represents a subset of the endpoints that implement a service. For a given service there may be multiple EndpointSlice objects, selected by labels, which must be joined to produce the full set of endpoints.',
  fields: {
    addressType: enumOf(['FQDN', 'IPv4', 'IPv6'], 'addressType specifies the type of address carried by this EndpointSlice. All addresses in this slice must be the same type. This field is immutable after creation.'),
    endpoints: atomicList(sliceEndpointSchema, 'endpoints is a list of unique endpoints in this slice. Each slice may include a maximum of 1000 endpoints.'),
    ports: atomicList(
      obj(
        {
          appProtocol: str('The application protocol for this port.'),
          name: str('name represents the name of this port. All ports in an EndpointSlice must have a unique name.'),
          port: int32('port represents the port number of the endpoint. If this is not specified, ports are not restricted and must be interpreted in the context of the specific consumer.'),
          protocol: enumOf(['SCTP', 'TCP', 'UDP'], 'protocol represents the IP protocol for this port. Must be UDP, TCP, or SCTP. Default is TCP.'),
        },
        { description: 'EndpointPort represents a Port used by an EndpointSlice', mapType: 'atomic', definitionName: discovery('EndpointPort') },
      ),
      'ports specifies the list of network ports exposed by each endpoint in this slice.',
    ),
  },
  required: ['addressType', 'endpoints'],
});
