// Liveness, readiness and startup probes: one timer-driven worker per probe
// per container instance. Results are kept by container id, so a restarted
// container starts over with fresh results (readiness false, liveness true,
// started false). Workers tell the agent when a result flips, and the pod is
// re-synced: readiness changes the Ready condition, a liveness or startup
// failure makes the sync kill the container.
import type { Container, Probe } from '@wharf/api';
import type { RuntimeClient } from '@wharf/proto';
import { runAction } from './handlers.js';

export type ProbeKind = 'liveness' | 'readiness' | 'startup';

interface WorkerState {
  kind: ProbeKind;
  podUid: string;
  containerId: string;
  result: boolean;
  successes: number;
  failures: number;
  timer: NodeJS.Timeout | undefined;
  stopped: boolean;
  lastMessage: string;
}

export interface ProbeTarget {
  podUid: string;
  container: Container;
  containerId: string;
  podIP: string;
  /** When the container started (ms since epoch): initialDelaySeconds counts from here. */
  startedAtMs: number;
}

export class ProbeManager {
  private readonly workers = new Map<string, WorkerState>();
  /** containerId → message, for containers whose liveness or startup probe failed for good. */
  private readonly failed = new Map<string, string>();

  constructor(
    private readonly runtime: RuntimeClient,
    private readonly onChange: (podUid: string) => void,
  ) {}

  /** Starts the workers a running container needs (idempotent). */
  ensure(t: ProbeTarget): void {
    const probes: Array<[ProbeKind, Probe | undefined]> = [
      ['startup', t.container.startupProbe],
      ['liveness', t.container.livenessProbe],
      ['readiness', t.container.readinessProbe],
    ];
    for (const [kind, probe] of probes) {
      if (!probe) continue;
      const key = `${t.containerId}/${kind}`;
      if (this.workers.has(key)) continue;
      const w: WorkerState = {
        kind,
        podUid: t.podUid,
        containerId: t.containerId,
        result: kind === 'liveness',
        successes: 0,
        failures: 0,
        timer: undefined,
        stopped: false,
        lastMessage: '',
      };
      this.workers.set(key, w);
      const delay = Math.max(0, t.startedAtMs + (probe.initialDelaySeconds ?? 0) * 1000 - Date.now());
      w.timer = setTimeout(() => void this.tick(w, probe, t), delay);
    }
  }

  private async tick(w: WorkerState, probe: Probe, t: ProbeTarget): Promise<void> {
    if (w.stopped) return;
    const period = (probe.periodSeconds ?? 10) * 1000;
    const startupDone = !t.container.startupProbe || this.started(t.containerId, t.container);
    // Until the startup probe succeeds, the other probes are not run.
    if (w.kind === 'startup' ? !w.result : startupDone) {
      const timeoutMs = (probe.timeoutSeconds ?? 1) * 1000;
      const action = probe.exec ? { exec: probe.exec } : probe.httpGet ? { httpGet: probe.httpGet } : probe.tcpSocket ? { tcpSocket: probe.tcpSocket } : {};
      const r = await runAction(action, { runtime: this.runtime, containerId: t.containerId, container: t.container, podIP: t.podIP }, timeoutMs);
      if (w.stopped) return;
      this.record(w, probe, r.ok, r.message);
    }
    if (!w.stopped) w.timer = setTimeout(() => void this.tick(w, probe, t), period);
  }

  private record(w: WorkerState, probe: Probe, ok: boolean, message: string): void {
    const successThreshold = w.kind === 'readiness' ? (probe.successThreshold ?? 1) : 1;
    const failureThreshold = probe.failureThreshold ?? 3;
    if (ok) {
      w.failures = 0;
      w.successes++;
    } else {
      w.successes = 0;
      w.failures++;
      w.lastMessage = message;
    }
    const before = w.result;
    if (ok && w.successes >= successThreshold) w.result = true;
    if (!ok && w.failures >= failureThreshold) w.result = false;
    if (!ok && w.kind !== 'readiness' && w.failures >= failureThreshold) {
      const what = w.kind === 'liveness' ? 'Liveness' : 'Startup';
      this.failed.set(w.containerId, `${what} probe failed: ${message}`.trim());
      w.stopped = true;
      this.onChange(w.podUid);
      return;
    }
    if (before !== w.result) this.onChange(w.podUid);
  }

  /** Ready: true only after the readiness probe passed (or when there is none). */
  ready(containerId: string, container: Container): boolean {
    if (!this.started(containerId, container)) return false;
    if (!container.readinessProbe) return true;
    return this.workers.get(`${containerId}/readiness`)?.result ?? false;
  }

  started(containerId: string, container: Container): boolean {
    if (!container.startupProbe) return true;
    return this.workers.get(`${containerId}/startup`)?.result ?? false;
  }

  /** The reason to kill this container, if a liveness or startup probe gave up on it. */
  failure(containerId: string): string | undefined {
    return this.failed.get(containerId);
  }

  /** Stops workers of containers that no longer run. */
  retain(podUid: string, liveContainerIds: Set<string>): void {
    for (const [key, w] of this.workers) {
      if (w.podUid !== podUid || liveContainerIds.has(w.containerId)) continue;
      w.stopped = true;
      if (w.timer) clearTimeout(w.timer);
      this.workers.delete(key);
    }
    for (const id of this.failed.keys()) if (!liveContainerIds.has(id) && [...this.workers.values()].every((w) => w.containerId !== id)) this.failed.delete(id);
  }

  stopAll(): void {
    for (const w of this.workers.values()) {
      w.stopped = true;
      if (w.timer) clearTimeout(w.timer);
    }
    this.workers.clear();
  }
}
