// Configuration reaching containers: env from ConfigMaps and Secrets,
// valueFrom (configMapKeyRef, secretKeyRef, fieldRef, resourceFieldRef),
// $(VAR) expansion, service env vars, and configMap/secret/downwardAPI volumes
// (with file modes, updated when the object changes).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNodeCluster, waitFor, type NodeCluster } from '../harness/node-cluster.js';
import { busybox, containerStatus, create, logs, pod, waitPod } from './helpers.js';

let c: NodeCluster;
const b64 = (s: string) => Buffer.from(s).toString('base64');

beforeAll(async () => {
  c = await startNodeCluster();
  await create(c, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app-config' }, data: { MODE: 'fast', 'greeting.txt': 'hello' } }, 'configmaps');
  await create(c, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'app-secret' }, data: { PASSWORD: b64('s3cret'), token: b64('t0k') } }, 'secrets');
  await create(c, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'backend-api' }, spec: { ports: [{ name: 'http', port: 8080 }], selector: { app: 'x' } } }, 'services');
});

afterAll(async () => {
  await c?.cleanup();
});

async function output(name: string): Promise<string> {
  return waitFor(`${name} output`, async () => {
    const text = await logs(c, name);
    return text.includes('END') ? text : undefined;
  });
}

describe('node agent: configuration', () => {
  it('builds the environment from ConfigMaps, Secrets, the downward API and services, and expands $(VAR)', async () => {
    await create(
      c,
      pod('env', {
        restartPolicy: 'Never',
        containers: [
          busybox('main', 'env | sort; echo ARGS $0; echo END', {
            args: ['$(MODE)-$(POD_NAME)'],
            command: ['sh', '-c', 'env | sort; echo ARGS "$0"; echo END'],
            envFrom: [{ configMapRef: { name: 'app-config' } }, { secretRef: { name: 'app-secret' }, prefix: 'S_' }],
            env: [
              { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
              { name: 'POD_NS', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
              { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
              { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
              { name: 'TIER', valueFrom: { fieldRef: { fieldPath: "metadata.labels['tier']" } } },
              { name: 'MEM_MI', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
              { name: 'PW', valueFrom: { secretKeyRef: { name: 'app-secret', key: 'PASSWORD' } } },
              { name: 'M', valueFrom: { configMapKeyRef: { name: 'app-config', key: 'MODE' } } },
              { name: 'COMBINED', value: '$(M)/$(PW)/$(UNDEFINED)' },
            ],
            resources: { limits: { memory: '64Mi' } },
          }),
        ],
      }, { labels: { tier: 'web' } }),
    );
    const text = await output('env');
    const env = new Map(text.split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    const p = await waitPod(c, 'env', (x) => x.status?.phase === 'Succeeded', 'Succeeded');
    expect(env.get('MODE')).toBe('fast');
    expect(env.get('S_PASSWORD')).toBe('s3cret');
    expect(env.get('S_token')).toBe('t0k');
    expect(env.get('POD_NAME')).toBe('env');
    expect(env.get('POD_NS')).toBe('default');
    expect(env.get('POD_IP')).toBe(p.status.podIP);
    expect(env.get('NODE')).toBe('node-1');
    expect(env.get('TIER')).toBe('web');
    expect(env.get('MEM_MI')).toBe('64');
    expect(env.get('PW')).toBe('s3cret');
    expect(env.get('COMBINED')).toBe('fast/s3cret/$(UNDEFINED)');
    expect(env.get('BACKEND_API_SERVICE_PORT')).toBe('8080');
    expect(env.get('BACKEND_API_SERVICE_HOST')).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(env.get('BACKEND_API_SERVICE_PORT_HTTP')).toBe('8080');
    expect(text).toContain('ARGS fast-env');
    // The memory limit reached the runtime (and so the cgroup).
    const id = containerStatus(p, 'main').containerID.replace('wharf://', '');
    const st = await c.runtime().containerStatus({ container_id: id });
    expect(st.status?.resources?.memory_limit_in_bytes).toBe(64 * 1024 * 1024);
  });

  it('a missing ConfigMap holds the container in CreateContainerConfigError', async () => {
    await create(c, pod('missing-cm', { containers: [busybox('main', 'sleep 3600', { envFrom: [{ configMapRef: { name: 'nope' } }] })] }));
    const p = await waitPod(c, 'missing-cm', (x) => containerStatus(x, 'main')?.state?.waiting?.reason === 'CreateContainerConfigError', 'config error');
    expect(containerStatus(p, 'main').state.waiting.message).toContain('nope');
    expect(p.status.phase).toBe('Pending');
  });

  it('mounts configMap, secret and downwardAPI volumes with modes, and updates them when the object changes', async () => {
    await create(
      c,
      pod('vols', {
        volumes: [
          { name: 'cfg', configMap: { name: 'app-config' } },
          { name: 'sec', secret: { secretName: 'app-secret', defaultMode: 0o400 } },
          { name: 'info', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }, { path: 'name', fieldRef: { fieldPath: 'metadata.name' } }] } },
          { name: 'mem', emptyDir: { medium: 'Memory' } },
        ],
        containers: [
          busybox('main', 'sleep 3600', {
            volumeMounts: [
              { name: 'cfg', mountPath: '/etc/cfg' },
              { name: 'sec', mountPath: '/etc/sec', readOnly: true },
              { name: 'info', mountPath: '/etc/info' },
              { name: 'mem', mountPath: '/scratch' },
            ],
          }),
        ],
      }, { labels: { app: 'vols' } }),
    );
    const p = await waitPod(c, 'vols', (x) => x.status?.phase === 'Running', 'Running');
    const rt = c.runtime();
    const id = containerStatus(p, 'main').containerID.replace('wharf://', '');
    const sh = async (cmd: string) => (await rt.execSync({ container_id: id, cmd: ['sh', '-c', cmd], timeout: 5 })).stdout.toString();
    expect(await sh('cat /etc/cfg/greeting.txt')).toBe('hello');
    expect(await sh('cat /etc/sec/PASSWORD')).toBe('s3cret');
    expect((await sh('stat -L -c %a /etc/sec/PASSWORD')).trim()).toBe('400');
    expect(await sh('cat /etc/info/name')).toBe('vols');
    expect(await sh('cat /etc/info/labels')).toBe('app="vols"');
    expect(await sh('grep " /scratch " /proc/mounts | cut -d" " -f3')).toBe('tmpfs\n');
    const r = await c.request('PATCH', '/api/v1/namespaces/default/configmaps/app-config', { data: { 'greeting.txt': 'changed' } }, { 'content-type': 'application/merge-patch+json' });
    expect(r.status).toBe(200);
    const updated = await waitFor('configMap volume update', async () => ((await sh('cat /etc/cfg/greeting.txt')) === 'changed' ? 'yes' : undefined));
    expect(updated).toBe('yes');
  });
});
