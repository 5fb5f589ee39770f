// corev1.Container and its parts (ports, env, mounts, probes, lifecycle, resources, security).
import {
  atomicList,
  bool,
  describe,
  enumOf,
  int32,
  int64,
  intOrString,
  mapList,
  obj,
  quantity,
  resourceList,
  str,
} from './builders.js';

const core = (name: string) => `io.k8s.api.core.v1.${name}`;

export const containerPortSchema = obj(
  {
    containerPort: int32("Number of port to expose on the pod's IP address. This must be a valid port number, 0 < x < 65536."),
    hostIP: str('What host IP to bind the external port to.'),
    hostPort: int32('Number of port to expose on the host. If specified, this must be a valid port number, 0 < x < 65536. Most containers do not need this.'),
    name: str('If specified, this must be an IANA_SVC_NAME and unique within the pod. Each named port in a pod must have a unique name. Name for the port that can be referred to by services.'),
    protocol: enumOf(['SCTP', 'TCP', 'UDP'], 'Protocol for port. Must be UDP, TCP, or SCTP. Defaults to "TCP".'),
  },
  { description: 'ContainerPort represents a network port in a single container.', required: ['containerPort'], definitionName: core('ContainerPort') },
);

export const objectFieldSelectorSchema = obj(
  {
    apiVersion: str('Version of the schema the FieldPath is written in terms of, defaults to "v1".'),
    fieldPath: str('Path of the field to select in the specified API version.'),
  },
  { description: 'ObjectFieldSelector selects an APIVersioned field of an object.', required: ['fieldPath'], mapType: 'atomic', definitionName: core('ObjectFieldSelector') },
);

export const resourceFieldSelectorSchema = obj(
  {
    containerName: str('Container name: required for volumes, optional for env vars'),
    divisor: quantity('Specifies the output format of the exposed resources, defaults to "1"'),
    resource: str('Required: resource to select'),
  },
  { description: 'ResourceFieldSelector represents container resources (cpu, memory) and their output format', required: ['resource'], mapType: 'atomic', definitionName: core('ResourceFieldSelector') },
);

const keySelector = (what: string, def: string) =>
  obj(
    {
      key: str(`The key of the ${what} to select from.`),
      name: str('Name of the referent.'),
      optional: bool(`Specify whether the ${what} or its key must be defined`),
    },
    { description: `Selects a key of a ${what}.`, required: ['key'], mapType: 'atomic', definitionName: core(def) },
  );

export const envVarSourceSchema = obj(
  {
    configMapKeyRef: keySelector('ConfigMap', 'ConfigMapKeySelector'),
    fieldRef: describe(
      objectFieldSelectorSchema,
      "Selects a field of the pod: supports metadata.name, metadata.namespace, `metadata.labels['<KEY>']`, `metadata.annotations['<KEY>']`, spec.nodeName, spec.serviceAccountName, status.hostIP, status.podIP, status.podIPs.",
    ),
    resourceFieldRef: describe(
      resourceFieldSelectorSchema,
      'Selects a resource of the container: only resources limits and requests (limits.cpu, limits.memory, limits.ephemeral-storage, requests.cpu, requests.memory and requests.ephemeral-storage) are currently supported.',
    ),
    secretKeyRef: keySelector('secret', 'SecretKeySelector'),
  },
  { description: 'EnvVarSource represents a source for the value of an EnvVar.', definitionName: core('EnvVarSource') },
);

export const envVarSchema = obj(
  {
    name: str('Name of the environment variable. Must be a C_IDENTIFIER.'),
    value: str(
      'Variable references $(VAR_NAME) are expanded using the previously defined environment variables in the container and any service environment variables. If a variable cannot be resolved, the reference in the input string will be unchanged. Defaults to "".',
    ),
    valueFrom: describe(envVarSourceSchema, "Source for the environment variable's value. Cannot be used if value is not empty."),
  },
  { description: 'EnvVar represents an environment variable present in a Container.', required: ['name'], definitionName: core('EnvVar') },
);

const envSource = (what: string, def: string) =>
  obj(
    { name: str('Name of the referent.'), optional: bool(`Specify whether the ${what} must be defined`) },
    { description: `${def} selects a ${what} to populate the environment variables with.`, definitionName: core(def) },
  );

export const envFromSourceSchema = obj(
  {
    configMapRef: envSource('ConfigMap', 'ConfigMapEnvSource'),
    prefix: str('An optional identifier to prepend to each key in the ConfigMap. Must be a C_IDENTIFIER.'),
    secretRef: envSource('Secret', 'SecretEnvSource'),
  },
  { description: 'EnvFromSource represents the source of a set of ConfigMaps or Secrets', definitionName: core('EnvFromSource') },
);

