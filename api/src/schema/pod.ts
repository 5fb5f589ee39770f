// corev1.Pod: PodSpec, PodStatus, PodTemplateSpec, and Binding.
import { atomicList, bool, describe, enumOf, int32, int64, mapList, obj, resourceList, str, stringMap, time } from './builders.js';
import { affinitySchema, tolerationSchema, topologySpreadConstraintSchema } from './affinity.js';
import { containerSchema, ephemeralContainerSchema, resourceRequirementsSchema, seccompProfileSchema, seLinuxOptionsSchema } from './container.js';
import { conditionsList, defineKind, localObjectReferenceSchema, objectMetaSchema, objectReferenceSchema, SPEC_DESCRIPTION, STATUS_DESCRIPTION } from './meta.js';
import type { KindSchema } from './schema.js';
import { volumeSchema } from './volume.js';

const core = (name: string) => `io.k8s.api.core.v1.${name}`;

const podSecurityContextSchema = obj(
  {
    fsGroup: int64('A special supplemental group that applies to all containers in a pod.'),
    fsGroupChangePolicy: enumOf(['Always', 'OnRootMismatch'], 'fsGroupChangePolicy defines behavior of changing ownership and permission of the volume before being exposed inside Pod.'),
    runAsGroup: int64('The GID to run the entrypoint of the container process. Uses runtime default if unset.'),
    runAsNonRoot: bool('Indicates that the container must run as a non-root user.'),
    runAsUser: int64('The UID to run the entrypoint of the container process. Defaults to user specified in image metadata if unspecified.'),
    seLinuxOptions: describe(seLinuxOptionsSchema, 'The SELinux context to be applied to all containers.'),
    seccompProfile: describe(seccompProfileSchema, 'The seccomp options to use by the containers in this pod.'),
    supplementalGroups: atomicList(int64(), "A list of groups applied to the first process run in each container, in addition to the container's primary GID."),
    supplementalGroupsPolicy: str('Defines how supplemental groups of the first container processes are calculated.'),
    sysctls: atomicList(
      obj(
        { name: str('Name of a property to set'), value: str('Value of a property to set') },
        { description: 'Sysctl defines a kernel parameter to be set', required: ['name', 'value'], definitionName: core('Sysctl') },
      ),
      'Sysctls hold a list of namespaced sysctls used for the pod.',
    ),
  },
  {
    description: 'PodSecurityContext holds pod-level security attributes and common container settings. Some fields are also present in container.securityContext. Field values of container.securityContext take precedence over field values of PodSecurityContext.',
    definitionName: core('PodSecurityContext'),
  },
);

