// kubectl against a control plane that acts: a real apiserver, a real
// controller-manager and hollow nodes (test/controllers/harness). Rollouts,
// describe, scale and cascading deletes are judged by what kubectl prints.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startCluster, type Cluster } from '../controllers/harness.js';
import { kubectlFor, tableRows, type Kubectl } from './kubectl.js';

let c: Cluster;
let kubectl: Kubectl;

beforeAll(async () => {
  c = await startCluster();
  await c.nodes.addMany('node', 2);
  await c.nodes.start();
  kubectl = kubectlFor(c.api);
});
afterAll(async () => {
  await c?.cleanup();
});

const manifest = (replicas: number, image: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: default
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: ${image}
`;

async function podRows(): Promise<string[][]> {
  const r = await kubectl('get', 'pods', '-l', 'app=web', '--no-headers');
  expect(r.code, r.stderr).toBe(0);
  return r.stdout.trim() === '' ? [] : tableRows(r.stdout);
}

describe('kubectl with controllers running', () => {
  it('rolls out a deployment and reports it', async () => {
    const applied = await kubectl('apply', '-f', kubectl.file('web.yaml', manifest(3, 'nginx:1.25')));
    expect(applied.code, applied.stderr).toBe(0);
    const status = await kubectl('rollout', 'status', 'deployment/web', '--timeout=60s');
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout.trim().split('\n').at(-1)).toBe('deployment "web" successfully rolled out');

    const deploy = tableRows((await kubectl('get', 'deployment', 'web')).stdout);
    expect(deploy[1]!.slice(0, 4)).toEqual(['web', '3/3', '3', '3']);
    const pods = await podRows();
    expect(pods).toHaveLength(3);
    // Hollow nodes report the pod phase and conditions but no container
    // statuses, and READY counts ready containers from those, as Kubernetes does.
    for (const row of pods) expect(row.slice(1, 4)).toEqual(['0/1', 'Running', '0']);

    const rs = tableRows((await kubectl('get', 'replicasets', '-l', 'app=web')).stdout);
    expect(rs[0]).toEqual(['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE']);
    expect(rs[1]!.slice(1, 4)).toEqual(['3', '3', '3']);
    expect(rs[1]![0]).toMatch(/^web-[a-z0-9]+$/);
  });

  it('describes the deployment with its new ReplicaSet and events', async () => {
    const r = await kubectl('describe', 'deployment', 'web');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Replicas:\s+3 desired \| 3 updated \| 3 total \| 3 available \| 0 unavailable$/m);
    expect(r.stdout).toMatch(/^NewReplicaSet:\s+web-[a-z0-9]+ \(3\/3 replicas created\)$/m);
    expect(r.stdout).toMatch(/ScalingReplicaSet\s+.*Scaled up replica set web-[a-z0-9]+ .*to 3/);
  });

  it('lists the controllers\' events', async () => {
    const r = await kubectl('get', 'events', '--field-selector', 'involvedObject.kind=Deployment');
    expect(r.code, r.stderr).toBe(0);
    const rows = tableRows(r.stdout);
    expect(rows[0]).toEqual(['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE']);
    expect(rows.slice(1).some((row) => row[1] === 'Normal' && row[2] === 'ScalingReplicaSet' && row[3] === 'deployment/web')).toBe(true);
  });

  it('scales through the scale subresource and rolls a new image', async () => {
    const scaled = await kubectl('scale', 'deployment', 'web', '--replicas=1');
    expect(scaled.code, scaled.stderr).toBe(0);
    await eventually(async () => (await podRows()).length === 1, 30_000, 'one pod left');

    const applied = await kubectl('apply', '-f', kubectl.file('web2.yaml', manifest(2, 'nginx:1.27')));
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout.trim()).toBe('deployment.apps/web configured');
    const status = await kubectl('rollout', 'status', 'deployment/web', '--timeout=60s');
    expect(status.code, status.stderr).toBe(0);
    const wide = tableRows((await kubectl('get', 'rs', '-l', 'app=web', '-o', 'wide')).stdout);
    const current = wide.slice(1).find((row) => row[6] === 'nginx:1.27');
    expect(current?.slice(1, 4)).toEqual(['2', '2', '2']);
  });

  it('deletes in the foreground, taking the ReplicaSets and pods with it', async () => {
    const r = await kubectl('delete', 'deployment', 'web', '--cascade=foreground', '--timeout=60s');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe('deployment.apps "web" deleted');
    expect((await c.api.request('GET', '/apis/apps/v1/namespaces/default/deployments/web')).status).toBe(404);
    const rs = await kubectl('get', 'rs', '-l', 'app=web');
    expect(rs.stderr.trim()).toBe('No resources found in default namespace.');
    await eventually(async () => (await podRows()).length === 0, 30_000, 'pods to go');
  });
});