export const volumeMountSchema = obj(
  {
    mountPath: str("Path within the container at which the volume should be mounted.  Must not contain ':'."),
    mountPropagation: enumOf(['Bidirectional', 'HostToContainer', 'None'], 'mountPropagation determines how mounts are propagated from the host to container and the other way around.'),
    name: str('This must match the Name of a Volume.'),
    readOnly: bool('Mounted read-only if true, read-write otherwise (false or unspecified). Defaults to false.'),
    recursiveReadOnly: str('RecursiveReadOnly specifies whether read-only mounts should be handled recursively.'),
    subPath: str('Path within the volume from which the container\'s volume should be mounted. Defaults to "" (volume\'s root).'),
    subPathExpr: str("Expanded path within the volume from which the container's volume should be mounted. SubPathExpr and SubPath are mutually exclusive."),
  },
  { description: 'VolumeMount describes a mounting of a Volume within a container.', required: ['name', 'mountPath'], definitionName: core('VolumeMount') },
);

export const volumeDeviceSchema = obj(
  {
    devicePath: str('devicePath is the path inside of the container that the device will be mapped to.'),
    name: str('name must match the name of a persistentVolumeClaim in the pod'),
  },
  { description: 'volumeDevice describes a mapping of a raw block device within a container.', required: ['name', 'devicePath'], definitionName: core('VolumeDevice') },
);

export const execActionSchema = obj(
  {
    command: atomicList(
      str(),
      "Command is the command line to execute inside the container, the working directory for the command  is root ('/') in the container's filesystem. The command is simply exec'd, it is not run inside a shell. Exit status of 0 is treated as live/healthy and non-zero is unhealthy.",
    ),
  },
  { description: 'ExecAction describes a "run in container" action.', definitionName: core('ExecAction') },
);

export const httpGetActionSchema = obj(
  {
    host: str('Host name to connect to, defaults to the pod IP. You probably want to set "Host" in httpHeaders instead.'),
    httpHeaders: atomicList(
      obj(
        { name: str('The header field name.'), value: str('The header field value') },
        { description: 'HTTPHeader describes a custom header to be used in HTTP probes', required: ['name', 'value'], definitionName: core('HTTPHeader') },
      ),
      'Custom headers to set in the request. HTTP allows repeated headers.',
    ),
    path: str('Path to access on the HTTP server.'),
    port: intOrString('Name or number of the port to access on the container. Number must be in the range 1 to 65535. Name must be an IANA_SVC_NAME.'),
    scheme: enumOf(['HTTP', 'HTTPS'], 'Scheme to use for connecting to the host. Defaults to HTTP.'),
  },
  { description: 'HTTPGetAction describes an action based on HTTP Get requests.', required: ['port'], definitionName: core('HTTPGetAction') },
);

export const tcpSocketActionSchema = obj(
  {
    host: str('Optional: Host name to connect to, defaults to the pod IP.'),
    port: intOrString('Number or name of the port to access on the container. Number must be in the range 1 to 65535. Name must be an IANA_SVC_NAME.'),
  },
  { description: 'TCPSocketAction describes an action based on opening a socket', required: ['port'], definitionName: core('TCPSocketAction') },
);

const grpcActionSchema = obj(
  {
    port: int32('Port number of the gRPC service. Number must be in the range 1 to 65535.'),
    service: str('Service is the name of the service to place in the gRPC HealthCheckRequest. If this is not specified, the default behavior is defined by gRPC.'),
  },
  { description: 'GRPCAction specifies an action involving a GRPC service.', required: ['port'], definitionName: core('GRPCAction') },
);

export const probeSchema = obj(
  {
    exec: describe(execActionSchema, 'Exec specifies a command to execute in the container.'),
    failureThreshold: int32('Minimum consecutive failures for the probe to be considered failed after having succeeded. Defaults to 3. Minimum value is 1.'),
    grpc: describe(grpcActionSchema, 'GRPC specifies a GRPC HealthCheckRequest.'),
    httpGet: describe(httpGetActionSchema, 'HTTPGet specifies an HTTP GET request to perform.'),
    initialDelaySeconds: int32('Number of seconds after the container has started before liveness probes are initiated.'),
    periodSeconds: int32('How often (in seconds) to perform the probe. Default to 10 seconds. Minimum value is 1.'),
    successThreshold: int32('Minimum consecutive successes for the probe to be considered successful after having failed. Defaults to 1. Must be 1 for liveness and startup. Minimum value is 1.'),
    tcpSocket: describe(tcpSocketActionSchema, 'TCPSocket specifies a connection to a TCP port.'),
    terminationGracePeriodSeconds: int64('Optional duration in seconds the pod needs to terminate gracefully upon probe failure.'),
    timeoutSeconds: int32('Number of seconds after which the probe times out. Defaults to 1 second. Minimum value is 1.'),
  },
  {
    description: 'Probe describes a health check to be performed against a container to determine whether it is alive or ready to receive traffic.',
    definitionName: core('Probe'),
  },
);

