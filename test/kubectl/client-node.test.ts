// The official TypeScript client (@kubernetes/client-node) against a real Wharf
// apiserver: typed CRUD, selectors, a raw watch, and an informer that keeps its
// cache in sync across an apiserver restart.
import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, type ApiServerProcess } from '../harness/apiserver.js';

let api: ApiServerProcess;
/** The first process owns the data directory; restarts reuse it. */
let first: ApiServerProcess | undefined;
let kc: k8s.KubeConfig;
let core: k8s.CoreV1Api;
let apps: k8s.AppsV1Api;

beforeAll(async () => {
  api = await startApiServer();
  first = api;
  kc = new k8s.KubeConfig();
  kc.loadFromFile(api.kubeconfig);
  core = kc.makeApiClient(k8s.CoreV1Api);
  apps = kc.makeApiClient(k8s.AppsV1Api);
});
afterAll(async () => {
  await api?.cleanup();
  if (first !== api) await first?.cleanup();
});

/** Polls `check` until it holds; the informer and watch deliver asynchronously. */
async function eventually(check: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const configMap = (name: string, labels: Record<string, string>, data: Record<string, string> = { a: '1' }): k8s.V1ConfigMap => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, labels },
  data,
});

describe('@kubernetes/client-node', () => {
  it('creates, reads, replaces, patches and deletes typed objects', async () => {
    const created = await core.createNamespacedConfigMap({ namespace: 'default', body: configMap('crud', { app: 'x' }) });
    expect(created.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
    const read = await core.readNamespacedConfigMap({ name: 'crud', namespace: 'default' });
    expect(read.data).toEqual({ a: '1' });
    read.data = { a: '2' };
    const replaced = await core.replaceNamespacedConfigMap({ name: 'crud', namespace: 'default', body: read });
    expect(replaced.data).toEqual({ a: '2' });
    expect(Number(replaced.metadata?.resourceVersion)).toBeGreaterThan(Number(created.metadata?.resourceVersion));

    const patched = await core.patchNamespacedConfigMap(
      { name: 'crud', namespace: 'default', body: { data: { b: '3' } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    expect(patched.data).toEqual({ a: '2', b: '3' });

    const deployment: k8s.V1Deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } },
      },
    };
    const d = await apps.createNamespacedDeployment({ namespace: 'default', body: deployment });
    expect(d.spec?.replicas).toBe(2);
    const scale = await apps.readNamespacedDeploymentScale({ name: 'web', namespace: 'default' });
    expect(scale.spec?.replicas).toBe(2);

    await core.deleteNamespacedConfigMap({ name: 'crud', namespace: 'default' });
    await expect(core.readNamespacedConfigMap({ name: 'crud', namespace: 'default' })).rejects.toMatchObject({ code: 404 });
  });

  it('lists with label and field selectors', async () => {
    for (const [name, tier] of [['sel-a', 'front'], ['sel-b', 'back'], ['sel-c', 'front']] as const) {
      await core.createNamespacedConfigMap({ namespace: 'default', body: configMap(name, { suite: 'sel', tier }) });
    }
    const front = await core.listNamespacedConfigMap({ namespace: 'default', labelSelector: 'suite=sel,tier=front' });
    expect(front.items.map((i) => i.metadata?.name).sort()).toEqual(['sel-a', 'sel-c']);
    const notFront = await core.listNamespacedConfigMap({ namespace: 'default', labelSelector: 'suite=sel,tier!=front' });
    expect(notFront.items.map((i) => i.metadata?.name)).toEqual(['sel-b']);
    const byName = await core.listNamespacedConfigMap({ namespace: 'default', fieldSelector: 'metadata.name=sel-b' });
    expect(byName.items.map((i) => i.metadata?.name)).toEqual(['sel-b']);
    expect(Number(front.metadata?.resourceVersion)).toBeGreaterThan(0);
  });

  it('watches from a resourceVersion', async () => {
    const list = await core.listNamespacedConfigMap({ namespace: 'default' });
    const events: Array<[string, string]> = [];
    const watch = new k8s.Watch(kc);
    const controller = await watch.watch(
      '/api/v1/namespaces/default/configmaps',
      { resourceVersion: list.metadata?.resourceVersion, labelSelector: 'suite=watch' },
      (type, obj: k8s.V1ConfigMap) => events.push([type, obj.metadata?.name ?? '']),
      () => undefined,
    );
    try {
      await core.createNamespacedConfigMap({ namespace: 'default', body: configMap('w1', { suite: 'watch' }) });
      await core.patchNamespacedConfigMap({ name: 'w1', namespace: 'default', body: { data: { a: '9' } } }, k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch));
      await core.deleteNamespacedConfigMap({ name: 'w1', namespace: 'default' });
      await eventually(() => events.length >= 3, 'three watch events');
      expect(events).toEqual([
        ['ADDED', 'w1'],
        ['MODIFIED', 'w1'],
        ['DELETED', 'w1'],
      ]);
    } finally {
      controller.abort();
    }
  });

  it('keeps an informer in sync across an apiserver restart', async () => {
    const namespace = 'informed';
    await core.createNamespace({ body: { metadata: { name: namespace } } });
    await core.createNamespacedConfigMap({ namespace, body: configMap('before', {}) });

    const informer = k8s.makeInformer(kc, `/api/v1/namespaces/${namespace}/configmaps`, () => core.listNamespacedConfigMap({ namespace }));
    let stopped = false;
    // The documented client-node pattern: an informer stops on a broken watch and is started again.
    informer.on('error', () => {
      if (!stopped) setTimeout(() => void informer.start().catch(() => undefined), 200);
    });
    const names = () => informer.list(namespace).map((o) => o.metadata?.name).sort();
    await informer.start();
    try {
      await eventually(() => names().join() === 'before', 'the initial list');
      await core.createNamespacedConfigMap({ namespace, body: configMap('live', {}) });
      await eventually(() => names().join() === 'before,live', 'a watched ADDED');

      await api.stop();
      api = await api.restart();
      // Written while (or right after) the informer was disconnected.
      await core.createNamespacedConfigMap({ namespace, body: configMap('after-restart', {}) });
      await core.deleteNamespacedConfigMap({ name: 'before', namespace });
      await eventually(() => names().join() === 'after-restart,live', 'the cache to catch up after the restart');
      expect(informer.get('live', namespace)?.data).toEqual({ a: '1' });
    } finally {
      stopped = true;
      await informer.stop();
    }
  });
});
