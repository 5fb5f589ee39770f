// kubectl 1.32's generators (`create …`, `autoscale`) POST protobuf bodies; the
// objects they create must be stored exactly as kubectl built them.
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

describe('kubectl create and autoscale (protobuf request bodies)', () => {
  it('creates a namespace', async () => {
    const r = await kubectl('create', 'namespace', 'team-a');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe('namespace/team-a created');
    expect((await stored('/api/v1/namespaces/team-a')).metadata.name).toBe('team-a');
  });

  it('creates a configmap and a secret with exact data', async () => {
    const cm = await kubectl('create', 'configmap', 'cfg', '--from-literal=a=b', '--from-literal=c=d');
    expect(cm.code, cm.stderr).toBe(0);
    expect(cm.stdout.trim()).toBe('configmap/cfg created');
    expect((await stored('/api/v1/namespaces/default/configmaps/cfg')).data).toEqual({ a: 'b', c: 'd' });

    const s = await kubectl('create', 'secret', 'generic', 'sec', '--from-literal=user=admin', '--from-literal=pass=s3cr3t');
    expect(s.code, s.stderr).toBe(0);
    expect(s.stdout.trim()).toBe('secret/sec created');
    const secret = await stored('/api/v1/namespaces/default/secrets/sec');
    expect(Buffer.from(secret.data.pass, 'base64').toString()).toBe('s3cr3t');
    expect(secret.type).toBe('Opaque');
  });

  it('creates a deployment and autoscales it', async () => {
    const d = await kubectl('create', 'deployment', 'web', '--image=nginx', '--replicas=2', '--port=80');
    expect(d.code, d.stderr).toBe(0);
    expect(d.stdout.trim()).toBe('deployment.apps/web created');
    const deploy = await stored('/apis/apps/v1/namespaces/default/deployments/web');
    expect(deploy.spec.replicas).toBe(2);
    expect(deploy.spec.selector).toEqual({ matchLabels: { app: 'web' } });
    expect(deploy.spec.template.spec.containers[0]).toMatchObject({ name: 'nginx', image: 'nginx', ports: [{ containerPort: 80 }] });

    const a = await kubectl('autoscale', 'deployment', 'web', '--cpu-percent=50', '--min=1', '--max=5');
    expect(a.code, a.stderr).toBe(0);
    expect(a.stdout.trim()).toBe('horizontalpodautoscaler.autoscaling/web autoscaled');
    const hpa = await stored('/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers/web');
    expect(hpa.spec).toMatchObject({ scaleTargetRef: { kind: 'Deployment', name: 'web', apiVersion: 'apps/v1' }, minReplicas: 1, maxReplicas: 5, targetCPUUtilizationPercentage: 50 });
  });

  it('creates services of each type', async () => {
    const c = await kubectl('create', 'service', 'clusterip', 'web', '--tcp=80:8080');
    expect(c.code, c.stderr).toBe(0);
    expect(c.stdout.trim()).toBe('service/web created');
    const svc = await stored('/api/v1/namespaces/default/services/web');
    expect(svc.spec.ports).toEqual([expect.objectContaining({ name: '80-8080', port: 80, targetPort: 8080, protocol: 'TCP' })]);
    expect(svc.spec.selector).toEqual({ app: 'web' });
    const n = await kubectl('create', 'service', 'nodeport', 'np', '--tcp=80:8080', '--node-port=30080');
    expect(n.code, n.stderr).toBe(0);
    expect((await stored('/api/v1/namespaces/default/services/np')).spec.ports[0].nodePort).toBe(30080);
  });

  it('creates a service account', async () => {
    const r = await kubectl('create', 'serviceaccount', 'robot');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe('serviceaccount/robot created');
  });
});