export const podSpecSchema = obj(
  {
    activeDeadlineSeconds: int64('Optional duration in seconds the pod may be active on the node relative to StartTime before the system will actively try to mark it failed and kill associated containers.'),
    affinity: affinitySchema,
    automountServiceAccountToken: bool('AutomountServiceAccountToken indicates whether a service account token should be automatically mounted.'),
    containers: mapList(containerSchema, ['name'], 'List of containers belonging to the pod. Containers cannot currently be added or removed. There must be at least one container in a Pod. Cannot be updated.'),
    dnsConfig: obj(
      {
        nameservers: atomicList(str(), 'A list of DNS name server IP addresses.'),
        options: atomicList(
          obj({ name: str('Required.'), value: str() }, { description: 'PodDNSConfigOption defines DNS resolver options of a pod.', definitionName: core('PodDNSConfigOption') }),
          'A list of DNS resolver options.',
        ),
        searches: atomicList(str(), 'A list of DNS search domains for host-name lookup.'),
      },
      { description: 'Specifies the DNS parameters of a pod. Parameters specified here will be merged to the generated DNS configuration based on DNSPolicy.', definitionName: core('PodDNSConfig') },
    ),
    dnsPolicy: enumOf(
      ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'],
      "Set DNS policy for the pod. Defaults to \"ClusterFirst\". Valid values are 'ClusterFirstWithHostNet', 'ClusterFirst', 'Default' or 'None'.",
    ),
    enableServiceLinks: bool("EnableServiceLinks indicates whether information about services should be injected into pod's environment variables, matching the syntax of Docker links. Optional: Defaults to true."),
    ephemeralContainers: mapList(ephemeralContainerSchema, ['name'], 'List of ephemeral containers run in this pod.'),
    hostAliases: mapList(
      obj(
        { hostnames: atomicList(str(), 'Hostnames for the above IP address.'), ip: str('IP address of the host file entry.') },
        { description: "HostAlias holds the mapping between IP and hostnames that will be injected as an entry in the pod's hosts file.", required: ['ip'], definitionName: core('HostAlias') },
      ),
      ['ip'],
      "HostAliases is an optional list of hosts and IPs that will be injected into the pod's hosts file if specified.",
    ),
    hostIPC: bool("Use the host's ipc namespace. Optional: Default to false."),
    hostNetwork: bool("Host networking requested for this pod. Use the host's network namespace. Default to false."),
    hostPID: bool("Use the host's pid namespace. Optional: Default to false."),
    hostUsers: bool("Use the host's user namespace. Optional: Default to true."),
    hostname: str("Specifies the hostname of the Pod If not specified, the pod's hostname will be set to a system-defined value."),
    imagePullSecrets: mapList(
      localObjectReferenceSchema,
      ['name'],
      'ImagePullSecrets is an optional list of references to secrets in the same namespace to use for pulling any of the images used by this PodSpec.',
    ),
    initContainers: mapList(
      containerSchema,
      ['name'],
      'List of initialization containers belonging to the pod. Init containers are executed in order prior to containers being started. If any init container fails, the pod is considered to have failed and is handled according to its restartPolicy.',
    ),
    nodeName: str('NodeName indicates in which node this pod is scheduled. If empty, this pod is a candidate for scheduling by the scheduler defined in schedulerName.'),
    nodeSelector: stringMap(
      "NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node's labels for the pod to be scheduled on that node.",
      { mapType: 'atomic' },
    ),
    os: obj(
      { name: str('Name is the name of the operating system. The currently supported values are linux and windows.') },
      { description: 'Specifies the OS of the containers in the pod.', required: ['name'], definitionName: core('PodOS') },
    ),
    overhead: resourceList('Overhead represents the resource overhead associated with running a pod for a given RuntimeClass.'),
    preemptionPolicy: enumOf(['Never', 'PreemptLowerPriority'], 'PreemptionPolicy is the Policy for preempting pods with lower priority. One of Never, PreemptLowerPriority.'),
    priority: int32('The priority value. Various system components use this field to find the priority of the pod.'),
    priorityClassName: str("If specified, indicates the pod's priority."),
    readinessGates: atomicList(
      obj(
        { conditionType: str("ConditionType refers to a condition in the pod's condition list with matching type.") },
        { description: 'PodReadinessGate contains the reference to a pod condition', required: ['conditionType'], definitionName: core('PodReadinessGate') },
      ),
      'If specified, all readiness gates will be evaluated for pod readiness.',
    ),
    resourceClaims: mapList(
      obj(
        {
          name: str('Name uniquely identifies this resource claim inside the pod. This must be a DNS_LABEL.'),
          resourceClaimName: str('ResourceClaimName is the name of a ResourceClaim object in the same namespace as this pod.'),
          resourceClaimTemplateName: str('ResourceClaimTemplateName is the name of a ResourceClaimTemplate object in the same namespace as this pod.'),
        },
        { description: 'PodResourceClaim references exactly one ResourceClaim.', required: ['name'], definitionName: core('PodResourceClaim') },
      ),
      ['name'],
      'ResourceClaims defines which ResourceClaims must be allocated and reserved before the Pod is allowed to start.',
      { strategy: 'merge,retainKeys' },
    ),
    resources: describe(resourceRequirementsSchema, 'Resources is the total amount of CPU and Memory resources required by all containers in the pod.'),
    restartPolicy: enumOf(
      ['Always', 'Never', 'OnFailure'],
      'Restart policy for all containers within the pod. One of Always, OnFailure, Never. In some contexts, only a subset of those values may be permitted. Default to Always.',
    ),
    runtimeClassName: str('RuntimeClassName refers to a RuntimeClass object in the node.k8s.io group, which should be used to run this pod.'),
    schedulerName: str('If specified, the pod will be dispatched by specified scheduler. If not specified, the pod will be dispatched by default scheduler.'),
    schedulingGates: mapList(
      obj({ name: str('Name of the scheduling gate.') }, { description: 'PodSchedulingGate is associated to a Pod to guard its scheduling.', required: ['name'], definitionName: core('PodSchedulingGate') }),
      ['name'],
      'SchedulingGates is an opaque list of values that if specified will block scheduling the pod.',
    ),
    securityContext: describe(podSecurityContextSchema, 'SecurityContext holds pod-level security attributes and common container settings. Optional: Defaults to empty.'),
    serviceAccount: str('DeprecatedServiceAccount is a deprecated alias for ServiceAccountName. Deprecated: Use serviceAccountName instead.'),
    serviceAccountName: str('ServiceAccountName is the name of the ServiceAccount to use to run this pod.'),
    setHostnameAsFQDN: bool("If true the pod's hostname will be configured as the pod's FQDN, rather than the leaf name (the default)."),
    shareProcessNamespace: bool('Share a single process namespace between all of the containers in a pod. Optional: Default to false.'),
    subdomain: str('If specified, the fully qualified Pod hostname will be "<hostname>.<subdomain>.<pod namespace>.svc.<cluster domain>".'),
    terminationGracePeriodSeconds: int64(
      'Optional duration in seconds the pod needs to terminate gracefully. May be decreased in delete request. Value must be non-negative integer. The value zero indicates stop immediately via the kill signal (no opportunity to shut down). Defaults to 30 seconds.',
    ),
    tolerations: atomicList(tolerationSchema, "If specified, the pod's tolerations."),
    topologySpreadConstraints: mapList(
      topologySpreadConstraintSchema,
      ['topologyKey', 'whenUnsatisfiable'],
      'TopologySpreadConstraints describes how a group of pods ought to spread across topology domains.',
    ),
    volumes: mapList(volumeSchema, ['name'], 'List of volumes that can be mounted by containers belonging to the pod.', { strategy: 'merge,retainKeys' }),
  },
  { description: 'PodSpec is a description of a pod.', required: ['containers'], definitionName: core('PodSpec') },
);

