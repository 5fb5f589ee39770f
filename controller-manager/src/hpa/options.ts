// The HPA controller's flags (kube-controller-manager's --horizontal-pod-autoscaler-*),
// compiled once from whatever the manager was given.
import { DEFAULT_CPU_INITIALIZATION_PERIOD_MS, DEFAULT_INITIAL_READINESS_DELAY_MS, DEFAULT_TOLERANCE } from './replica-calculator.js';

export interface HpaOptions {
  /** How often every HPA is reconciled (Kubernetes: 15 s; Wharf: 5 s, matching the metrics resolution). */
  syncPeriodMs: number;
  /** Scale-down stabilization for HPAs without behavior.scaleDown.stabilizationWindowSeconds. */
  downscaleStabilizationMs: number;
  tolerance: number;
  cpuInitializationPeriodMs: number;
  initialReadinessDelayMs: number;
}

export const DEFAULT_HPA_OPTIONS: HpaOptions = {
  syncPeriodMs: 5000,
  downscaleStabilizationMs: 300_000,
  tolerance: DEFAULT_TOLERANCE,
  cpuInitializationPeriodMs: DEFAULT_CPU_INITIALIZATION_PERIOD_MS,
  initialReadinessDelayMs: DEFAULT_INITIAL_READINESS_DELAY_MS,
};

/** Reads the hpa* fields the manager's options may carry. */
export function hpaOptionsFrom(o: { hpaSyncPeriodMs?: number | undefined; hpaDownscaleStabilizationMs?: number | undefined; hpaTolerance?: number | undefined }): HpaOptions {
  return {
    ...DEFAULT_HPA_OPTIONS,
    ...(o.hpaSyncPeriodMs ? { syncPeriodMs: o.hpaSyncPeriodMs } : {}),
    ...(o.hpaDownscaleStabilizationMs !== undefined ? { downscaleStabilizationMs: o.hpaDownscaleStabilizationMs } : {}),
    ...(o.hpaTolerance !== undefined ? { tolerance: o.hpaTolerance } : {}),
  };
}
