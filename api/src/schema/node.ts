// corev1.Node.
import { any, atomicList, bool, describe, enumOf, int32, int64, mapList, obj, resourceList, setList, str, time } from './builders.js';
import { conditionsList, defineKind, SPEC_DESCRIPTION, STATUS_DESCRIPTION } from './meta.js';
import type { KindSchema } from './schema.js';

const core = (name: string) => `io.k8s.api.core.v1.${name}`;

export const taintSchema = obj(
  {
    effect: enumOf(['NoExecute', 'NoSchedule', 'PreferNoSchedule'], 'Required. The effect of the taint on pods that do not tolerate the taint. Valid effects are NoSchedule, PreferNoSchedule and NoExecute.'),
    key: str('Required. The taint key to be applied to a node.'),
    timeAdded: time('TimeAdded represents the time at which the taint was added.'),
    value: str('The taint value corresponding to the taint key.'),
  },
  { description: 'The node this Taint is attached to has the "effect" on any pod that does not tolerate the Taint.', required: ['key', 'effect'], definitionName: core('Taint') },
);

const nodeSpecSchema = obj(
  {
    configSource: any('Deprecated: Previously used to specify the source of the node\'s configuration for the DynamicKubeletConfig feature. This feature is removed.'),
    externalID: str('Deprecated. Not all kubelets will set this field. Remove field after 1.13.'),
    podCIDR: str('PodCIDR represents the pod IP range assigned to the node.'),
    podCIDRs: setList(str(), 'podCIDRs represents the IP ranges assigned to the node for usage by Pods on that node. If this field is specified, the 0th entry must match the podCIDR field.', { merge: true }),
    providerID: str('ID of the node assigned by the cloud provider in the format: <ProviderName>://<ProviderSpecificNodeID>'),
    taints: atomicList(taintSchema, "If specified, the node's taints."),
    unschedulable: bool('Unschedulable controls node schedulability of new pods. By default, node is schedulable.'),
  },
  { description: 'NodeSpec describes the attributes that a node is created with.', definitionName: core('NodeSpec') },
);

const nodeStatusSchema = obj(
  {
    addresses: mapList(
      obj(
        { address: str('The node address.'), type: str('Node address type, one of Hostname, ExternalIP or InternalIP.') },
        { description: "NodeAddress contains information for the node's address.", required: ['type', 'address'], definitionName: core('NodeAddress') },
      ),
      ['type'],
      'List of addresses reachable to the node. Queried from cloud provider, if available.',
    ),
    allocatable: resourceList('Allocatable represents the resources of a node that are available for scheduling. Defaults to Capacity.'),
    capacity: resourceList('Capacity represents the total resources of a node.'),
    conditions: conditionsList(
      obj(
        {
          lastHeartbeatTime: time('Last time we got an update on a given condition.'),
          lastTransitionTime: time('Last time the condition transit from one status to another.'),
          message: str('Human readable message indicating details about last transition.'),
          reason: str("(brief) reason for the condition's last transition."),
          status: str('Status of the condition, one of True, False, Unknown.'),
          type: str('Type of node condition.'),
        },
        { description: 'NodeCondition contains condition information for a node.', required: ['type', 'status'], definitionName: core('NodeCondition') },
      ),
      'Conditions is an array of current observed node conditions.',
    ),
    config: any('Status of the config assigned to the node via the dynamic Kubelet config feature.'),
    daemonEndpoints: obj(
      {
        kubeletEndpoint: obj(
          { Port: int32('Port number of the given endpoint.') },
          { description: 'Endpoint on which Kubelet is listening.', required: ['Port'], definitionName: core('DaemonEndpoint') },
        ),
      },
      { description: 'Endpoints of daemons running on the Node.', definitionName: core('NodeDaemonEndpoints') },
    ),
    features: any('Features describes the set of features implemented by the CRI implementation.'),
    images: atomicList(
      obj(
        { names: atomicList(str(), 'Names by which this image is known.'), sizeBytes: int64('The size of the image in bytes.') },
        { description: 'Describe a container image', definitionName: core('ContainerImage') },
      ),
      'List of container images on this node',
    ),
    nodeInfo: obj(
      {
        architecture: str('The Architecture reported by the node'),
        bootID: str('Boot ID reported by the node.'),
        containerRuntimeVersion: str('ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).'),
        kernelVersion: str("Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64)."),
        kubeProxyVersion: str('Deprecated: KubeProxy Version reported by the node.'),
        kubeletVersion: str('Kubelet Version reported by the node.'),
        machineID: str('MachineID reported by the node. For unique machine identification in the cluster this field is preferred.'),
        operatingSystem: str('The Operating System reported by the node'),
        osImage: str('OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).'),
        swap: any('Swap Info reported by the node.'),
        systemUUID: str('SystemUUID reported by the node.'),
      },
      {
        description: 'Set of ids/uuids to uniquely identify the node.',
        required: ['machineID', 'systemUUID', 'bootID', 'kernelVersion', 'osImage', 'containerRuntimeVersion', 'kubeletVersion', 'kubeProxyVersion', 'operatingSystem', 'architecture'],
        definitionName: core('NodeSystemInfo'),
      },
    ),
    phase: enumOf(['Pending', 'Running', 'Terminated'], 'NodePhase is the recently observed lifecycle phase of the node. The field is never populated, and now is deprecated.'),
    runtimeHandlers: any('The available runtime handlers.'),
    volumesAttached: any('List of volumes that are attached to the node.'),
    volumesInUse: atomicList(str(), 'List of attachable volumes in use (mounted) by the node.'),
  },
  { description: 'NodeStatus is information about the current status of a node.', definitionName: core('NodeStatus') },
);

export const NODE_SCHEMA: KindSchema = defineKind({
  group: '',
  version: 'v1',
  kind: 'Node',
  pkg: 'core.v1',
  description: 'Node is a worker node in Kubernetes. Each node will have a unique identifier in the cache (i.e. in etcd).',
  fields: {
    spec: describe(nodeSpecSchema, `Spec defines the behavior of a node. ${SPEC_DESCRIPTION}`),
    status: describe(nodeStatusSchema, `Most recently observed status of the node. ${STATUS_DESCRIPTION}`),
  },
});
