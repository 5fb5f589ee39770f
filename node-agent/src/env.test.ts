import { describe, expect, it } from 'vitest';
import type { ConfigMap, Pod, Secret, Service } from '@wharf/api';
import { buildEnv, serviceEnv } from './env.js';
import type { ObjectSource } from './object-source.js';

const objects = (cms: ConfigMap[] = [], secrets: Secret[] = [], services: Service[] = []): ObjectSource => ({
  configMap: async (_ns, name) => cms.find((c) => c.metadata.name === name),
  secret: async (_ns, name) => secrets.find((s) => s.metadata.name === name),
  services: async () => services,
});

const pod: Pod = { metadata: { name: 'p', namespace: 'ns', uid: 'u1' }, spec: { nodeName: 'n1', containers: [] } };

describe('buildEnv', () => {
  it('orders service vars, envFrom, then env; later wins; $(VAR) sees earlier entries', async () => {
    const env = await buildEnv({
      pod,
      container: {
        name: 'c',
        envFrom: [{ configMapRef: { name: 'cm' } }, { configMapRef: { name: 'missing', optional: true } }],
        env: [
          { name: 'A', value: 'env-wins' },
          { name: 'B', value: '$(A)+$(DB_SERVICE_HOST)' },
          { name: 'OPT', valueFrom: { configMapKeyRef: { name: 'cm', key: 'nope', optional: true } } },
          { name: 'UID', valueFrom: { fieldRef: { fieldPath: 'metadata.uid' } } },
          { name: 'CPU', valueFrom: { resourceFieldRef: { resource: 'limits.cpu' } } },
        ],
      },
      podIP: '10.0.0.2',
      hostIP: '192.0.2.1',
      node: { cpuMillis: 4000, memoryBytes: 1 << 30 },
      objects: objects([{ metadata: { name: 'cm' }, data: { A: 'from-cm', 'bad key': 'x' } }], [], [{ metadata: { name: 'db', namespace: 'ns' }, spec: { clusterIP: '10.96.0.9', ports: [{ port: 5432 }] } }]),
    });
    expect(env.get('A')).toBe('env-wins');
    expect(env.get('B')).toBe('env-wins+10.96.0.9');
    expect(env.has('bad key')).toBe(false);
    expect(env.has('OPT')).toBe(false);
    expect(env.get('UID')).toBe('u1');
    expect(env.get('CPU')).toBe('4');
  });

  it('fails on a missing required key', async () => {
    await expect(
      buildEnv({ pod, container: { name: 'c', env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }] }, podIP: '', hostIP: '', node: { cpuMillis: 1000, memoryBytes: 1 }, objects: objects() }),
    ).rejects.toThrow(/secret "s" not found/);
  });

  it('writes Docker-links style service variables', () => {
    const env = serviceEnv([{ metadata: { name: 'redis-master' }, spec: { clusterIP: '10.0.0.11', ports: [{ name: 'redis', port: 6379, protocol: 'TCP' }] } }]);
    expect(Object.fromEntries(env)).toEqual({
      REDIS_MASTER_SERVICE_HOST: '10.0.0.11',
      REDIS_MASTER_SERVICE_PORT: '6379',
      REDIS_MASTER_SERVICE_PORT_REDIS: '6379',
      REDIS_MASTER_PORT: 'tcp://10.0.0.11:6379',
      REDIS_MASTER_PORT_6379_TCP: 'tcp://10.0.0.11:6379',
      REDIS_MASTER_PORT_6379_TCP_PROTO: 'tcp',
      REDIS_MASTER_PORT_6379_TCP_PORT: '6379',
      REDIS_MASTER_PORT_6379_TCP_ADDR: '10.0.0.11',
    });
  });
});
