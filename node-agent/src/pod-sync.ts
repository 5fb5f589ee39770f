// One pod's sync, the kubelet's SyncPod: sandbox, volumes, init containers in
// order, then app containers with restart policy and CrashLoopBackOff; and
// its termination (preStop, SIGTERM, grace, SIGKILL) and final cleanup. Every
// decision reads the runtime afresh, so a sync after an agent crash continues
// from what really exists and never starts a container twice.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Container, Logger, Pod, PodStatus } from '@wharf/api';
import type * as P from '@wharf/proto';
import type { RuntimeClient } from '@wharf/proto';
import type { Backoff } from './backoff.js';
import { ContainerStarter, errorMessage } from './container-start.js';
import { runAction } from './handlers.js';
import type { ObjectSource } from './object-source.js';
import type { CompiledOptions } from './options.js';
import { computePodStatus, type Waiting } from './pod-status.js';
import type { ProbeManager } from './probes.js';
import { latestContainers, readySandbox, type RuntimeContainer, type RuntimePod, type RuntimeState } from './runtime-state.js';
import { parseCriLog } from './cri-log.js';
import { podLogDir, sandboxConfig } from './sandbox-config.js';
import { QUICK, SLOW } from './util/deadlines.js';
import type { VolumeManager } from './volumes.js';

export type EventFn = (pod: Pod, type: 'Normal' | 'Warning', reason: string, message: string) => void;

export interface SyncerDeps {
  runtime: RuntimeClient;
  state: RuntimeState;
  probes: ProbeManager;
  volumes: VolumeManager;
  starter: ContainerStarter;
  objects: ObjectSource;
  crashBackoff: Backoff;
  options: CompiledOptions;
  log: Logger;
  event: EventFn;
  hostIP: () => string;
}

const TERMINAL = new Set(['Succeeded', 'Failed']);

export class PodSyncer {
  /** uid/container → why the container is not running, as the status shows it. */
  private readonly waiting = new Map<string, Waiting>();
  private readonly sandboxIPs = new Map<string, string>();
  /** uid → when this agent first computed a status for it (a stable startTime while our first write is in flight). */
  private readonly firstSeen = new Map<string, string>();
  /** Containers being killed after a probe gave up on them. */
  private readonly killing = new Set<string>();
  /** containerId → termination message, read once after the container exited. */
  private readonly messages = new Map<string, string>();

  constructor(private readonly d: SyncerDeps) {}