const containerStateSchema = obj(
  {
    running: obj(
      { startedAt: time('Time at which the container was last (re-)started') },
      { description: 'Details about a running container', definitionName: core('ContainerStateRunning') },
    ),
    terminated: obj(
      {
        containerID: str("Container's ID in the format '<type>://<container_id>'"),
        exitCode: int32('Exit status from the last termination of the container'),
        finishedAt: time('Time at which the container last terminated'),
        message: str('Message regarding the last termination of the container'),
        reason: str('(brief) reason from the last termination of the container'),
        signal: int32('Signal from the last termination of the container'),
        startedAt: time('Time at which previous execution of the container started'),
      },
      { description: 'Details about a terminated container', required: ['exitCode'], definitionName: core('ContainerStateTerminated') },
    ),
    waiting: obj(
      { message: str('Message regarding why the container is not yet running.'), reason: str('(brief) reason the container is not yet running.') },
      { description: 'Details about a waiting container', definitionName: core('ContainerStateWaiting') },
    ),
  },
  {
    description: 'ContainerState holds a possible state of container. Only one of its members may be specified. If none of them is specified, the default one is ContainerStateWaiting.',
    definitionName: core('ContainerState'),
  },
);

const containerStatusSchema = obj(
  {
    allocatedResources: resourceList('AllocatedResources represents the compute resources allocated for this container by the node.'),
    containerID: str("ContainerID is the ID of the container in the format '<type>://<container_id>'."),
    image: str('Image is the name of container image that the container is running.'),
    imageID: str("ImageID is the image ID of the container's image."),
    lastState: describe(containerStateSchema, 'LastTerminationState holds the last termination state of the container to help debug container crashes and restarts.'),
    name: str('Name is a DNS_LABEL representing the unique name of the container.'),
    ready: bool('Ready specifies whether the container is currently passing its readiness check.'),
    resources: describe(resourceRequirementsSchema, 'Resources represents the compute resource requests and limits that have been successfully enacted on the running container.'),
    restartCount: int32('RestartCount holds the number of times the container has been restarted.'),
    started: bool('Started indicates whether the container has finished its postStart lifecycle hook and passed its startup probe.'),
    state: describe(containerStateSchema, "State holds details about the container's current condition."),
  },
  {
    description: 'ContainerStatus contains details for the current status of this container.',
    required: ['name', 'ready', 'restartCount', 'image', 'imageID'],
    definitionName: core('ContainerStatus'),
  },
);

