// Restart policies, CrashLoopBackOff, liveness and readiness probes against
// real containers (1 s → 4 s backoff so the loop is observable quickly).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNodeCluster, waitFor, type NodeCluster } from '../harness/node-cluster.js';
import { busybox, condition, containerStatus, create, logs, pod, waitPod } from './helpers.js';

let c: NodeCluster;

beforeAll(async () => {
  c = await startNodeCluster({ agentArgs: ['--crashloop-backoff-base', '1s', '--crashloop-backoff-max', '4s'] });
});

afterAll(async () => {
  await c?.cleanup();
});

describe('node agent: restarts and probes', () => {
  it('restartPolicy Never: a failing container leaves the pod Failed with its exit code', async () => {
    await create(c, pod('never-fails', { restartPolicy: 'Never', containers: [busybox('main', 'echo bye; exit 3')] }));
    const p = await waitPod(c, 'never-fails', (x) => x.status?.phase === 'Failed', 'Failed');
    const cs = containerStatus(p, 'main');
    expect(cs.state.terminated.exitCode).toBe(3);
    expect(cs.state.terminated.reason).toBe('Error');
    expect(cs.restartCount).toBe(0);
    expect(condition(p, 'Ready')).toBe('False');
  });

  it('restartPolicy OnFailure: a container that exits 0 completes the pod', async () => {
    await create(c, pod('onfailure-ok', { restartPolicy: 'OnFailure', containers: [busybox('main', 'exit 0')] }));
    const p = await waitPod(c, 'onfailure-ok', (x) => x.status?.phase === 'Succeeded', 'Succeeded');
    expect(containerStatus(p, 'main').state.terminated.reason).toBe('Completed');
    expect(containerStatus(p, 'main').restartCount).toBe(0);
  });

  it('restartPolicy Always: a crashing container goes into CrashLoopBackOff with growing restartCount and lastState', async () => {
    await create(c, pod('crasher', { containers: [busybox('main', 'echo started; exit 1')] }));
    const p = await waitPod(
      c,
      'crasher',
      (x) => containerStatus(x, 'main')?.state?.waiting?.reason === 'CrashLoopBackOff' && containerStatus(x, 'main').restartCount >= 2,
      'CrashLoopBackOff after two restarts',
    );
    const cs = containerStatus(p, 'main');
    expect(cs.lastState.terminated.exitCode).toBe(1);
    expect(cs.lastState.terminated.reason).toBe('Error');
    expect(cs.state.waiting.message).toMatch(/^back-off \d+s restarting failed container=main pod=crasher_default/);
    expect(p.status.phase).toBe('Running');
    expect(cs.ready).toBe(false);
  });

  it('init containers run in order before the app container', async () => {
    await create(
      c,
      pod('with-init', {
        volumes: [{ name: 'work', emptyDir: {} }],
        initContainers: [
          busybox('first', 'echo one >> /work/order', { volumeMounts: [{ name: 'work', mountPath: '/work' }] }),
          busybox('second', 'echo two >> /work/order', { volumeMounts: [{ name: 'work', mountPath: '/work' }] }),
        ],
        containers: [busybox('main', 'cat /work/order; exec sleep 3600', { volumeMounts: [{ name: 'work', mountPath: '/work' }] })],
      }),
    );
    const p = await waitPod(c, 'with-init', (x) => x.status?.phase === 'Running', 'Running');
    expect(p.status.initContainerStatuses.map((s: any) => s.state.terminated?.reason)).toEqual(['Completed', 'Completed']);
    expect(condition(p, 'Initialized')).toBe('True');
    // The container prints the file as it starts; wait for conmon to have written it.
    const out = await waitFor('main logs', async () => ((await logs(c, 'with-init', '?container=main')) === 'one\ntwo\n' ? 'ok' : undefined));
    expect(out).toBe('ok');
  });

  it('runs the postStart hook inside the new container', async () => {
    await create(
      c,
      pod('poststart', {
        containers: [busybox('main', 'while [ ! -e /tmp/hooked ]; do sleep 0.1; done; echo saw-hook; exec sleep 3600', { lifecycle: { postStart: { exec: { command: ['sh', '-c', 'echo hooked > /tmp/hooked'] } } } })],
      }),
    );
    await waitPod(c, 'poststart', (x) => x.status?.phase === 'Running', 'Running');
    const out = await waitFor('hook seen', async () => ((await logs(c, 'poststart')).includes('saw-hook') ? 'yes' : undefined));
    expect(out).toBe('yes');
  });

  it('a failing liveness probe restarts the container', async () => {
    await create(
      c,
      pod('liveness', {
        containers: [
          busybox('main', 'touch /tmp/healthy; sleep 2; rm /tmp/healthy; exec sleep 3600', {
            livenessProbe: { exec: { command: ['cat', '/tmp/healthy'] }, periodSeconds: 1, failureThreshold: 2 },
          }),
        ],
      }),
    );
    const p = await waitPod(c, 'liveness', (x) => containerStatus(x, 'main')?.restartCount >= 1, 'restarted by liveness');
    const cs = containerStatus(p, 'main');
    expect(cs.lastState.terminated).toBeDefined();
    const events = (await c.request('GET', '/api/v1/namespaces/default/events')).json().items;
    expect(events.some((e: any) => e.involvedObject.name === 'liveness' && e.reason === 'Killing')).toBe(true);
  });

  it('a startup probe holds back started and ready until it passes; failing for good restarts the container', async () => {
    await create(
      c,
      pod('slowstart', {
        containers: [
          busybox('main', 'sleep 2; touch /tmp/started; exec sleep 3600', {
            startupProbe: { exec: { command: ['test', '-e', '/tmp/started'] }, periodSeconds: 1, failureThreshold: 30 },
            // Would fail before startup completes; it must not run until then.
            livenessProbe: { exec: { command: ['test', '-e', '/tmp/started'] }, periodSeconds: 1, failureThreshold: 1 },
          }),
        ],
      }),
    );
    const early = await waitPod(c, 'slowstart', (x) => containerStatus(x, 'main')?.state?.running, 'running');
    expect(containerStatus(early, 'main').started).toBe(false);
    expect(containerStatus(early, 'main').ready).toBe(false);
    const p = await waitPod(c, 'slowstart', (x) => containerStatus(x, 'main')?.started === true, 'started');
    expect(containerStatus(p, 'main').restartCount).toBe(0);
    expect(containerStatus(p, 'main').ready).toBe(true);
    await create(
      c,
      pod('neverstarts', {
        containers: [busybox('main', 'exec sleep 3600', { startupProbe: { exec: { command: ['false'] }, periodSeconds: 1, failureThreshold: 2 } })],
      }),
    );
    const restarted = await waitPod(c, 'neverstarts', (x) => containerStatus(x, 'main')?.restartCount >= 1, 'restarted by the startup probe');
    expect(containerStatus(restarted, 'main').started).toBe(false);
  });

  it('readiness follows the readiness probe: not Ready until it passes, Ready after, not Ready when it fails', async () => {
    await create(
      c,
      pod('readiness', {
        containers: [
          busybox('main', 'exec sleep 3600', {
            readinessProbe: { exec: { command: ['test', '-e', '/tmp/ready'] }, periodSeconds: 1, failureThreshold: 1 },
          }),
        ],
      }),
    );
    let p = await waitPod(c, 'readiness', (x) => x.status?.phase === 'Running', 'Running');
    expect(condition(p, 'Ready')).toBe('False');
    expect(containerStatus(p, 'main').ready).toBe(false);
    const rt = c.runtime();
    const id = containerStatus(p, 'main').containerID.replace('wharf://', '');
    await rt.execSync({ container_id: id, cmd: ['touch', '/tmp/ready'], timeout: 5 });
    p = await waitPod(c, 'readiness', (x) => condition(x, 'Ready') === 'True', 'Ready');
    expect(condition(p, 'ContainersReady')).toBe('True');
    await rt.execSync({ container_id: id, cmd: ['rm', '/tmp/ready'], timeout: 5 });
    p = await waitPod(c, 'readiness', (x) => condition(x, 'Ready') === 'False', 'not Ready again');
    expect(containerStatus(p, 'main').restartCount).toBe(0);
  });
});
