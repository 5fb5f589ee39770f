// The example application's manifests: `wharf apply -f examples/microservices`
// is accepted, and every stored object equals what `kubectl apply
// --server-side` stores from the same files on a second, identical apiserver.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, startApiServer, type ApiServerProcess } from '../harness/apiserver.js';
import { kubectlFor, type Kubectl } from '../kubectl/kubectl.js';
import { wharfFor, type Wharf } from './wharf.js';

let forWharf: ApiServerProcess;
let forKubectl: ApiServerProcess;
let wharf: Wharf;
let kubectl: Kubectl;

beforeAll(async () => {
  [forWharf, forKubectl] = await Promise.all([startApiServer(), startApiServer()]);
  wharf = wharfFor(forWharf);
  kubectl = kubectlFor(forKubectl);
});
afterAll(async () => {
  await Promise.all([forWharf?.cleanup(), forKubectl?.cleanup()]);
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type J = Record<string, any>;

/** Drops what two servers assign independently (ids, times, allocated IPs and ports). */
function comparable(o: J): J {
  const c = structuredClone(o);
  for (const k of ['uid', 'resourceVersion', 'creationTimestamp', 'managedFields']) delete c.metadata[k];
  delete c.status;
  if (c.spec?.clusterIP) {
    delete c.spec.clusterIP;
    delete c.spec.clusterIPs;
    for (const p of c.spec.ports ?? []) delete p.nodePort;
  }
  return c;
}

async function everything(get: (...args: string[]) => Promise<{ stdout: string }>): Promise<Map<string, J>> {
  const out = new Map<string, J>();
  for (const type of ['namespaces', 'configmaps', 'secrets', 'deployments', 'services', 'horizontalpodautoscalers']) {
    const list = JSON.parse((await get('get', type, '-n', 'shop', '-o', 'json')).stdout) as { items: J[] };
    for (const item of list.items) {
      if (type === 'namespaces' && item.metadata.name !== 'shop') continue;
      if (type === 'configmaps' && item.metadata.name === 'kube-root-ca.crt') continue;
      out.set(`${item.kind}/${item.metadata.name}`, comparable(item));
    }
  }
  return out;
}

describe('examples/microservices', () => {
  it('applies with wharf and stores the same objects as kubectl apply --server-side', async () => {
    const dir = join(REPO, 'examples/microservices');
    const w = await wharf('apply', '-f', dir);
    expect(w.code, w.stderr).toBe(0);
    expect(w.stdout).toMatch(/^namespace\/shop created\n/);
    expect(w.stdout).not.toMatch(/unchanged|configured/);
    const k = await kubectl('apply', '--server-side', '-f', dir);
    expect(k.code, k.stderr).toBe(0);
    // The same objects, in the same order.
    expect(w.stdout.replaceAll(' created', '')).toBe(k.stdout.replaceAll(' serverside-applied', ''));
    const mine = await everything(wharf);
    const theirs = await everything((...args) => kubectlFor(forKubectl)(...args));
    expect([...mine.keys()].sort()).toEqual([...theirs.keys()].sort());
    expect(mine.size).toBeGreaterThanOrEqual(8);
    for (const [key, obj] of mine) expect(obj, key).toEqual(theirs.get(key));
  });

  it('a second apply changes nothing; the v2 rollout manifest configures the api Deployment the same way', async () => {
    const again = await wharf('apply', '-f', join(REPO, 'examples/microservices'));
    expect(again.stdout).not.toMatch(/created|configured/);
    const v2 = join(REPO, 'examples/microservices/v2');
    const w = await wharf('apply', '-f', v2);
    expect(w.code, w.stderr).toBe(0);
    expect(w.stdout).toMatch(/^deployment\.apps\/\S+ configured\n$/);
    expect((await kubectl('apply', '--server-side', '-f', v2)).code).toBe(0);
    const name = w.stdout.split(' ')[0]!;
    const mine = comparable(JSON.parse((await wharf('get', name, '-n', 'shop', '-o', 'json')).stdout) as J);
    const theirs = comparable(JSON.parse((await kubectl('get', name, '-n', 'shop', '-o', 'json')).stdout) as J);
    expect(mine).toEqual(theirs);
  });
});
