// Pod tables with real statuses, -A and -l, rollout status, cluster-info, and
// field-path errors for badly typed manifests.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, type ApiServerProcess } from '../harness/apiserver.js';
import { kubectlFor, tableRows, type Kubectl } from './kubectl.js';

let api: ApiServerProcess;
let kubectl: Kubectl;

beforeAll(async () => {
  api = await startApiServer();
  kubectl = kubectlFor(api);
});
afterAll(async () => {
  await api?.cleanup();
});

const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

async function createPod(namespace: string, name: string, labels: Record<string, string>, status: Record<string, unknown>): Promise<void> {
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, labels }, spec: { containers: [{ name: 'app', image: 'busybox' }] } };
  const created = await api.request('POST', `/api/v1/namespaces/${namespace}/pods`, pod);
  expect(created.status, created.text).toBe(201);
  const st = await api.request('PATCH', `/api/v1/namespaces/${namespace}/pods/${name}/status`, { status }, { 'content-type': 'application/merge-patch+json' });
  expect(st.status, st.text).toBe(200);
}

describe('pods in tables', () => {
  it('prints READY, STATUS and RESTARTS from pod status, across namespaces and by label', async () => {
    await api.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'other' } });
    await createPod('default', 'runner', { app: 'a' }, {
      phase: 'Running',
      podIP: '10.244.0.7',
      podIPs: [{ ip: '10.244.0.7' }],
      conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now() }],
      containerStatuses: [{ name: 'app', ready: true, restartCount: 0, image: 'busybox', imageID: '', started: true, state: { running: { startedAt: now() } } }],
    });
    await createPod('default', 'crasher', { app: 'b' }, {
      phase: 'Running',
      containerStatuses: [
        {
          name: 'app',
          ready: false,
          restartCount: 3,
          image: 'busybox',
          imageID: '',
          state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off' } },
          lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: now() } },
        },
      ],
    });
    await createPod('other', 'elsewhere', { app: 'a' }, { phase: 'Pending' });

    const r = await kubectl('get', 'pods', '-o', 'wide');
    expect(r.code, r.stderr).toBe(0);
    const rows = tableRows(r.stdout);
    expect(rows[0]).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES']);
    const byName = new Map(rows.slice(1).map((row) => [row[0], row]));
    expect(byName.get('runner')!.slice(1, 4)).toEqual(['1/1', 'Running', '0']);
    expect(byName.get('runner')![5]).toBe('10.244.0.7');
    expect(byName.get('crasher')!.slice(1, 4)).toEqual(['0/1', 'CrashLoopBackOff', expect.stringMatching(/^3 \(\d+s ago\)$/)]);

    const all = await kubectl('get', 'pods', '-A', '-l', 'app=a');
    expect(all.code, all.stderr).toBe(0);
    const allRows = tableRows(all.stdout);
    expect(allRows[0]).toEqual(['NAMESPACE', 'NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    expect(allRows.slice(1).map((row) => `${row[0]}/${row[1]}/${row[3]}`).sort()).toEqual(['default/runner/Running', 'other/elsewhere/Pending']);
  });
});

describe('rollout status', () => {
  it('waits on the deployment watch until the status says the rollout is complete', async () => {
    const created = await kubectl('create', 'deployment', 'roll', '--image=nginx', '--replicas=2');
    expect(created.code, created.stderr).toBe(0);
    const waiting = kubectl('rollout', 'status', 'deployment/roll', '--timeout=60s');
    const d = (await api.request('GET', '/apis/apps/v1/namespaces/default/deployments/roll')).json();
    const status = {
      status: {
        observedGeneration: d.metadata.generation,
        replicas: 2,
        updatedReplicas: 2,
        readyReplicas: 2,
        availableReplicas: 2,
        conditions: [
          { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'ok', lastUpdateTime: now(), lastTransitionTime: now() },
          { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: 'ok', lastUpdateTime: now(), lastTransitionTime: now() },
        ],
      },
    };
    const st = await api.request('PATCH', '/apis/apps/v1/namespaces/default/deployments/roll/status', status, { 'content-type': 'application/merge-patch+json' });
    expect(st.status, st.text).toBe(200);
    const r = await waiting;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('deployment "roll" successfully rolled out');
  });
});

describe('cluster-info and errors', () => {
  it('prints the control plane address', async () => {
    const r = await kubectl('cluster-info');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Kubernetes control plane is running at ${api.url}`);
  });

  it('reports a badly typed field at its path and stores nothing', async () => {
    const bad = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: typed
  namespace: default
spec:
  replicas: three
  selector:
    matchLabels: {app: typed}
  template:
    metadata:
      labels: {app: typed}
    spec:
      containers:
      - name: c
        image: nginx
`;
    const r = await kubectl('apply', '-f', kubectl.file('typed.yaml', bad));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('spec.replicas');
    expect((await api.request('GET', '/apis/apps/v1/namespaces/default/deployments/typed')).status).toBe(404);
  });

  it('reports a missing required field from validation', async () => {
    const bad = `apiVersion: v1
kind: Service
metadata:
  name: noports
  namespace: default
spec:
  selector: {app: x}
`;
    const r = await kubectl('create', '-f', kubectl.file('svc.yaml', bad));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('The Service "noports" is invalid');
    expect(r.stderr).toContain('spec.ports');
  });
});
