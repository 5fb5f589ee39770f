// corev1.Service.
import { atomicList, bool, describe, enumOf, int32, intOrString, mapList, obj, str, stringMap } from './builders.js';
import { defineKind, metav1ConditionSchema, SPEC_DESCRIPTION, STATUS_DESCRIPTION } from './meta.js';
import type { KindSchema } from './schema.js';

const core = (name: string) => `io.k8s.api.core.v1.${name}`;

export const servicePortSchema = obj(
  {
    appProtocol: str('The application protocol for this port. This is used as a hint for implementations to offer richer behavior for protocols that they understand.'),
    name: str('The name of this port within the service. This must be a DNS_LABEL. All ports within a ServiceSpec must have unique names. Optional if only one ServicePort is defined on this service.'),
    nodePort: int32('The port on each node on which this service is exposed when type is NodePort or LoadBalancer. Usually assigned by the system.'),
    port: int32('The port that will be exposed by this service.'),
    protocol: enumOf(['SCTP', 'TCP', 'UDP'], 'The IP protocol for this port. Supports "TCP", "UDP", and "SCTP". Default is TCP.'),
    targetPort: intOrString(
      "Number or name of the port to access on the pods targeted by the service. Number must be in the range 1 to 65535. Name must be an IANA_SVC_NAME. If this is a string, it will be looked up as a named port in the target Pod's container ports. If this is not specified, the value of the 'port' field is used (an identity map).",
    ),
  },
  { description: "ServicePort contains information on service's port.", required: ['port'], definitionName: core('ServicePort') },
);

const serviceSpecSchema = obj(
  {
    allocateLoadBalancerNodePorts: bool('allocateLoadBalancerNodePorts defines if NodePorts will be automatically allocated for services with type LoadBalancer. Default is "true".'),
    clusterIP: str(
      'clusterIP is the IP address of the service and is usually assigned randomly. If an address is specified manually, is in-range (as per system configuration), and is not in use, it will be allocated to the service; otherwise creation of the service will fail. Valid values are "None", empty string (""), or a valid IP address. Setting this to "None" makes a "headless service" (no virtual IP).',
    ),
    clusterIPs: atomicList(str(), 'ClusterIPs is a list of IP addresses assigned to this service, and are usually assigned randomly.'),
    externalIPs: atomicList(str(), 'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.'),
    externalName: str('externalName is the external reference that discovery mechanisms will return as an alias for this service (e.g. a DNS CNAME record). Requires `type` to be "ExternalName".'),
    externalTrafficPolicy: enumOf(
      ['Cluster', 'Local'],
      'externalTrafficPolicy describes how nodes distribute service traffic they receive on one of the Service\'s "externally-facing" addresses (NodePorts, ExternalIPs, and LoadBalancer IPs).',
    ),
    healthCheckNodePort: int32('healthCheckNodePort specifies the healthcheck nodePort for the service. This only applies when type is set to LoadBalancer and externalTrafficPolicy is set to Local.'),
    internalTrafficPolicy: enumOf(['Cluster', 'Local'], 'InternalTrafficPolicy describes how nodes distribute service traffic they receive on the ClusterIP.'),
    ipFamilies: atomicList(enumOf(['IPv4', 'IPv6']), 'IPFamilies is a list of IP families (e.g. IPv4, IPv6) assigned to this service.'),
    ipFamilyPolicy: enumOf(['PreferDualStack', 'RequireDualStack', 'SingleStack'], 'IPFamilyPolicy represents the dual-stack-ness requested or required by this Service.'),
    loadBalancerClass: str('loadBalancerClass is the class of the load balancer implementation this Service belongs to.'),
    loadBalancerIP: str('Only applies to Service Type: LoadBalancer. Deprecated.'),
    loadBalancerSourceRanges: atomicList(str(), 'If specified and supported by the platform, this will restrict traffic through the cloud-provider load-balancer will be restricted to the specified client IPs.'),
    ports: mapList(servicePortSchema, ['port', 'protocol'], 'The list of ports that are exposed by this service.'),
    publishNotReadyAddresses: bool('publishNotReadyAddresses indicates that any agent which deals with endpoints for this Service should disregard any indications of ready/not-ready.'),
    selector: stringMap(
      'Route service traffic to pods with label keys and values matching this selector. If empty or not present, the service is assumed to have an external process managing its endpoints, which Kubernetes will not modify.',
      { mapType: 'atomic' },
    ),
    sessionAffinity: enumOf(['ClientIP', 'None'], 'Supports "ClientIP" and "None". Used to maintain session affinity. Enable client IP based session affinity. Must be ClientIP or None. Defaults to None.'),
    sessionAffinityConfig: obj(
      {
        clientIP: obj(
          { timeoutSeconds: int32('timeoutSeconds specifies the seconds of ClientIP type session sticky time. Default value is 10800(for 3 hours).') },
          { description: 'clientIP contains the configurations of Client IP based session affinity.', definitionName: core('ClientIPConfig') },
        ),
      },
      { description: 'sessionAffinityConfig contains the configurations of session affinity.', definitionName: core('SessionAffinityConfig') },
    ),
    trafficDistribution: str('TrafficDistribution offers a way to express preferences for how traffic is distributed to Service endpoints.'),
    type: enumOf(
      ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'],
      'type determines how the Service is exposed. Defaults to ClusterIP. Valid options are ExternalName, ClusterIP, NodePort, and LoadBalancer.',
    ),
  },
  { description: 'ServiceSpec describes the attributes that a user creates on a service.', definitionName: core('ServiceSpec') },
);

const serviceStatusSchema = obj(
  {
    conditions: mapList(metav1ConditionSchema, ['type'], 'Current service state'),
    loadBalancer: obj(
      {
        ingress: atomicList(
          obj(
            {
              hostname: str('Hostname is set for load-balancer ingress points that are DNS based'),
              ip: str('IP is set for load-balancer ingress points that are IP based'),
              ipMode: str('IPMode specifies how the load-balancer IP behaves.'),
              ports: atomicList(
                obj(
                  { error: str(), port: int32('Port is the port number of the service port of which status is recorded here'), protocol: str('Protocol is the protocol of the service port of which status is recorded here') },
                  { required: ['port', 'protocol'], definitionName: core('PortStatus') },
                ),
                'Ports is a list of records of service ports',
              ),
            },
            { description: 'LoadBalancerIngress represents the status of a load-balancer ingress point.', definitionName: core('LoadBalancerIngress') },
          ),
          'Ingress is a list containing ingress points for the load-balancer.',
        ),
      },
      { description: 'LoadBalancer contains the current status of the load-balancer, if one is present.', definitionName: core('LoadBalancerStatus') },
    ),
  },
  { description: 'ServiceStatus represents the current status of a service.', definitionName: core('ServiceStatus') },
);

export const SERVICE_SCHEMA: KindSchema = defineKind({
  group: '',
  version: 'v1',
  kind: 'Service',
  pkg: 'core.v1',
  description:
    "Service is a named abstraction of software service (for example, mysql) consisting of local port (for example 3306) that the proxy listens on, and the selector that determines which pods will answer requests sent through the proxy.",
  fields: {
    spec: describe(serviceSpecSchema, `Spec defines the behavior of a service. ${SPEC_DESCRIPTION}`),
    status: describe(serviceStatusSchema, `Most recently observed status of the service. ${STATUS_DESCRIPTION}`),
  },
});