  /** Brings the pod's containers to what its spec asks for; returns the status to report. */
  async sync(pod: Pod): Promise<PodStatus> {
    const uid = pod.metadata.uid!;
    const spec = pod.spec!;
    const restartPolicy = spec.restartPolicy ?? 'Always';
    let rp = await this.d.state.pod(uid);
    const before = await this.status(pod, rp);
    if (TERMINAL.has(pod.status?.phase ?? '') || TERMINAL.has(before.phase ?? '')) {
      // A finished pod never runs again; release its network.
      for (const s of rp.sandboxes) if (s.state === 'SANDBOX_READY') await this.d.runtime.stopPodSandbox({ pod_sandbox_id: s.id }, SLOW);
      this.d.probes.retain(uid, new Set());
      return this.status(pod, await this.d.state.pod(uid));
    }

    let sandbox = readySandbox(rp);
    let sandboxRecreated = false;
    if (!sandbox) {
      sandboxRecreated = rp.sandboxes.length > 0;
      await Promise.all(rp.containers.filter((c) => c.state === 'CONTAINER_RUNNING').map((c) => this.d.runtime.stopContainer({ container_id: c.id, timeout: 0 }, SLOW)));
      const attempt = rp.sandboxes.reduce((m, s) => Math.max(m, (s.metadata?.attempt ?? 0) + 1), 0);
      const cfg = sandboxConfig(pod, attempt, this.d.options.rootDir, this.d.options);
      await fs.mkdir(cfg.log_directory as string, { recursive: true });
      await this.d.runtime.runPodSandbox({ config: cfg }, SLOW);
      if (sandboxRecreated) this.d.event(pod, 'Normal', 'SandboxChanged', 'Pod sandbox changed, it will be killed and re-created.');
      for (const s of rp.sandboxes) if (s.state === 'SANDBOX_READY') await this.d.runtime.stopPodSandbox({ pod_sandbox_id: s.id }, SLOW);
      rp = await this.d.state.pod(uid);
      sandbox = readySandbox(rp);
      if (!sandbox) throw new Error(`sandbox for pod ${pod.metadata.name} is not ready after creation`);
    }
    const cfg = sandboxConfig(pod, sandbox.metadata?.attempt ?? 0, this.d.options.rootDir, this.d.options);
    const podIP = await this.sandboxIP(sandbox.id);
    const hostIP = this.d.hostIP();

    let volumes: Map<string, string>;
    try {
      volumes = await this.d.volumes.setup({ pod, podIP, hostIP, node: this.d.options, objects: this.d.objects });
    } catch (err) {
      for (const c of [...(spec.initContainers ?? []), ...spec.containers]) this.setWaiting(uid, c.name, 'CreateContainerConfigError', errorMessage(err));
      return this.status(pod, rp);
    }
    const start = (c: Container, kind: 'init' | 'app', attempt: number) => this.startOne(pod, c, kind, attempt, sandbox!.id, cfg, podIP, volumes);

    for (const c of spec.initContainers ?? []) {
      const cur = rp.containers.find((x) => x.name === c.name && x.sandboxId === sandbox.id);
      if (!cur) {
        await start(c, 'init', nextAttempt(rp, c.name));
        return this.finish(pod);
      }
      if (cur.state === 'CONTAINER_CREATED') {
        await this.d.starter.startCreated(pod, c.name, cur.id);
        return this.finish(pod);
      }
      if (cur.state === 'CONTAINER_RUNNING') return this.finish(pod);
      if (cur.status.exit_code === 0) continue;
      if (restartPolicy === 'Never' || !this.restartAllowed(pod, c, cur)) return this.finish(pod);
      await start(c, 'init', nextAttempt(rp, c.name));
      return this.finish(pod);
    }

    for (const c of spec.containers) {
      const { current } = latestContainers(rp, c.name);
      const inSandbox = current?.sandboxId === sandbox.id;
      if (current && inSandbox && current.state === 'CONTAINER_RUNNING') {
        const failure = this.d.probes.failure(current.id);
        if (failure) {
          // Killed in the background: a long grace period must not hold a sync slot. The
          // exit is seen by the PLEG, and the next sync restarts the container.
          if (!this.killing.has(current.id)) {
            this.killing.add(current.id);
            this.d.event(pod, 'Normal', 'Killing', `Container ${c.name} failed ${failure.split(':')[0]!.toLowerCase()}, will be restarted`);
            const grace = c.livenessProbe?.terminationGracePeriodSeconds ?? spec.terminationGracePeriodSeconds ?? 30;
            void this.killContainer(pod, c, current, grace)
              .catch((err: unknown) => this.d.log.warn('kill after probe failure failed', { pod: pod.metadata.name, container: c.name, err }))
              .finally(() => this.killing.delete(current.id));
          }
          continue;
        }
        this.d.probes.ensure({ podUid: uid, container: c, containerId: current.id, podIP, startedAtMs: Math.floor(current.status.started_at / 1e6) });
        this.waiting.delete(`${uid}/${c.name}`);
        continue;
      }
      if (current && inSandbox && current.state === 'CONTAINER_CREATED') {
        await this.guard(pod, c, () => this.d.starter.startCreated(pod, c.name, current.id));
        continue;
      }
      // Containers killed because their sandbox was replaced come back in the new one.
      if (current && !(sandboxRecreated && !inSandbox && restartPolicy !== 'Never')) {
        const failed = current.status.exit_code !== 0;
        const restart = restartPolicy === 'Always' || (restartPolicy === 'OnFailure' && failed);
        if (!restart) {
          this.waiting.delete(`${uid}/${c.name}`);
          continue;
        }
        if (!this.restartAllowed(pod, c, current)) continue;
      }
      await start(c, 'app', nextAttempt(rp, c.name));
    }
    return this.finish(pod);
  }

  private async finish(pod: Pod): Promise<PodStatus> {
    const rp = await this.d.state.pod(pod.metadata.uid!);
    await this.gc(rp);
    this.d.probes.retain(rp.uid, new Set(rp.containers.filter((c) => c.state === 'CONTAINER_RUNNING').map((c) => c.id)));
    return this.status(pod, rp);
  }

  /** Keeps the current and the previous instance of each container (for `logs --previous`). */
  private async gc(rp: RuntimePod): Promise<void> {
    const seen = new Map<string, number>();
    for (const c of rp.containers) {
      const n = (seen.get(c.name) ?? 0) + 1;
      seen.set(c.name, n);
      if (n > 2 && c.state === 'CONTAINER_EXITED') {
        await this.d.runtime.removeContainer({ container_id: c.id }, SLOW).catch(() => undefined);
        this.d.state.forget(c.id);
        this.messages.delete(c.id);
      }
    }
  }