export const lifecycleHandlerSchema = obj(
  {
    exec: describe(execActionSchema, 'Exec specifies a command to execute in the container.'),
    httpGet: describe(httpGetActionSchema, 'HTTPGet specifies an HTTP GET request to perform.'),
    sleep: obj(
      { seconds: int64('Seconds is the number of seconds to sleep.') },
      { description: 'Sleep represents a duration that the container should sleep.', required: ['seconds'], definitionName: core('SleepAction') },
    ),
    tcpSocket: describe(tcpSocketActionSchema, 'Deprecated. TCPSocket is NOT supported as a LifecycleHandler and kept for backward compatibility.'),
  },
  {
    description: 'LifecycleHandler defines a specific action that should be taken in a lifecycle hook. One and only one of the fields, except TCPSocket must be specified.',
    definitionName: core('LifecycleHandler'),
  },
);

export const lifecycleSchema = obj(
  {
    postStart: describe(
      lifecycleHandlerSchema,
      'PostStart is called immediately after a container is created. If the handler fails, the container is terminated and restarted according to its restart policy.',
    ),
    preStop: describe(
      lifecycleHandlerSchema,
      'PreStop is called immediately before a container is terminated due to an API request or management event such as liveness/startup probe failure, preemption, resource contention, etc.',
    ),
  },
  {
    description: 'Lifecycle describes actions that the management system should take in response to container lifecycle events.',
    definitionName: core('Lifecycle'),
  },
);

export const resourceRequirementsSchema = obj(
  {
    claims: mapList(
      obj(
        { name: str('Name must match the name of one entry in pod.spec.resourceClaims of the Pod where this field is used.'), request: str() },
        { description: 'ResourceClaim references one entry in PodSpec.ResourceClaims.', required: ['name'], definitionName: core('ResourceClaim') },
      ),
      ['name'],
      'Claims lists the names of resources, defined in spec.resourceClaims, that are used by this container.',
      { strategy: 'none' },
    ),
    limits: resourceList('Limits describes the maximum amount of compute resources allowed.'),
    requests: resourceList(
      'Requests describes the minimum amount of compute resources required. If Requests is omitted for a container, it defaults to Limits if that is explicitly specified, otherwise to an implementation-defined value. Requests cannot exceed Limits.',
    ),
  },
  { description: 'ResourceRequirements describes the compute resource requirements.', definitionName: core('ResourceRequirements') },
);

export const seLinuxOptionsSchema = obj(
  {
    level: str('Level is SELinux level label that applies to the container.'),
    role: str('Role is a SELinux role label that applies to the container.'),
    type: str('Type is a SELinux type label that applies to the container.'),
    user: str('User is a SELinux user label that applies to the container.'),
  },
  { description: 'SELinuxOptions are the labels to be applied to the container', definitionName: core('SELinuxOptions') },
);

export const seccompProfileSchema = obj(
  {
    localhostProfile: str("localhostProfile indicates a profile defined in a file on the node should be used. Must be set if type is \"Localhost\"."),
    type: enumOf(['Localhost', 'RuntimeDefault', 'Unconfined'], 'type indicates which kind of seccomp profile will be applied.'),
  },
  { description: "SeccompProfile defines a pod/container's seccomp profile settings. Only one profile source may be set.", required: ['type'], definitionName: core('SeccompProfile') },
);

export const securityContextSchema = obj(
  {
    allowPrivilegeEscalation: bool('AllowPrivilegeEscalation controls whether a process can gain more privileges than its parent process.'),
    capabilities: obj(
      { add: atomicList(str(), 'Added capabilities'), drop: atomicList(str(), 'Removed capabilities') },
      { description: 'The capabilities to add/drop when running containers. Defaults to the default set of capabilities granted by the container runtime.', definitionName: core('Capabilities') },
    ),
    privileged: bool('Run container in privileged mode. Processes in privileged containers are essentially equivalent to root on the host. Defaults to false.'),
    procMount: str('procMount denotes the type of proc mount to use for the containers.'),
    readOnlyRootFilesystem: bool('Whether this container has a read-only root filesystem. Default is false.'),
    runAsGroup: int64('The GID to run the entrypoint of the container process. Uses runtime default if unset.'),
    runAsNonRoot: bool('Indicates that the container must run as a non-root user.'),
    runAsUser: int64('The UID to run the entrypoint of the container process. Defaults to user specified in image metadata if unspecified.'),
    seLinuxOptions: describe(seLinuxOptionsSchema, 'The SELinux context to be applied to the container.'),
    seccompProfile: describe(seccompProfileSchema, 'The seccomp options to use by this container.'),
  },
  {
    description: 'SecurityContext holds security configuration that will be applied to a container. Some fields are present in both SecurityContext and PodSecurityContext. When both are set, the values in SecurityContext take precedence.',
    definitionName: core('SecurityContext'),
  },
);

