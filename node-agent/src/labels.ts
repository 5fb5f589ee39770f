// Labels and annotations the agent puts on runtime objects. They are the only
// memory that survives an agent restart: from them alone the agent finds which
// pod (by uid) and which container (by name and attempt) a runtime object is.
export const POD_UID = 'io.kubernetes.pod.uid';
export const POD_NAME = 'io.kubernetes.pod.name';
export const POD_NAMESPACE = 'io.kubernetes.pod.namespace';
export const CONTAINER_NAME = 'io.kubernetes.container.name';
/** "init" or "app": init containers run to completion before app containers start. */
export const CONTAINER_KIND = 'wharf.io/container-kind';
export const MANAGED_BY = 'wharf.io/managed-by';
export const MANAGER = 'wharf-node-agent';

/** Annotations: the spec hash the container was created from, and its grace period. */
export const CONTAINER_HASH = 'io.kubernetes.container.hash';
export const TERMINATION_GRACE = 'io.kubernetes.pod.terminationGracePeriod';
export const TERMINATION_MESSAGE_PATH = 'io.kubernetes.container.terminationMessagePath';
