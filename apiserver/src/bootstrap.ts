// What every cluster has from its first start: the system namespaces and the
// `kubernetes` service on the first service address. Idempotent, so every
// apiserver start runs it.
import { isAlreadyExists, type KubeObject, findResource, type ResourceInfo } from '@wharf/api';
import type { Registry } from './registry/registry.js';
import type { WriteOptions } from './registry/context.js';

const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

export async function bootstrap(registry: Registry, kubernetesPort: number, hostIp: string): Promise<void> {
  const options: WriteOptions = { dryRun: false, fieldManager: 'wharf-apiserver', fieldValidation: 'Ignore', warnings: [], force: false };
  const info = (plural: string): ResourceInfo => findResource('', 'v1', plural)!;
  const ensure = async (ri: ResourceInfo, ns: string | undefined, obj: KubeObject) => {
    try {
      await registry.create(ri, ns, obj, options);
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
  };
  for (const name of SYSTEM_NAMESPACES) {
    await ensure(info('namespaces'), undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'kubernetes.io/metadata.name': name } } });
  }
  await registry.ctx.services.reserveDnsIp();
  // Get first: a create would try to claim the address the existing service holds.
  const existing = await registry.get(info('services'), 'default', 'kubernetes').catch(() => undefined);
  if (!existing) await ensure(info('services'), 'default', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: { type: 'ClusterIP', clusterIP: registry.ctx.services.firstIp, ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: kubernetesPort }], sessionAffinity: 'None' },
  }).catch((err: unknown) => {
    // Another apiserver sharing the store created it a moment ago.
    if (!(err instanceof Error && /already allocated/.test(err.message))) throw err;
  });
  await ensure(info('endpoints'), 'default', {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
    subsets: [{ addresses: [{ ip: hostIp }], ports: [{ name: 'https', port: kubernetesPort, protocol: 'TCP' }] }],
  });
}
