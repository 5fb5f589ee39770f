// Smoke runs with the oldest and newest kubectl installed: 1.27 POSTs JSON,
// 1.33 POSTs protobuf (HPAs to autoscaling/v2 first).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, type ApiServerProcess } from '../harness/apiserver.js';
import { kubectlFor } from './kubectl.js';

let api: ApiServerProcess;

beforeAll(async () => {
  api = await startApiServer();
});
afterAll(async () => {
  await api?.cleanup();
});

for (const minor of ['27', '33']) {
  describe(`kubectl 1.${minor}`, () => {
    const ns = `smoke-${minor}`;
    it('creates, autoscales, applies and lists', async () => {
      const kubectl = kubectlFor(api, `/usr/lib/google-cloud-sdk/bin/kubectl.1.${minor}`);
      const created = await kubectl('create', 'namespace', ns);
      expect(created.code, created.stderr).toBe(0);
      expect(created.stdout.trim()).toBe(`namespace/${ns} created`);
      const d = await kubectl('create', 'deployment', 'web', '-n', ns, '--image=nginx', '--replicas=2');
      expect(d.code, d.stderr).toBe(0);
      const a = await kubectl('autoscale', 'deployment', 'web', '-n', ns, '--cpu-percent=60', '--min=2', '--max=4');
      expect(a.code, a.stderr).toBe(0);
      expect(a.stdout.trim()).toBe('horizontalpodautoscaler.autoscaling/web autoscaled');
      const hpa = await api.request('GET', `/apis/autoscaling/v2/namespaces/${ns}/horizontalpodautoscalers/web`);
      expect(hpa.status, hpa.text).toBe(200);
      expect(hpa.json().spec).toMatchObject({ minReplicas: 2, maxReplicas: 4 });
      expect(hpa.json().spec.metrics[0].resource).toEqual({ name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } });

      const cm = kubectl.file('cm.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: ${ns}\ndata:\n  a: b\n`);
      // kubectl 1.27 downloads /openapi/v2 (protobuf) before it applies, to learn that the server validates.
      const applied = await kubectl('apply', '-f', cm);
      expect(applied.code, applied.stderr).toBe(0);
      expect(applied.stdout.trim()).toBe('configmap/c created');
      const changed = kubectl.file('cm2.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: ${ns}\ndata:\n  b: c\n`);
      const updated = await kubectl('apply', '-f', changed);
      expect(updated.code, updated.stderr).toBe(0);
      expect(updated.stdout.trim()).toBe('configmap/c configured');
      expect((await api.request('GET', `/api/v1/namespaces/${ns}/configmaps/c`)).json().data).toEqual({ b: 'c' });

      const get = await kubectl('get', 'deploy,hpa', '-n', ns);
      expect(get.code, get.stderr).toBe(0);
      expect(get.stdout).toMatch(/NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE/);
      expect(get.stdout).toMatch(/NAME\s+REFERENCE\s+TARGETS\s+MINPODS\s+MAXPODS\s+REPLICAS\s+AGE/);
      expect(get.stdout).toMatch(/horizontalpodautoscaler\.autoscaling\/web\s+Deployment\/web\s+cpu: <unknown>\/60%\s+2\s+4\s+0/);
    });
  });
}
