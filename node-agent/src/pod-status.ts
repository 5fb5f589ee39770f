// A pod's status computed from what the runtime reports, what the sync loop
// is waiting on and what the probes say — the kubelet's generateAPIPodStatus
// and getPhase, in the same order of rules.
import type { Container, ContainerState, ContainerStatus, Pod, PodCondition, PodPhase, PodStatus } from '@wharf/api';
import { latestContainers, type RuntimeContainer, type RuntimePod } from './runtime-state.js';
import { qosClass } from './resources.js';

export interface Waiting {
  reason: string;
  message: string;
}

export interface StatusInputs {
  pod: Pod;
  runtime: RuntimePod;
  podIP: string;
  hostIP: string;
  sandboxReady: boolean;
  waiting(containerName: string): Waiting | undefined;
  ready(c: RuntimeContainer, spec: Container): boolean;
  started(c: RuntimeContainer, spec: Container): boolean;
  now: string;
  /** When this agent first saw the pod, for startTime until the API has one. */
  firstSeen?: string;
  /** What an exited container left as its termination message, if anything. */
  terminationMessage?(c: RuntimeContainer): string | undefined;
}

export const CONTAINER_ID_PREFIX = 'wharf://';

function nsToIso(ns: number): string | undefined {
  return ns > 0 ? new Date(Math.floor(ns / 1e6)).toISOString().replace(/\.\d{3}Z$/, 'Z') : undefined;
}

function terminated(c: RuntimeContainer, inputs: StatusInputs): ContainerState {
  const s = c.status;
  const reason = s.reason || (s.exit_code === 0 ? 'Completed' : 'Error');
  const message = inputs.terminationMessage?.(c) || s.message;
  return {
    terminated: {
      exitCode: s.exit_code,
      reason,
      ...(message ? { message } : {}),
      ...(nsToIso(s.started_at) ? { startedAt: nsToIso(s.started_at)! } : {}),
      ...(nsToIso(s.finished_at) ? { finishedAt: nsToIso(s.finished_at)! } : {}),
      containerID: CONTAINER_ID_PREFIX + c.id,
    },
  };
}

function containerStatus(inputs: StatusInputs, spec: Container, defaultWaiting: string): ContainerStatus {
  const { current, previous } = latestContainers(inputs.runtime, spec.name);
  const waiting = inputs.waiting(spec.name);
  const out: ContainerStatus = {
    name: spec.name,
    state: {},
    ready: false,
    restartCount: current?.attempt ?? 0,
    image: spec.image ?? '',
    imageID: current?.status.image_ref ?? '',
    started: false,
  };
  if (current) out.containerID = CONTAINER_ID_PREFIX + current.id;
  if (current?.state === 'CONTAINER_RUNNING') {
    out.state = { running: { ...(nsToIso(current.status.started_at) ? { startedAt: nsToIso(current.status.started_at)! } : {}) } };
    if (previous) out.lastState = terminated(previous, inputs);
    out.ready = inputs.ready(current, spec);
    out.started = inputs.started(current, spec);
  } else if (current?.state === 'CONTAINER_EXITED' || current?.state === 'CONTAINER_UNKNOWN') {
    if (waiting) {
      out.state = { waiting: { reason: waiting.reason, ...(waiting.message ? { message: waiting.message } : {}) } };
      out.lastState = terminated(current, inputs);
    } else {
      out.state = terminated(current, inputs);
      if (previous) out.lastState = terminated(previous, inputs);
    }
  } else {
    const w = waiting ?? { reason: defaultWaiting, message: '' };
    out.state = { waiting: { reason: w.reason, ...(w.message ? { message: w.message } : {}) } };
    if (previous) out.lastState = terminated(previous, inputs);
  }
  if (!out.lastState) out.lastState = {};
  return out;
}

function condition(type: string, ok: boolean, reason?: string, message?: string): PodCondition {
  return { type, status: ok ? 'True' : 'False', ...(reason && !ok ? { reason } : {}), ...(message && !ok ? { message } : {}) };
}

