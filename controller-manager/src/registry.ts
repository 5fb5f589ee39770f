// The controllers the manager can run, by the names --controllers accepts.
import type { Controller, ControllerContext } from './context.js';
import { DeploymentController } from './deployment/controller.js';
import { EndpointsController } from './endpoints/controller.js';
import { EndpointSliceController } from './endpoints/slices.js';
import { GarbageCollector } from './gc/controller.js';
import { HorizontalPodAutoscalerController } from './hpa/controller.js';
import { NamespaceController } from './namespace/controller.js';
import { NodeIpamController } from './nodeipam/controller.js';
import { NodeLifecycleController } from './nodelifecycle/controller.js';
import { ReplicaSetController } from './replicaset/controller.js';
import { Scheduler } from './scheduler/scheduler.js';

export const CONTROLLERS: Record<string, (ctx: ControllerContext) => Controller> = {
  scheduler: (ctx) => new Scheduler(ctx),
  replicaset: (ctx) => new ReplicaSetController(ctx),
  deployment: (ctx) => new DeploymentController(ctx),
  nodelifecycle: (ctx) => new NodeLifecycleController(ctx),
  nodeipam: (ctx) => new NodeIpamController(ctx),
  endpoint: (ctx) => new EndpointsController(ctx),
  endpointslice: (ctx) => new EndpointSliceController(ctx),
  garbagecollector: (ctx) => new GarbageCollector(ctx),
  namespace: (ctx) => new NamespaceController(ctx),
  horizontalpodautoscaling: (ctx) => new HorizontalPodAutoscalerController(ctx),
};

export class UnknownControllerError extends Error {
  override name = 'UnknownControllerError';
}

/** Kubernetes' --controllers syntax: `*` for all, `name` to enable, `-name` to disable. */
export function selectControllers(spec: string[]): string[] {
  const all = Object.keys(CONTROLLERS);
  const enabled = new Set<string>();
  for (const raw of spec.length ? spec : ['*']) {
    const item = raw.trim();
    if (!item) continue;
    if (item === '*') all.forEach((c) => enabled.add(c));
    else if (item.startsWith('-')) {
      if (!CONTROLLERS[item.slice(1)]) throw new UnknownControllerError(`unknown controller "${item.slice(1)}"`);
      enabled.delete(item.slice(1));
    } else {
      if (!CONTROLLERS[item]) throw new UnknownControllerError(`unknown controller "${item}"; known: ${all.join(', ')}`);
      enabled.add(item);
    }
  }
  // Disabling wins regardless of order.
  for (const raw of spec) if (raw.trim().startsWith('-')) enabled.delete(raw.trim().slice(1));
  return all.filter((c) => enabled.has(c));
}
