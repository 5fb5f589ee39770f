// kubectl 1.32 reads discovery, version and OpenAPI from a real Wharf apiserver.
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

describe('kubectl discovery', () => {
  it('version reports a 1.32 server without a skew warning', async () => {
    const r = await kubectl('version', '-o', 'json');
    expect(r.code, r.stderr).toBe(0);
    const v = JSON.parse(r.stdout) as { serverVersion: { major: string; minor: string } };
    expect(v.serverVersion.major).toBe('1');
    expect(v.serverVersion.minor).toBe('32');
    expect(r.stderr).not.toContain('version difference');
  });

  it('api-resources lists every served kind with short names and groups', async () => {
    const r = await kubectl('api-resources');
    expect(r.code, r.stderr).toBe(0);
    const rows = tableRows(r.stdout);
    expect(rows[0]).toEqual(['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND']);
    const byName = new Map(rows.slice(1).map((row) => [`${row[0]}/${row.at(-1)}`, row]));
    expect(byName.get('pods/Pod')).toEqual(['pods', 'po', 'v1', 'true', 'Pod']);
    expect(byName.get('deployments/Deployment')).toEqual(['deployments', 'deploy', 'apps/v1', 'true', 'Deployment']);
    expect(byName.get('horizontalpodautoscalers/HorizontalPodAutoscaler')).toEqual(['horizontalpodautoscalers', 'hpa', 'autoscaling/v2', 'true', 'HorizontalPodAutoscaler']);
    expect(byName.get('namespaces/Namespace')).toEqual(['namespaces', 'ns', 'v1', 'false', 'Namespace']);
    expect(byName.get('leases/Lease')).toEqual(['leases', 'coordination.k8s.io/v1', 'true', 'Lease']);
    expect(byName.get('pods/PodMetrics')).toEqual(['pods', 'metrics.k8s.io/v1beta1', 'true', 'PodMetrics']);
  });

  it('api-resources --categories all names what `get all` shows', async () => {
    const r = await kubectl('api-resources', '--categories', 'all', '-o', 'name');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n').sort()).toEqual(['deployments.apps', 'horizontalpodautoscalers.autoscaling', 'pods', 'replicasets.apps', 'services']);
  });

  it('explain reads the OpenAPI v3 schemas', async () => {
    const r = await kubectl('explain', 'pods.spec.containers');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('KIND:       Pod');
    expect(r.stdout).toContain('FIELD: containers <[]Container>');
    expect(r.stdout).toMatch(/image\s+<string>/);
    expect(r.stdout).toMatch(/ports\s+<\[\]ContainerPort>/);
    const deploy = await kubectl('explain', 'deployment.spec.strategy.rollingUpdate.maxSurge');
    expect(deploy.code, deploy.stderr).toBe(0);
    expect(deploy.stdout).toContain('GROUP:      apps');
    expect(deploy.stdout).toContain('FIELD: maxSurge <IntOrString>');
  });
});