export function computePodStatus(inputs: StatusInputs): PodStatus {
  const { pod } = inputs;
  const spec = pod.spec!;
  const restartPolicy = spec.restartPolicy ?? 'Always';
  const initSpecs = spec.initContainers ?? [];
  const initStatuses = initSpecs.map((c) => containerStatus(inputs, c, 'PodInitializing'));
  const initDone = initStatuses.every((s) => s.state?.terminated?.exitCode === 0);
  const containerStatuses = spec.containers.map((c) => containerStatus(inputs, c, initSpecs.length && !initDone ? 'PodInitializing' : 'ContainerCreating'));

  let phase = getPhase(restartPolicy, initStatuses, containerStatuses, initDone);
  const old = pod.status?.phase;
  // A terminal phase is final: containers removed later must not make it Pending again.
  if (old === 'Succeeded' || old === 'Failed') phase = old;
  const terminal = phase === 'Succeeded' || phase === 'Failed';

  const incompleteInit = initStatuses.filter((s) => s.state?.terminated?.exitCode !== 0).map((s) => s.name);
  const unready = containerStatuses.filter((s) => !s.ready).map((s) => s.name);
  const gates = (spec.readinessGates ?? []).filter((g) => pod.status?.conditions?.find((c) => c.type === g.conditionType)?.status !== 'True');
  const containersReady = unready.length === 0 && !terminal;
  const conditions: PodCondition[] = [
    condition('PodReadyToStartContainers', inputs.sandboxReady),
    terminal && incompleteInit.length === 0
      ? condition('Initialized', true)
      : condition('Initialized', initDone, 'ContainersNotInitialized', `containers with incomplete status: [${incompleteInit.join(' ')}]`),
    condition('Ready', containersReady && gates.length === 0, terminal ? 'PodCompleted' : 'ContainersNotReady', terminal ? undefined : `containers with unready status: [${unready.join(' ')}]`),
    condition('ContainersReady', containersReady, terminal ? 'PodCompleted' : 'ContainersNotReady', terminal ? undefined : `containers with unready status: [${unready.join(' ')}]`),
    condition('PodScheduled', true),
  ];
  // Conditions other components own (readiness gates, DisruptionTarget) are kept as they are.
  const ours = new Set(conditions.map((c) => c.type));
  for (const c of pod.status?.conditions ?? []) if (!ours.has(c.type)) conditions.push(c);
  for (const c of conditions) {
    const prev = pod.status?.conditions?.find((p) => p.type === c.type);
    c.lastProbeTime = null;
    c.lastTransitionTime = prev && prev.status === c.status && prev.lastTransitionTime ? prev.lastTransitionTime : inputs.now;
  }

  const status: PodStatus = {
    ...(pod.status ?? {}),
    phase,
    conditions,
    hostIP: inputs.hostIP,
    hostIPs: [{ ip: inputs.hostIP }],
    startTime: pod.status?.startTime ?? inputs.firstSeen ?? inputs.now,
    containerStatuses,
    qosClass: qosClass(pod),
  };
  if (initStatuses.length) status.initContainerStatuses = initStatuses;
  else delete status.initContainerStatuses;
  if (inputs.podIP) {
    status.podIP = inputs.podIP;
    status.podIPs = [{ ip: inputs.podIP }];
  } else if (!terminal) {
    delete status.podIP;
    delete status.podIPs;
  }
  return status;
}

function getPhase(restartPolicy: string, init: ContainerStatus[], containers: ContainerStatus[], initDone: boolean): PodPhase {
  for (const s of init) {
    const t = s.state?.terminated ?? (s.state?.waiting ? s.lastState?.terminated : undefined);
    if (t && t.exitCode !== 0 && restartPolicy === 'Never') return 'Failed';
  }
  if (!initDone) return 'Pending';
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const s of containers) {
    if (s.state?.running) running++;
    else if (s.state?.terminated) {
      stopped++;
      if (s.state.terminated.exitCode === 0) succeeded++;
    } else if (s.state?.waiting) {
      const last = s.lastState?.terminated;
      if (last) {
        stopped++;
        if (last.exitCode === 0) succeeded++;
      } else waiting++;
    }
  }
  if (waiting > 0) return 'Pending';
  if (running > 0) return 'Running';
  if (stopped > 0) {
    if (restartPolicy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (restartPolicy === 'OnFailure') return 'Running';
    return 'Failed';
  }
  return 'Pending';
}
