// kubectl apply (client-side and server-side) and kubectl get with Table output.
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

function manifest(replicas: number, image = 'nginx:1.25'): string {
  return `apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: shop
data:
  mode: production
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  labels:
    app: web
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
        ports:
        - containerPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  selector:
    app: web
  ports:
  - port: 80
    targetPort: 80
`;
}

async function stored(path: string): Promise<any> {
  const r = await api.request('GET', path);
  expect(r.status, r.text).toBe(200);
  return r.json();
}

describe('kubectl apply', () => {
  it('creates, leaves unchanged, then configures a multi-document manifest', async () => {
    const file = kubectl.file('app.yaml', manifest(2));
    const first = await kubectl('apply', '-f', file);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout.trim().split('\n')).toEqual(['namespace/shop created', 'configmap/settings created', 'deployment.apps/web created', 'service/web created']);

    const again = await kubectl('apply', '-f', file);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout.trim().split('\n')).toEqual(['namespace/shop unchanged', 'configmap/settings unchanged', 'deployment.apps/web unchanged', 'service/web unchanged']);

    const changed = await kubectl('apply', '-f', kubectl.file('app2.yaml', manifest(3, 'nginx:1.27')));
    expect(changed.code, changed.stderr).toBe(0);
    expect(changed.stdout).toContain('deployment.apps/web configured');
    const deploy = await stored('/apis/apps/v1/namespaces/shop/deployments/web');
    expect(deploy.spec.replicas).toBe(3);
    expect(deploy.spec.template.spec.containers[0].image).toBe('nginx:1.27');
  });

  it('rejects an unknown field with the server error and stores nothing', async () => {
    const bad = `apiVersion: v1
kind: ConfigMap
metadata:
  name: typo
  namespace: default
dataa:
  a: b
`;
    const r = await kubectl('apply', '-f', kubectl.file('bad.yaml', bad));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('unknown field "dataa"');
    expect((await api.request('GET', '/api/v1/namespaces/default/configmaps/typo')).status).toBe(404);
  });

  it('applies server-side', async () => {
    const cm = `apiVersion: v1
kind: ConfigMap
metadata:
  name: ssa
  namespace: default
data:
  a: "1"
`;
    const r = await kubectl('apply', '--server-side', '-f', kubectl.file('ssa.yaml', cm));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe('configmap/ssa serverside-applied');
    const obj = await stored('/api/v1/namespaces/default/configmaps/ssa');
    expect(obj.data).toEqual({ a: '1' });
    expect(obj.metadata.managedFields.map((m: { manager: string }) => m.manager)).toContain('kubectl');
  });
});

describe('kubectl get', () => {
  it('prints deployments and services with Kubernetes columns', async () => {
    const d = await kubectl('get', 'deployments', '-n', 'shop');
    expect(d.code, d.stderr).toBe(0);
    const rows = tableRows(d.stdout);
    expect(rows[0]).toEqual(['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE']);
    expect(rows[1]![0]).toBe('web');
    expect(rows[1]![1]).toMatch(/^\d+\/3$/);

    const wide = await kubectl('get', 'deploy', 'web', '-n', 'shop', '-o', 'wide');
    expect(wide.code, wide.stderr).toBe(0);
    const w = tableRows(wide.stdout);
    expect(w[0]).toEqual(['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR']);
    expect(w[1]!.slice(5)).toEqual(['web', 'nginx:1.27', 'app=web']);

    const svc = await kubectl('get', 'svc', '-n', 'shop');
    expect(svc.code, svc.stderr).toBe(0);
    const s = tableRows(svc.stdout);
    expect(s[0]).toEqual(['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE']);
    expect(s[1]!.slice(0, 2)).toEqual(['web', 'ClusterIP']);
    expect(s[1]![3]).toBe('<none>');
    expect(s[1]![4]).toBe('80/TCP');
  });

  it('prints configmaps, namespaces, labels, names, yaml and jsonpath', async () => {
    const cm = await kubectl('get', 'cm', 'settings', '-n', 'shop', '--show-labels');
    expect(cm.code, cm.stderr).toBe(0);
    expect(tableRows(cm.stdout)).toEqual([
      ['NAME', 'DATA', 'AGE', 'LABELS'],
      ['settings', '1', expect.stringMatching(/^\d+s$/), '<none>'],
    ]);
    const ns = await kubectl('get', 'ns', 'shop');
    expect(tableRows(ns.stdout)[1]!.slice(0, 2)).toEqual(['shop', 'Active']);
    const names = await kubectl('get', 'deploy,svc', '-n', 'shop', '-o', 'name');
    expect(names.stdout.trim().split('\n')).toEqual(['deployment.apps/web', 'service/web']);
    const jp = await kubectl('get', 'deploy', 'web', '-n', 'shop', '-o', 'jsonpath={.spec.template.spec.containers[0].image}');
    expect(jp.stdout).toBe('nginx:1.27');
    const yaml = await kubectl('get', 'cm', 'settings', '-n', 'shop', '-o', 'yaml');
    expect(yaml.stdout).toContain('kind: ConfigMap');
    expect(yaml.stdout).toContain('mode: production');
  });

  it('get all shows the workload kinds', async () => {
    const r = await kubectl('get', 'all', '-n', 'shop');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('deployment.apps/web');
    expect(r.stdout).toContain('service/web');
  });
});

describe('kubectl edits', () => {
  it('scales, labels, annotates and patches', async () => {
    const scale = await kubectl('scale', 'deployment', 'web', '-n', 'shop', '--replicas=5');
    expect(scale.code, scale.stderr).toBe(0);
    expect(scale.stdout.trim()).toBe('deployment.apps/web scaled');
    expect((await stored('/apis/apps/v1/namespaces/shop/deployments/web')).spec.replicas).toBe(5);

    const label = await kubectl('label', 'cm', 'settings', '-n', 'shop', 'tier=backend');
    expect(label.code, label.stderr).toBe(0);
    expect(label.stdout.trim()).toBe('configmap/settings labeled');
    const annotate = await kubectl('annotate', 'cm', 'settings', '-n', 'shop', 'owner=team-a');
    expect(annotate.code, annotate.stderr).toBe(0);
    const cm = await stored('/api/v1/namespaces/shop/configmaps/settings');
    expect(cm.metadata.labels).toEqual({ tier: 'backend' });
    expect(cm.metadata.annotations.owner).toBe('team-a');

    const merge = await kubectl('patch', 'cm', 'settings', '-n', 'shop', '--type=merge', '-p', '{"data":{"extra":"1"}}');
    expect(merge.code, merge.stderr).toBe(0);
    expect(merge.stdout.trim()).toBe('configmap/settings patched');
    const json = await kubectl('patch', 'cm', 'settings', '-n', 'shop', '--type=json', '-p', '[{"op":"remove","path":"/data/extra"}]');
    expect(json.code, json.stderr).toBe(0);
    const smp = await kubectl('patch', 'deploy', 'web', '-n', 'shop', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx:1.28"}]}}}}');
    expect(smp.code, smp.stderr).toBe(0);
    expect((await stored('/api/v1/namespaces/shop/configmaps/settings')).data).toEqual({ mode: 'production' });
    const deploy = await stored('/apis/apps/v1/namespaces/shop/deployments/web');
    expect(deploy.spec.template.spec.containers).toHaveLength(1);
    expect(deploy.spec.template.spec.containers[0]).toMatchObject({ name: 'web', image: 'nginx:1.28', ports: [{ containerPort: 80 }] });
  });
});
