// Failure reasons as Kubernetes reports them: OOMKilled, ErrImagePull →
// ImagePullBackOff, ErrImageNeverPull.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNodeCluster, type NodeCluster } from '../harness/node-cluster.js';
import { busybox, containerStatus, create, pod, waitPod } from './helpers.js';

let c: NodeCluster;

beforeAll(async () => {
  c = await startNodeCluster({ agentArgs: ['--crashloop-backoff-base', '1s', '--crashloop-backoff-max', '4s'] });
});

afterAll(async () => {
  await c?.cleanup();
});

describe('node agent: failure reasons', () => {
  it('reports OOMKilled when a container exceeds its memory limit', async () => {
    await create(
      c,
      pod('hog', {
        restartPolicy: 'Never',
        // tail keeps a line without newlines whole: memory grows until the limit.
        containers: [busybox('main', 'head -c 200m /dev/zero | tail', { resources: { limits: { memory: '32Mi' } } })],
      }),
    );
    const p = await waitPod(c, 'hog', (x) => x.status?.phase === 'Failed', 'Failed');
    const t = containerStatus(p, 'main').state.terminated;
    expect(t.reason).toBe('OOMKilled');
    expect(t.exitCode).toBe(137);
    expect(p.status.qosClass).toBe('Burstable');
  });

  it('ErrImagePull, then ImagePullBackOff, for an image that cannot be pulled', async () => {
    // A registry on loopback inside the namespace where nothing listens: the pull fails at once.
    await create(c, pod('badimage', { containers: [{ name: 'main', image: '127.0.0.1:1/missing:1', imagePullPolicy: 'IfNotPresent' }] }));
    const first = await waitPod(c, 'badimage', (x) => ['ErrImagePull', 'ImagePullBackOff'].includes(containerStatus(x, 'main')?.state?.waiting?.reason), 'pull error');
    expect(first.status.phase).toBe('Pending');
    const later = await waitPod(c, 'badimage', (x) => containerStatus(x, 'main')?.state?.waiting?.reason === 'ImagePullBackOff', 'ImagePullBackOff');
    expect(containerStatus(later, 'main').state.waiting.message).toContain('127.0.0.1:1/missing:1');
  });

  it('reports the termination message a container leaves, or its log tail with FallbackToLogsOnError', async () => {
    await create(
      c,
      pod('lastwords', {
        restartPolicy: 'Never',
        containers: [
          busybox('file', 'echo "disk full" > /dev/termination-log; exit 2'),
          busybox('logs', 'echo first; echo the end; exit 3', { terminationMessagePolicy: 'FallbackToLogsOnError' }),
        ],
      }),
    );
    const p = await waitPod(c, 'lastwords', (x) => x.status?.phase === 'Failed', 'Failed');
    expect(containerStatus(p, 'file').state.terminated.message).toBe('disk full\n');
    expect(containerStatus(p, 'logs').state.terminated.message).toBe('first\nthe end');
  });

  it('fails a pod that outlives activeDeadlineSeconds', async () => {
    await create(c, pod('deadline', { activeDeadlineSeconds: 2, terminationGracePeriodSeconds: 1, containers: [busybox('main', 'exec sleep 3600')] }));
    const p = await waitPod(c, 'deadline', (x) => x.status?.phase === 'Failed', 'Failed');
    expect(p.status.reason).toBe('DeadlineExceeded');
    expect(containerStatus(p, 'main').state.terminated).toBeDefined();
  });

  it('ErrImageNeverPull for a missing image with pull policy Never', async () => {
    await create(c, pod('neverpull', { containers: [{ name: 'main', image: 'wharf.test/absent:1', imagePullPolicy: 'Never' }] }));
    const p = await waitPod(c, 'neverpull', (x) => containerStatus(x, 'main')?.state?.waiting?.reason === 'ErrImageNeverPull', 'ErrImageNeverPull');
    expect(containerStatus(p, 'main').state.waiting.message).toContain('pull policy of Never');
  });
});