  private restartAllowed(pod: Pod, c: Container, cur: RuntimeContainer): boolean {
    const key = `${pod.metadata.uid}/${c.name}`;
    const finishedMs = Math.floor(cur.status.finished_at / 1e6) || Date.now();
    if (this.d.crashBackoff.inBackoffSince(key, finishedMs)) {
      const delay = Math.round(this.d.crashBackoff.currentDelayMs(key) / 1000);
      const msg = `back-off ${delay}s restarting failed container=${c.name} pod=${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`;
      if (this.waiting.get(key)?.reason !== 'CrashLoopBackOff') this.d.event(pod, 'Warning', 'BackOff', `Back-off restarting failed container ${c.name} in pod ${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`);
      this.waiting.set(key, { reason: 'CrashLoopBackOff', message: msg });
      return false;
    }
    this.d.crashBackoff.next(key);
    return true;
  }

  private setWaiting(uid: string, name: string, reason: string, message: string): void {
    this.waiting.set(`${uid}/${name}`, { reason, message });
  }

  private async guard(pod: Pod, c: Container, fn: () => Promise<unknown>): Promise<boolean> {
    try {
      await fn();
      this.waiting.delete(`${pod.metadata.uid}/${c.name}`);
      return true;
    } catch (err) {
      const reason = (err as { reason?: string }).reason ?? 'CreateContainerError';
      this.setWaiting(pod.metadata.uid!, c.name, reason, errorMessage(err));
      this.d.event(pod, 'Warning', reason === 'ErrImagePull' || reason === 'ImagePullBackOff' ? (reason === 'ImagePullBackOff' ? 'BackOff' : 'Failed') : 'Failed', `Error: ${reason}: ${errorMessage(err)}`);
      this.d.log.warn('container start failed', { pod: pod.metadata.name, container: c.name, reason, err });
      return false;
    }
  }

  private async startOne(
    pod: Pod,
    c: Container,
    kind: 'init' | 'app',
    attempt: number,
    sandboxId: string,
    cfg: P.DeepPartial<P.PodSandboxConfig>,
    podIP: string,
    volumes: Map<string, string>,
  ): Promise<void> {
    let id = '';
    const ok = await this.guard(pod, c, async () => {
      id = await this.d.starter.start({ pod, container: c, kind, attempt, sandboxId, sandboxConfig: cfg, podIP, hostIP: this.d.hostIP(), volumes });
    });
    if (!ok || !c.lifecycle?.postStart) return;
    const grace = pod.spec?.terminationGracePeriodSeconds ?? 30;
    const r = await runAction(c.lifecycle.postStart, { runtime: this.d.runtime, containerId: id, container: c, podIP }, grace * 1000);
    if (!r.ok) {
      this.d.event(pod, 'Warning', 'FailedPostStartHook', `PostStartHook failed: ${r.message}`);
      await this.d.runtime.stopContainer({ container_id: id, timeout: grace }, { timeoutMs: grace * 1000 + 10_000 }).catch(() => undefined);
    }
  }

  /** preStop within the grace period, then SIGTERM, then SIGKILL when the rest of it runs out. */
  private async killContainer(pod: Pod, c: Container | undefined, rc: RuntimeContainer, graceSeconds: number): Promise<void> {
    const deadline = Date.now() + graceSeconds * 1000;
    if (c?.lifecycle?.preStop && rc.state === 'CONTAINER_RUNNING') {
      const podIP = this.sandboxIPs.get(rc.sandboxId) ?? '';
      const r = await runAction(c.lifecycle.preStop, { runtime: this.d.runtime, containerId: rc.id, container: c, podIP }, Math.max(1000, deadline - Date.now()));
      if (!r.ok) this.d.event(pod, 'Warning', 'FailedPreStopHook', `PreStopHook failed: ${r.message}`);
    }
    const remaining = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
    await this.d.runtime.stopContainer({ container_id: rc.id, timeout: remaining }, { timeoutMs: remaining * 1000 + 15_000 });
  }

  /** Stops every container (hooks and grace honoured) and the sandbox; returns the final status. */
  async terminate(pod: Pod, graceSeconds: number): Promise<PodStatus> {
    const uid = pod.metadata.uid!;
    const rp = await this.d.state.pod(uid);
    const specs = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
    const live = rp.containers.filter((c) => c.state === 'CONTAINER_RUNNING' || c.state === 'CONTAINER_CREATED');
    await Promise.all(
      live.map(async (rc) => {
        const spec = specs.find((s) => s.name === rc.name);
        this.d.event(pod, 'Normal', 'Killing', `Stopping container ${rc.name}`);
        try {
          await this.killContainer(pod, spec, rc, graceSeconds);
        } catch (err) {
          this.d.log.warn('stop container failed', { pod: pod.metadata.name, container: rc.name, err });
        }
      }),
    );
    for (const s of rp.sandboxes) if (s.state === 'SANDBOX_READY') await this.d.runtime.stopPodSandbox({ pod_sandbox_id: s.id }, SLOW);
    this.d.probes.retain(uid, new Set());
    for (const k of this.waiting.keys()) if (k.startsWith(`${uid}/`)) this.waiting.delete(k);
    return this.status(pod, await this.d.state.pod(uid));
  }

