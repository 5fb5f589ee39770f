import { describe, expect, it } from 'vitest';
import type { Pod } from '@wharf/api';
import { computePodStatus, type StatusInputs } from './pod-status.js';
import type { RuntimeContainer, RuntimePod } from './runtime-state.js';

const NS = 1e6;

function rc(name: string, attempt: number, state: RuntimeContainer['state'], exit = 0, reason = ''): RuntimeContainer {
  return {
    id: `${name}-${attempt}`,
    name,
    attempt,
    sandboxId: 's1',
    state,
    labels: {},
    annotations: {},
    status: {
      id: `${name}-${attempt}`,
      metadata: { name, attempt },
      state,
      created_at: 1000 * NS,
      started_at: 2000 * NS,
      finished_at: state === 'CONTAINER_EXITED' ? 3000 * NS : 0,
      exit_code: exit,
      image: null,
      image_ref: 'img@sha256:x',
      reason,
      message: '',
      labels: {},
      annotations: {},
      mounts: [],
      log_path: '',
      resources: null,
      pid: 0,
      pod_sandbox_id: 's1',
    },
  };
}

function inputs(pod: Pod, containers: RuntimeContainer[], waiting: Record<string, { reason: string; message: string }> = {}): StatusInputs {
  const runtime: RuntimePod = { uid: 'u', sandboxes: [], containers };
  return {
    pod,
    runtime,
    podIP: '10.0.0.5',
    hostIP: '192.168.0.1',
    sandboxReady: true,
    waiting: (n) => waiting[n],
    ready: () => true,
    started: () => true,
    now: '2024-01-01T00:00:00Z',
  };
}

const pod = (restartPolicy: 'Always' | 'OnFailure' | 'Never', init = false): Pod => ({
  metadata: { name: 'p', namespace: 'd', uid: 'u' },
  spec: { restartPolicy, containers: [{ name: 'a', image: 'img' }], ...(init ? { initContainers: [{ name: 'i', image: 'img' }] } : {}) },
});

describe('computePodStatus', () => {
  it('is Pending with ContainerCreating before anything runs', () => {
    const s = computePodStatus(inputs(pod('Always'), []));
    expect(s.phase).toBe('Pending');
    expect(s.containerStatuses?.[0]?.state).toEqual({ waiting: { reason: 'ContainerCreating' } });
    expect(s.conditions?.find((c) => c.type === 'Ready')?.status).toBe('False');
  });

  it('is Running and Ready with a running container, and reports lastState and restartCount', () => {
    const s = computePodStatus(inputs(pod('Always'), [rc('a', 2, 'CONTAINER_RUNNING'), rc('a', 1, 'CONTAINER_EXITED', 137, 'OOMKilled')]));
    expect(s.phase).toBe('Running');
    const cs = s.containerStatuses![0]!;
    expect(cs.restartCount).toBe(2);
    expect(cs.lastState?.terminated?.reason).toBe('OOMKilled');
    expect(cs.containerID).toBe('wharf://a-2');
    expect(s.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
    expect(s.podIP).toBe('10.0.0.5');
    expect(s.qosClass).toBe('BestEffort');
  });

  it('shows CrashLoopBackOff as waiting with the exit in lastState; phase stays Running', () => {
    const s = computePodStatus(inputs(pod('Always'), [rc('a', 1, 'CONTAINER_EXITED', 1)], { a: { reason: 'CrashLoopBackOff', message: 'back-off 10s' } }));
    expect(s.phase).toBe('Running');
    expect(s.containerStatuses![0]!.state?.waiting?.reason).toBe('CrashLoopBackOff');
    expect(s.containerStatuses![0]!.lastState?.terminated?.exitCode).toBe(1);
  });

  it('ends Succeeded or Failed by restart policy', () => {
    expect(computePodStatus(inputs(pod('Never'), [rc('a', 0, 'CONTAINER_EXITED', 0)])).phase).toBe('Succeeded');
    expect(computePodStatus(inputs(pod('Never'), [rc('a', 0, 'CONTAINER_EXITED', 2)])).phase).toBe('Failed');
    expect(computePodStatus(inputs(pod('OnFailure'), [rc('a', 0, 'CONTAINER_EXITED', 2)])).phase).toBe('Running');
    const done = computePodStatus(inputs(pod('Never'), [rc('a', 0, 'CONTAINER_EXITED', 0)]));
    expect(done.conditions?.find((c) => c.type === 'Ready')?.reason).toBe('PodCompleted');
  });

  it('waits for init containers: PodInitializing, Initialized False, failure with Never fails the pod', () => {
    const s = computePodStatus(inputs(pod('Always', true), [rc('i', 0, 'CONTAINER_RUNNING')]));
    expect(s.phase).toBe('Pending');
    expect(s.containerStatuses![0]!.state?.waiting?.reason).toBe('PodInitializing');
    expect(s.conditions?.find((c) => c.type === 'Initialized')?.status).toBe('False');
    expect(computePodStatus(inputs(pod('Never', true), [rc('i', 0, 'CONTAINER_EXITED', 1)])).phase).toBe('Failed');
  });

  it('keeps a terminal phase and condition transition times', () => {
    const p = pod('Never');
    p.status = { phase: 'Succeeded', conditions: [{ type: 'PodScheduled', status: 'True', lastTransitionTime: '2020-01-01T00:00:00Z' }] };
    const s = computePodStatus(inputs(p, []));
    expect(s.phase).toBe('Succeeded');
    expect(s.conditions?.find((c) => c.type === 'PodScheduled')?.lastTransitionTime).toBe('2020-01-01T00:00:00Z');
  });
});
