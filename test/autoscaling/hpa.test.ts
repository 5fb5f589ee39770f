// Elastic scaling end to end, with real containers in an isolated network
// namespace: a CPU-bound busybox Deployment (requests 100m) and an HPA at 50%.
// Load on → the HPA scales the Deployment up, never past maxReplicas, and
// `kubectl top` shows the usage; load off → back down to minReplicas after the
// (shortened) scale-down stabilization window.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startNetnsServer, type NetnsServer } from './netns-server.js';

// Each pod burns a full core while /tmp/load exists in it, and idles otherwise.
const MANIFEST = `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: burner
spec:
  replicas: 1
  selector:
    matchLabels: {app: burner}
  template:
    metadata:
      labels: {app: burner}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: burner
        image: busybox:1.36
        command: ["sh", "-c", "while true; do if [ -f /tmp/load ]; then i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done; else sleep 1; fi; done"]
        resources:
          requests: {cpu: 100m, memory: 16Mi}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: burner
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: burner}
  minReplicas: 1
  maxReplicas: 3
  metrics:
  - type: Resource
    resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}
  behavior:
    scaleDown: {stabilizationWindowSeconds: 10}
`;

interface Hpa {
  status?: { currentReplicas?: number; desiredReplicas?: number; conditions?: Array<{ type: string; status: string; reason: string }>; currentMetrics?: Array<{ resource?: { current?: { averageUtilization?: number } } }> };
}

