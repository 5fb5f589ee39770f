// wharf rollout against a real apiserver. No controllers run here, so the
// test plays the deployment controller: it writes Deployment status and the
// ReplicaSets (owner reference + revision annotation) the way it would.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, type ApiServerProcess } from '../harness/apiserver.js';
import { kubectlFor, type Kubectl } from '../kubectl/kubectl.js';
import { DEPLOYMENT, eventually, wharfFor, type Wharf } from './wharf.js';

let api: ApiServerProcess;
let wharf: Wharf;
let kubectl: Kubectl;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type J = Record<string, any>;

beforeAll(async () => {
  api = await startApiServer();
  wharf = wharfFor(api);
  kubectl = kubectlFor(api);
});
afterAll(async () => {
  await api?.cleanup();
});

async function getJson(path: string): Promise<J> {
  const res = await api.request('GET', path);
  expect(res.status).toBe(200);
  return res.json<J>();
}

async function setStatus(ns: string, name: string, status: J): Promise<void> {
  const d = await getJson(`/apis/apps/v1/namespaces/${ns}/deployments/${name}`);
  const res = await api.request('PATCH', `/apis/apps/v1/namespaces/${ns}/deployments/${name}/status`, { status: { observedGeneration: d.metadata.generation, ...status } }, { 'content-type': 'application/merge-patch+json' });
  expect(res.status, res.text).toBe(200);
}

/** What the deployment controller would leave: one ReplicaSet per revision, owned by the deployment. */
async function seedRevisions(ns: string, name: string, images: string[]): Promise<void> {
  const d = await getJson(`/apis/apps/v1/namespaces/${ns}/deployments/${name}`);
  for (const [i, image] of images.entries()) {
    const revision = String(i + 1);
    const template = structuredClone(d.spec.template);
    template.metadata.labels['pod-template-hash'] = `h${revision}`;
    template.spec.containers[0].image = image;
    const rs = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `${name}-h${revision}`,
        namespace: ns,
        labels: template.metadata.labels,
        annotations: { 'deployment.kubernetes.io/revision': revision },
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name, uid: d.metadata.uid, controller: true, blockOwnerDeletion: true }],
      },
      spec: { replicas: i === images.length - 1 ? 2 : 0, selector: { matchLabels: template.metadata.labels }, template },
    };
    const res = await api.request('POST', `/apis/apps/v1/namespaces/${ns}/replicasets`, rs);
    expect(res.status, res.text).toBe(201);
  }
  const res = await api.request('PATCH', `/apis/apps/v1/namespaces/${ns}/deployments/${name}`, { metadata: { annotations: { 'deployment.kubernetes.io/revision': String(images.length) } } }, { 'content-type': 'application/merge-patch+json' });
  expect(res.status).toBe(200);
}

describe('rollout status', () => {
  it('prints kubectl’s progress lines as the status changes, then success', async () => {
    expect((await wharf.withInput(DEPLOYMENT('web', 3), 'apply', '-f', '-')).code).toBe(0);
    await setStatus('default', 'web', { replicas: 3, updatedReplicas: 1, availableReplicas: 0 });
    const status = wharf.spawn('rollout', 'status', 'deployment/web');
    await eventually(() => status.output().includes('new replicas have been updated'), 'first progress line');
    expect(status.output()).toBe('Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...\n');
    // kubectl, asked once at the same state, says the same.
    expect((await kubectl('rollout', 'status', 'deployment/web', '--watch=false')).stdout).toBe(status.output());
    await setStatus('default', 'web', { replicas: 3, updatedReplicas: 3, availableReplicas: 1 });
    await eventually(() => status.output().includes('updated replicas are available'), 'availability line');
    await setStatus('default', 'web', { replicas: 3, updatedReplicas: 3, availableReplicas: 3, readyReplicas: 3 });
    expect(await status.exited).toBe(0);
    expect(status.output()).toBe(
      'Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...\n' +
        'Waiting for deployment "web" rollout to finish: 1 of 3 updated replicas are available...\n' +
        'deployment "web" successfully rolled out\n',
    );
    expect((await kubectl('rollout', 'status', 'deployment/web')).stdout).toBe('deployment "web" successfully rolled out\n');
  });

  it('reports old replicas pending termination and a missed progress deadline like kubectl', async () => {
    await setStatus('default', 'web', { replicas: 4, updatedReplicas: 3, availableReplicas: 3 });
    const w = await wharf('rollout', 'status', 'deploy/web', '--watch=false');
    expect(w.stdout).toBe('Waiting for deployment "web" rollout to finish: 1 old replicas are pending termination...\n');
    expect(w.stdout).toBe((await kubectl('rollout', 'status', 'deploy/web', '--watch=false')).stdout);
    await setStatus('default', 'web', { conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'too slow' }] });
    const failed = await wharf('rollout', 'status', 'deploy/web');
    expect(failed.code).toBe(1);
    expect(failed.stderr).toBe('error: deployment "web" exceeded its progress deadline\n');
    expect(failed.stderr).toBe((await kubectl('rollout', 'status', 'deploy/web')).stderr);
  });
});

