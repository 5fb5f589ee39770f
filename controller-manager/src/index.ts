// @wharf/controller-manager public entry point.
export { runControllerManagerCommand, parseControllerManagerArgs, parseDuration, FlagError } from './command.js';
export { startControllerManager } from './manager.js';
export type { ControllerManagerOptions, ControllerManagerHandle, ManagerState } from './manager.js';
export { DEFAULT_CONTROLLER_OPTIONS } from './context.js';
export type { Controller, ControllerContext, ControllerOptions } from './context.js';
export { CONTROLLERS, selectControllers, UnknownControllerError } from './registry.js';
export { Scheduler, SCHEDULER_NAME, numFeasibleNodesToFind } from './scheduler/scheduler.js';
export { ReplicaSetController } from './replicaset/controller.js';
export { DeploymentController } from './deployment/controller.js';
export { NodeLifecycleController, NODE_LEASE_NAMESPACE } from './nodelifecycle/controller.js';
export { NodeIpamController } from './nodeipam/controller.js';
export { EndpointsController } from './endpoints/controller.js';
export { EndpointSliceController } from './endpoints/slices.js';
export { GarbageCollector } from './gc/controller.js';
export { NamespaceController } from './namespace/controller.js';