const podIPSchema = (def: string) =>
  obj({ ip: str('IP is the IP address assigned.') }, { description: `${def} represents a single IP address allocated.`, required: ['ip'], definitionName: core(def) });

export const podStatusSchema = obj(
  {
    conditions: conditionsList(
      obj(
        {
          lastProbeTime: time('Last time we probed the condition.'),
          lastTransitionTime: time('Last time the condition transitioned from one status to another.'),
          message: str('Human-readable message indicating details about last transition.'),
          observedGeneration: int64('If set, this represents the .metadata.generation that the pod condition was set based upon.'),
          reason: str("Unique, one-word, CamelCase reason for the condition's last transition."),
          status: str('Status is the status of the condition. Can be True, False, Unknown.'),
          type: str('Type is the type of the condition.'),
        },
        { description: 'PodCondition contains details for the current condition of this pod.', required: ['type', 'status'], definitionName: core('PodCondition') },
      ),
      'Current service state of pod.',
    ),
    containerStatuses: atomicList(containerStatusSchema, 'The list has one entry per container in the manifest.'),
    ephemeralContainerStatuses: atomicList(containerStatusSchema, 'Status for any ephemeral containers that have run in this pod.'),
    hostIP: str('hostIP holds the IP address of the host to which the pod is assigned. Empty if the pod has not started yet.'),
    hostIPs: { ...atomicList(podIPSchema('HostIP'), 'hostIPs holds the IP addresses allocated to the host.'), patchStrategy: 'merge', patchMergeKey: 'ip' },
    initContainerStatuses: atomicList(containerStatusSchema, 'The list has one entry per init container in the manifest.'),
    message: str('A human readable message indicating details about why the pod is in this condition.'),
    nominatedNodeName: str('nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods.'),
    observedGeneration: int64('If set, this represents the .metadata.generation that the pod status was set based upon.'),
    phase: enumOf(
      ['Failed', 'Pending', 'Running', 'Succeeded', 'Unknown'],
      'The phase of a Pod is a simple, high-level summary of where the Pod is in its lifecycle. There are five possible phase values: Pending, Running, Succeeded, Failed, Unknown.',
    ),
    podIP: str('podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.'),
    podIPs: mapList(podIPSchema('PodIP'), ['ip'], 'podIPs holds the IP addresses allocated to the pod.'),
    qosClass: enumOf(['BestEffort', 'Burstable', 'Guaranteed'], 'The Quality of Service (QOS) classification assigned to the pod based on resource requirements.'),
    reason: str("A brief CamelCase message indicating details about why the pod is in this state. e.g. 'Evicted'"),
    resize: str("Status of resources resize desired for pod's containers."),
    startTime: time('RFC 3339 date and time at which the object was acknowledged by the Kubelet. This is before the Kubelet pulled the container image(s) for the pod.'),
  },
  {
    description: 'PodStatus represents information about the status of a pod. Status may trail the actual state of a system, especially if the node that hosts the pod cannot contact the control plane.',
    definitionName: core('PodStatus'),
  },
);

export const podTemplateSpecSchema = obj(
  {
    metadata: describe(objectMetaSchema, "Standard object's metadata."),
    spec: describe(podSpecSchema, 'Specification of the desired behavior of the pod.'),
  },
  { description: 'PodTemplateSpec describes the data a pod should have when created from a template', definitionName: core('PodTemplateSpec') },
);

export const POD_SCHEMA: KindSchema = defineKind({
  group: '',
  version: 'v1',
  kind: 'Pod',
  pkg: 'core.v1',
  description: 'Pod is a collection of containers that can run on a host. This resource is created by clients and scheduled onto hosts.',
  fields: {
    spec: describe(podSpecSchema, `Specification of the desired behavior of the pod. ${SPEC_DESCRIPTION}`),
    status: describe(podStatusSchema, `Most recently observed status of the pod. This data may not be up to date. ${STATUS_DESCRIPTION}`),
  },
});

export const BINDING_SCHEMA: KindSchema = defineKind({
  group: '',
  version: 'v1',
  kind: 'Binding',
  pkg: 'core.v1',
  description: 'Binding ties one object to another; for example, a pod is bound to a node by a scheduler.',
  fields: { target: describe(objectReferenceSchema, 'The target object that you want to bind to the standard object.') },
  required: ['target'],
});
