// Small helpers shared by the node-agent end-to-end tests.
import { BUSYBOX, waitFor, type NodeCluster } from '../harness/node-cluster.js';

export function pod(name: string, spec: Record<string, unknown>, meta: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', ...meta },
    spec: { nodeName: 'node-1', terminationGracePeriodSeconds: 5, ...spec },
  };
}

export function busybox(name: string, script: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { name, image: BUSYBOX, imagePullPolicy: 'IfNotPresent', command: ['sh', '-c', script], ...extra };
}

export async function create(c: NodeCluster, obj: Record<string, unknown>, plural = 'pods'): Promise<any> {
  const r = await c.request('POST', `/api/v1/namespaces/default/${plural}`, obj);
  if (r.status !== 201) throw new Error(`create ${plural}: ${r.status} ${r.text}`);
  return r.json();
}

export async function getPod(c: NodeCluster, name: string): Promise<any> {
  const r = await c.request('GET', `/api/v1/namespaces/default/pods/${name}`);
  return r.status === 200 ? r.json() : undefined;
}

export function waitPod(c: NodeCluster, name: string, pred: (p: any) => boolean, what: string, timeoutMs = 60_000): Promise<any> {
  return waitFor(
    `${name}: ${what}`,
    async () => {
      const p = await getPod(c, name);
      return p && pred(p) ? p : undefined;
    },
    timeoutMs,
    200,
  );
}

export function containerStatus(p: any, name: string): any {
  return p.status?.containerStatuses?.find((s: any) => s.name === name);
}

export function condition(p: any, type: string): string | undefined {
  return p.status?.conditions?.find((c: any) => c.type === type)?.status;
}

export async function logs(c: NodeCluster, name: string, query = ''): Promise<string> {
  const r = await c.agentGet(`/pods/default/${name}/log${query}`);
  return r.text;
}