describe('rollout history, undo, restart, pause, resume', () => {
  it('history lists the revisions from the ReplicaSets exactly as kubectl does', async () => {
    for (const ns of ['w', 'k']) {
      expect((await wharf('create', 'namespace', ns)).code).toBe(0);
      expect((await wharf.withInput(DEPLOYMENT('api', 2, 'shop/api:2'), 'apply', '-f', '-', '-n', ns)).code).toBe(0);
      await seedRevisions(ns, 'api', ['shop/api:1', 'shop/api:2']);
    }
    const w = await wharf('rollout', 'history', 'deployment/api', '-n', 'w');
    expect(w.stdout).toBe((await kubectl('rollout', 'history', 'deployment/api', '-n', 'w')).stdout);
    expect(w.stdout).toContain('REVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n');
    const one = await wharf('rollout', 'history', 'deployment/api', '-n', 'w', '--revision=1');
    expect(one.stdout).toContain('deployment.apps/api with revision #1');
    expect(one.stdout).toContain('Image:      shop/api:1');
  });

  it('undo puts revision 1’s template back, the same template kubectl’s undo produces', async () => {
    const w = await wharf('rollout', 'undo', 'deployment/api', '-n', 'w');
    const k = await kubectl('rollout', 'undo', 'deployment/api', '-n', 'k');
    expect(w.stdout).toBe('deployment.apps/api rolled back\n');
    expect(w.stdout).toBe(k.stdout);
    const wt = (await getJson('/apis/apps/v1/namespaces/w/deployments/api')).spec.template;
    const kt = (await getJson('/apis/apps/v1/namespaces/k/deployments/api')).spec.template;
    expect(wt.spec.containers[0].image).toBe('shop/api:1');
    // kubectl's Go structs send `creationTimestamp: null` in the template; that is the only difference allowed.
    delete kt.metadata.creationTimestamp;
    expect(wt).toEqual(kt);
    const none = await wharf('rollout', 'undo', 'deployment/api', '-n', 'w', '--to-revision=7');
    expect(none.code).toBe(1);
    expect(none.stderr).toBe((await kubectl('rollout', 'undo', 'deployment/api', '-n', 'k', '--to-revision=7')).stderr);
  });

  it('restart stamps the template; pause and resume flip spec.paused', async () => {
    expect((await wharf('rollout', 'restart', 'deploy/api', '-n', 'w')).stdout).toBe('deployment.apps/api restarted\n');
    const d = await getJson('/apis/apps/v1/namespaces/w/deployments/api');
    expect(Date.parse(d.spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt'])).not.toBeNaN();
    expect((await wharf('rollout', 'pause', 'deploy/api', '-n', 'w')).stdout).toBe('deployment.apps/api paused\n');
    expect((await getJson('/apis/apps/v1/namespaces/w/deployments/api')).spec.paused).toBe(true);
    const twice = await wharf('rollout', 'pause', 'deploy/api', '-n', 'w');
    expect(twice.code).toBe(1);
    const blocked = await wharf('rollout', 'restart', 'deploy/api', '-n', 'w');
    expect(blocked.code).toBe(1);
    expect((await wharf('rollout', 'resume', 'deploy/api', '-n', 'w')).stdout).toBe('deployment.apps/api resumed\n');
    expect((await getJson('/apis/apps/v1/namespaces/w/deployments/api')).spec.paused).toBeFalsy();
  });
});