describe('HorizontalPodAutoscaler with real containers', () => {
  let s: NetnsServer;
  /** Every spec.replicas seen on the Deployment while the test polls. */
  const seenReplicas: number[] = [];

  beforeAll(async () => {
    s = await startNetnsServer();
  });
  afterAll(async () => {
    await s?.stop();
  });

  const replicas = async () => {
    const n = Number(await s.k(['get', 'deployment', 'burner', '-o', 'jsonpath={.spec.replicas}']));
    seenReplicas.push(n);
    return n;
  };
  const hpa = async () => JSON.parse(await s.k(['get', 'hpa', 'burner', '-o', 'json'])) as Hpa;
  const podNames = async () => (await s.k(['get', 'pods', '-l', 'app=burner', '-o', 'jsonpath={.items[*].metadata.name}'])).split(/\s+/).filter(Boolean);
  const events = async () => s.k(['get', 'events', '--field-selector', 'involvedObject.kind=HorizontalPodAutoscaler', '-o', 'jsonpath={range .items[*]}{.reason}: {.message}{"\\n"}{end}']);

  it('scales up under load, respects maxReplicas, shows usage in kubectl top, and scales back down', { timeout: 300_000 }, async () => {
    await s.k(['apply', '-f', '-'], MANIFEST);
    await eventually('the first pod to run', async () => (await s.k(['get', 'pods', '-l', 'app=burner', '-o', 'jsonpath={.items[*].status.phase}'])).includes('Running'), 60_000);
    // The HPA finds a valid metric once the pod has one full window after turning ready.
    await eventually('ScalingActive', async () => (await hpa()).status?.conditions?.some((c) => c.type === 'ScalingActive' && c.status === 'True'), 60_000);
    expect(await replicas()).toBe(1);

    const [first] = await podNames();
    await s.k(['exec', first!, '--', 'touch', '/tmp/load']);

    // kubectl top (the real 1.32 binary) shows the loaded pod burning CPU.
    const top = await eventually(
      'kubectl top to show load',
      async () => {
        const out = await s.k(['top', 'pods', '-l', 'app=burner']);
        const line = out.split('\n').find((l) => l.startsWith(first!));
        const cpu = line ? Number(/\s(\d+)m\s/.exec(line)?.[1] ?? 0) : 0;
        return cpu >= 200 ? out : undefined;
      },
      60_000,
    );
    expect(top).toMatch(/^NAME\s+CPU\(cores\)\s+MEMORY\(bytes\)/);

    await eventually('scale-up to maxReplicas', async () => (await replicas()) === 3, 90_000);
    const up = await events();
    expect(up).toMatch(/SuccessfulRescale: New size: [23]; reason: cpu resource utilization \(percentage of request\) above target/);
    // Still loaded at max: the proposal exceeds maxReplicas and the HPA says so.
    await eventually(
      'ScalingLimited TooManyReplicas',
      async () => (await hpa()).status?.conditions?.some((c) => c.type === 'ScalingLimited' && c.status === 'True' && c.reason === 'TooManyReplicas'),
      60_000,
    );
    const loaded = await hpa();
    expect(loaded.status?.currentMetrics?.[0]?.resource?.current?.averageUtilization ?? 0).toBeGreaterThan(50);
    expect(await replicas()).toBe(3);

    for (const p of await podNames()) await s.kubectl(['exec', p, '--', 'rm', '-f', '/tmp/load']);
    await eventually('scale-down to minReplicas', async () => (await replicas()) === 1, 120_000);
    expect(await events()).toContain('SuccessfulRescale: New size: 1; reason: All metrics below target');
    // The rescaling sync reports the size it found (3); the next one reports the new size.
    const idle = await eventually('status at minReplicas', async () => {
      const h = await hpa();
      return h.status?.currentReplicas === 1 ? h : undefined;
    }, 30_000);
    expect(idle.status).toMatchObject({ currentReplicas: 1, desiredReplicas: 1 });
    expect(Math.max(...seenReplicas)).toBeLessThanOrEqual(3);
    expect(Math.min(...seenReplicas)).toBeGreaterThanOrEqual(1);
  });

  it('serves metrics.k8s.io as metrics-server does (kubectl get --raw)', async () => {
    const list = JSON.parse(await s.k(['get', '--raw', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods?labelSelector=app%3Dburner'])) as {
      kind: string;
      items: Array<{ metadata: { name: string; labels: Record<string, string> }; window: string; containers: Array<{ name: string; usage: { cpu: string; memory: string } }> }>;
    };
    expect(list.kind).toBe('PodMetricsList');
    expect(list.items.length).toBeGreaterThan(0);
    for (const item of list.items) {
      expect(item.metadata.labels.app).toBe('burner');
      expect(item.window).toMatch(/^\d+(\.\d+)?m?s$/);
      expect(item.containers[0]?.name).toBe('burner');
      expect(item.containers[0]?.usage.cpu).toMatch(/^\d+n$/);
      expect(item.containers[0]?.usage.memory).toMatch(/^\d+(Ki)?$/);
    }
    // kubectl get asks for a Table: the metrics-server columns.
    const table = await s.k(['get', 'pods.metrics.k8s.io', '-l', 'app=burner']);
    expect(table).toMatch(/^NAME\s+CPU\s+MEMORY\s+WINDOW/);
    expect(table).toContain(list.items[0]!.metadata.name);
    // The same HPA read as autoscaling/v1 (converted by the apiserver) carries the CPU figure the controller wrote in v2.
    const v1 = JSON.parse(await s.k(['get', 'horizontalpodautoscalers.v1.autoscaling', 'burner', '-o', 'json'])) as { apiVersion: string; status: { currentReplicas: number; currentCPUUtilizationPercentage?: number } };
    expect(v1.apiVersion).toBe('autoscaling/v1');
    expect(v1.status.currentReplicas).toBe(1);
    expect(typeof v1.status.currentCPUUtilizationPercentage).toBe('number');
    const nodes = await s.k(['top', 'nodes']);
    expect(nodes).toMatch(/^NAME\s+CPU\(cores\)\s+CPU\(%\)\s+MEMORY\(bytes\)\s+MEMORY\(%\)/);
    const missing = await s.kubectl(['top', 'pod', 'nope']);
    expect(missing.stderr).toContain('podmetrics.metrics.k8s.io "nope" not found');
  });
});