  /** Removes everything left of a pod that is gone from the API. */
  async cleanup(uid: string): Promise<void> {
    const rp = await this.d.state.pod(uid);
    for (const c of rp.containers) {
      if (c.state === 'CONTAINER_RUNNING') await this.d.runtime.stopContainer({ container_id: c.id, timeout: 0 }, SLOW).catch(() => undefined);
      await this.d.runtime.removeContainer({ container_id: c.id }, SLOW).catch(() => undefined);
      this.d.state.forget(c.id);
      this.messages.delete(c.id);
    }
    for (const s of rp.sandboxes) {
      await this.d.runtime.stopPodSandbox({ pod_sandbox_id: s.id }, SLOW).catch(() => undefined);
      await this.d.runtime.removePodSandbox({ pod_sandbox_id: s.id }, SLOW).catch(() => undefined);
      this.sandboxIPs.delete(s.id);
    }
    await this.d.volumes.cleanup(uid);
    const logs = path.join(this.d.options.rootDir, 'logs');
    for (const e of await fs.readdir(logs).catch(() => [] as string[])) if (e.endsWith(`_${uid}`)) await fs.rm(path.join(logs, e), { recursive: true, force: true });
    this.d.crashBackoff.forgetPrefix(`${uid}/`);
    this.d.probes.retain(uid, new Set());
    for (const k of this.waiting.keys()) if (k.startsWith(`${uid}/`)) this.waiting.delete(k);
    this.firstSeen.delete(uid);
    await this.d.state.pod(uid);
  }

  async status(pod: Pod, rp: RuntimePod): Promise<PodStatus> {
    const sandbox = readySandbox(rp);
    const podIP = sandbox ? await this.sandboxIP(sandbox.id) : (rp.sandboxes[0] ? (this.sandboxIPs.get(rp.sandboxes[0].id) ?? '') : '');
    const uid = pod.metadata.uid!;
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    if (!this.firstSeen.has(uid)) this.firstSeen.set(uid, now);
    await this.loadTerminationMessages(pod, rp);
    return computePodStatus({
      pod,
      runtime: rp,
      podIP,
      hostIP: this.d.hostIP(),
      sandboxReady: !!sandbox,
      waiting: (name) => this.waiting.get(`${uid}/${name}`),
      ready: (c, spec) => this.d.probes.ready(c.id, spec),
      started: (c, spec) => this.d.probes.started(c.id, spec),
      now,
      firstSeen: this.firstSeen.get(uid)!,
      terminationMessage: (c) => this.messages.get(c.id),
    });
  }

  /** Reads (once per exited container) what it left at terminationMessagePath, or its log tail on error when asked to. */
  private async loadTerminationMessages(pod: Pod, rp: RuntimePod): Promise<void> {
    const specs = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
    for (const c of rp.containers) {
      if (c.state !== 'CONTAINER_EXITED' || this.messages.has(c.id)) continue;
      const spec = specs.find((x) => x.name === c.name);
      const file = this.d.volumes.terminationMessageFile(rp.uid, c.name, c.attempt);
      let text = (await fs.readFile(file, 'utf8').catch(() => '')).slice(0, 4096);
      if (!text && spec?.terminationMessagePolicy === 'FallbackToLogsOnError' && c.status.exit_code !== 0) {
        const log = await fs.readFile(path.join(podLogDir(this.d.options.rootDir, pod), c.name, `${c.attempt}.log`), 'utf8').catch(() => '');
        text = parseCriLog(log).lines.slice(-80).map((l) => l.text).join('\n').slice(-2048);
      }
      this.messages.set(c.id, text);
    }
  }

  private async sandboxIP(id: string): Promise<string> {
    const cached = this.sandboxIPs.get(id);
    if (cached !== undefined) return cached;
    const res = await this.d.runtime.podSandboxStatus({ pod_sandbox_id: id }, QUICK);
    // A pod on the node's network has the node's address, as in Kubernetes.
    const hostNetwork = res.status?.linux?.namespaces?.options?.network === 'NODE';
    const ip = hostNetwork ? this.d.hostIP() : (res.status?.network?.ip ?? '');
    this.sandboxIPs.set(id, ip);
    return ip;
  }
}

function nextAttempt(rp: RuntimePod, name: string): number {
  return rp.containers.filter((c) => c.name === name).reduce((m, c) => Math.max(m, c.attempt + 1), 0);
}
