// Three-way merges of client-side apply and field ownership of server-side
// apply, judged by what ends up stored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, type ApiServerProcess } from '../harness/apiserver.js';
import { kubectlFor, type Kubectl } from './kubectl.js';

let api: ApiServerProcess;
let kubectl: Kubectl;

beforeAll(async () => {
  api = await startApiServer();
  kubectl = kubectlFor(api);
});
afterAll(async () => {
  await api?.cleanup();
});

async function stored(path: string): Promise<any> {
  const r = await api.request('GET', path);
  expect(r.status, r.text).toBe(200);
  return r.json();
}

interface Shape {
  replicas: number;
  image: string;
  env: Array<[string, string]>;
  ports: number[];
  minReadySeconds?: number;
}

function deployment(s: Shape): string {
  const env = s.env.length === 0 ? '' : `        env:\n${s.env.map(([n, v]) => `        - name: ${n}\n          value: "${v}"`).join('\n')}\n`;
  const ports = s.ports.length === 0 ? '' : `        ports:\n${s.ports.map((p) => `        - containerPort: ${p}`).join('\n')}\n`;
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: default
spec:
  replicas: ${s.replicas}
${s.minReadySeconds === undefined ? '' : `  minReadySeconds: ${s.minReadySeconds}\n`}  selector:
    matchLabels:
      app: api
  template:
    metadata:
      labels:
        app: api
    spec:
      containers:
      - name: api
        image: ${s.image}
${env}${ports}`;
}

const PATH = '/apis/apps/v1/namespaces/default/deployments/api';

describe('client-side apply three-way merge', () => {
  it('tracks replicas, image, env and ports, and removes fields dropped from the manifest', async () => {
    const v1: Shape = { replicas: 2, image: 'api:1', env: [['A', '1'], ['B', '2']], ports: [8080, 9090], minReadySeconds: 5 };
    const r1 = await kubectl('apply', '-f', kubectl.file('v1.yaml', deployment(v1)));
    expect(r1.code, r1.stderr).toBe(0);
    expect(r1.stdout.trim()).toBe('deployment.apps/api created');

    const v2: Shape = { replicas: 3, image: 'api:2', env: [['A', '1'], ['C', '3']], ports: [8080] };
    const r2 = await kubectl('apply', '-f', kubectl.file('v2.yaml', deployment(v2)));
    expect(r2.code, r2.stderr).toBe(0);
    expect(r2.stdout.trim()).toBe('deployment.apps/api configured');

    const live = await stored(PATH);
    expect(live.spec.replicas).toBe(3);
    expect(live.spec.minReadySeconds ?? 0).toBe(0);
    const [c] = live.spec.template.spec.containers;
    expect(live.spec.template.spec.containers).toHaveLength(1);
    expect(c.image).toBe('api:2');
    expect(c.env).toEqual([
      { name: 'A', value: '1' },
      { name: 'C', value: '3' },
    ]);
    expect(c.ports.map((p: { containerPort: number }) => p.containerPort)).toEqual([8080]);
    const lastApplied = JSON.parse(live.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']);
    expect(lastApplied.spec.replicas).toBe(3);

    const same = await kubectl('apply', '-f', kubectl.file('v2b.yaml', deployment(v2)));
    expect(same.stdout.trim()).toBe('deployment.apps/api unchanged');
  });

  it('keeps fields other writers set that the manifest never mentioned', async () => {
    const scaled = await kubectl('annotate', 'deployment', 'api', 'team=payments');
    expect(scaled.code, scaled.stderr).toBe(0);
    const v3: Shape = { replicas: 3, image: 'api:3', env: [['A', '1'], ['C', '3']], ports: [8080] };
    const r = await kubectl('apply', '-f', kubectl.file('v3.yaml', deployment(v3)));
    expect(r.code, r.stderr).toBe(0);
    const live = await stored(PATH);
    expect(live.metadata.annotations.team).toBe('payments');
    expect(live.spec.template.spec.containers[0].image).toBe('api:3');
  });
});

describe('server-side apply', () => {
  const cm = (manager: string, value: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: owned
  namespace: default
data:
  key: "${value}"
  ${manager}: "yes"
`;

  it('creates, updates, conflicts with another manager, and forces', async () => {
    const create = await kubectl('apply', '--server-side', '--field-manager=alice', '-f', kubectl.file('a1.yaml', cm('alice', '1')));
    expect(create.code, create.stderr).toBe(0);
    expect(create.stdout.trim()).toBe('configmap/owned serverside-applied');

    const update = await kubectl('apply', '--server-side', '--field-manager=alice', '-f', kubectl.file('a2.yaml', cm('alice', '2')));
    expect(update.code, update.stderr).toBe(0);
    expect((await stored('/api/v1/namespaces/default/configmaps/owned')).data).toEqual({ key: '2', alice: 'yes' });

    const conflict = await kubectl('apply', '--server-side', '--field-manager=bob', '-f', kubectl.file('b1.yaml', cm('bob', '3')));
    expect(conflict.code).toBe(1);
    expect(conflict.stderr).toContain('conflict');
    expect(conflict.stderr).toContain('.data.key');
    expect((await stored('/api/v1/namespaces/default/configmaps/owned')).data.key).toBe('2');

    const forced = await kubectl('apply', '--server-side', '--field-manager=bob', '--force-conflicts', '-f', kubectl.file('b2.yaml', cm('bob', '3')));
    expect(forced.code, forced.stderr).toBe(0);
    const live = await stored('/api/v1/namespaces/default/configmaps/owned');
    expect(live.data.key).toBe('3');
    expect(live.data.bob).toBe('yes');
    const managers = live.metadata.managedFields.map((m: { manager: string }) => m.manager).sort();
    expect(managers).toEqual(['alice', 'bob']);
  });
});
