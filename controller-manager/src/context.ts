// What every controller is built from: the API client, the shared informers,
// a logger and an event recorder, plus the compiled manager options.
import type { Logger } from '@wharf/api';
import type { ApiClient, EventRecorder, InformerFactory } from '@wharf/client';

export interface ControllerOptions {
  /** A node whose Lease is older than this is marked Ready=Unknown. */
  nodeMonitorGracePeriodMs: number;
  /** How often node health is checked. */
  nodeMonitorPeriodMs: number;
  /** How long pods without an explicit toleration stay on an unreachable/not-ready node. */
  podEvictionTimeoutMs: number;
  clusterCIDR: string;
  nodeCIDRMaskSize: number;
  /** Concurrent reconciles per controller. */
  workers: number;
  /** In-flight bindings the scheduler allows at once. */
  schedulerParallelism: number;
  /** --horizontal-pod-autoscaler-sync-period and -downscale-stabilization (defaults in hpa/options.ts). */
  hpaSyncPeriodMs?: number;
  hpaDownscaleStabilizationMs?: number;
}

export const DEFAULT_CONTROLLER_OPTIONS: ControllerOptions = {
  nodeMonitorGracePeriodMs: 15_000,
  nodeMonitorPeriodMs: 2_000,
  podEvictionTimeoutMs: 10_000,
  clusterCIDR: '10.244.0.0/16',
  nodeCIDRMaskSize: 24,
  workers: 5,
  schedulerParallelism: 64,
};

export interface ControllerContext {
  client: ApiClient;
  informers: InformerFactory;
  log: Logger;
  /** A recorder whose events name the given component as their source. */
  recorder(component: string): EventRecorder;
  options: ControllerOptions;
}

/** A controller: wires handlers in its constructor, runs until the signal aborts. */
export interface Controller {
  readonly name: string;
  run(signal: AbortSignal): Promise<void>;
}