const containerFields = {
  args: atomicList(str(), "Arguments to the entrypoint. The container image's CMD is used if this is not provided. Cannot be updated."),
  command: atomicList(str(), "Entrypoint array. Not executed within a shell. The container image's ENTRYPOINT is used if this is not provided. Cannot be updated."),
  env: mapList(envVarSchema, ['name'], 'List of environment variables to set in the container. Cannot be updated.'),
  envFrom: atomicList(
    envFromSourceSchema,
    'List of sources to populate environment variables in the container. When a key exists in multiple sources, the value associated with the last source will take precedence. Values defined by an Env with a duplicate key will take precedence. Cannot be updated.',
  ),
  image: str('Container image name. This field is optional to allow higher level config management to default or override container images in workload controllers like Deployments and StatefulSets.'),
  imagePullPolicy: enumOf(
    ['Always', 'IfNotPresent', 'Never'],
    'Image pull policy. One of Always, Never, IfNotPresent. Defaults to Always if :latest tag is specified, or IfNotPresent otherwise. Cannot be updated.',
  ),
  lifecycle: describe(lifecycleSchema, 'Actions that the management system should take in response to container lifecycle events. Cannot be updated.'),
  livenessProbe: describe(probeSchema, 'Periodic probe of container liveness. Container will be restarted if the probe fails. Cannot be updated.'),
  name: str('Name of the container specified as a DNS_LABEL. Each container in a pod must have a unique name (DNS_LABEL). Cannot be updated.'),
  ports: mapList(
    containerPortSchema,
    ['containerPort', 'protocol'],
    'List of ports to expose from the container. Not specifying a port here DOES NOT prevent that port from being exposed. Cannot be updated.',
  ),
  readinessProbe: describe(probeSchema, 'Periodic probe of container service readiness. Container will be removed from service endpoints if the probe fails. Cannot be updated.'),
  resizePolicy: atomicList(
    obj(
      { resourceName: str('Name of the resource to which this resource resize policy applies. Supported values: cpu, memory.'), restartPolicy: str('Restart policy to apply when specified resource is resized. If not specified, it defaults to NotRequired.') },
      { description: 'ContainerResizePolicy represents resource resize policy for the container.', required: ['resourceName', 'restartPolicy'], definitionName: core('ContainerResizePolicy') },
    ),
    'Resources resize policy for the container.',
  ),
  resources: describe(resourceRequirementsSchema, 'Compute Resources required by this container. Cannot be updated.'),
  restartPolicy: str('RestartPolicy defines the restart behavior of individual containers in a pod. This field may only be set for init containers, and the only allowed value is "Always".'),
  securityContext: describe(securityContextSchema, 'SecurityContext defines the security options the container should be run with. If set, the fields of SecurityContext override the equivalent fields of PodSecurityContext.'),
  startupProbe: describe(probeSchema, "StartupProbe indicates that the Pod has successfully initialized. If specified, no other probes are executed until this completes successfully. This cannot be updated."),
  stdin: bool('Whether this container should allocate a buffer for stdin in the container runtime. Default is false.'),
  stdinOnce: bool('Whether the container runtime should close the stdin channel after it has been opened by a single attach. Default is false'),
  terminationMessagePath: str("Optional: Path at which the file to which the container's termination message will be written is mounted into the container's filesystem. Defaults to /dev/termination-log. Cannot be updated."),
  terminationMessagePolicy: enumOf(['FallbackToLogsOnError', 'File'], 'Indicate how the termination message should be populated. Defaults to File. Cannot be updated.'),
  tty: bool("Whether this container should allocate a TTY for itself, also requires 'stdin' to be true. Default is false."),
  volumeDevices: mapList(volumeDeviceSchema, ['devicePath'], 'volumeDevices is the list of block devices to be used by the container.'),
  volumeMounts: mapList(volumeMountSchema, ['mountPath'], "Pod volumes to mount into the container's filesystem. Cannot be updated."),
  workingDir: str("Container's working directory. If not specified, the container runtime's default will be used, which might be configured in the container image. Cannot be updated."),
};

export const containerSchema = obj(containerFields, {
  description: 'A single application container that you want to run within a pod.',
  required: ['name'],
  definitionName: core('Container'),
});

export const ephemeralContainerSchema = obj(
  {
    ...containerFields,
    targetContainerName: str('If set, the name of the container from PodSpec that this ephemeral container targets.'),
  },
  {
    description: 'An EphemeralContainer is a temporary container that you may add to an existing Pod for user-initiated activities such as debugging.',
    required: ['name'],
    definitionName: core('EphemeralContainer'),
  },
);
