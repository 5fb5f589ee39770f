// wharf apply: server-side apply by default, client-side on request, with
// kubectl's outputs; what wharf stores equals what kubectl stores for the
// same manifest; conflicts, multi-document input, lists and parse errors.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, type ApiServerProcess } from '../harness/apiserver.js';
import { kubectlFor, type Kubectl } from '../kubectl/kubectl.js';
import { DEPLOYMENT, SERVICE, wharfFor, type Wharf } from './wharf.js';

let api: ApiServerProcess;
let wharf: Wharf;
let kubectl: Kubectl;

beforeAll(async () => {
  api = await startApiServer();
  wharf = wharfFor(api);
  kubectl = kubectlFor(api);
  for (const ns of ['by-wharf', 'by-kubectl', 'csa-wharf', 'csa-kubectl']) expect((await wharf('create', 'namespace', ns)).code).toBe(0);
});
afterAll(async () => {
  await api?.cleanup();
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type J = Record<string, any>;

/** The stored object minus what legitimately differs between two writers. */
function comparable(obj: J): J {
  const o = structuredClone(obj);
  for (const k of ['uid', 'resourceVersion', 'creationTimestamp', 'managedFields', 'namespace', 'generation']) delete o.metadata[k];
  if (o.metadata.annotations) {
    delete o.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'];
    if (Object.keys(o.metadata.annotations).length === 0) delete o.metadata.annotations;
  }
  delete o.status;
  if (o.spec?.clusterIP) {
    delete o.spec.clusterIP;
    delete o.spec.clusterIPs;
  }
  return o;
}

async function stored(ns: string, what: string): Promise<J> {
  const res = await wharf('get', what, '-n', ns, '-o', 'json');
  expect(res.code, res.stderr).toBe(0);
  return JSON.parse(res.stdout) as J;
}

const CONFIGMAP = `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  mode: production
  retries: "3"
`;

describe('wharf apply (server-side by default)', () => {
  it('creates, then reports unchanged, then configured', async () => {
    const file = wharf.file('app.yaml', [DEPLOYMENT('web'), SERVICE('web'), CONFIGMAP].join('---\n'));
    const first = await wharf('apply', '-f', file, '-n', 'by-wharf');
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toBe('deployment.apps/web created\nservice/web created\nconfigmap/settings created\n');
    const again = await wharf('apply', '-f', file, '-n', 'by-wharf');
    expect(again.stdout).toBe('deployment.apps/web unchanged\nservice/web unchanged\nconfigmap/settings unchanged\n');
    writeFileSync(file, [DEPLOYMENT('web', 3), SERVICE('web'), CONFIGMAP].join('---\n'));
    const changed = await wharf('apply', '-f', file, '-n', 'by-wharf');
    expect(changed.stdout).toBe('deployment.apps/web configured\nservice/web unchanged\nconfigmap/settings unchanged\n');
    expect((await stored('by-wharf', 'deploy/web')).spec.replicas).toBe(3);
  });

  it('records field manager "wharf" and no last-applied annotation', async () => {
    const d = await wharf('get', 'deploy', 'web', '-n', 'by-wharf', '-o', 'json', '--show-managed-fields');
    const obj = JSON.parse(d.stdout) as J;
    expect(obj.metadata.managedFields.map((m: J) => `${m.manager}/${m.operation}`)).toContain('wharf/Apply');
    expect(obj.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration']).toBeUndefined();
  });

  it('stores what kubectl apply --server-side stores for the same manifest', async () => {
    const file = wharf.file('same.yaml', [DEPLOYMENT('same'), SERVICE('same'), CONFIGMAP].join('---\n'));
    expect((await wharf('apply', '-f', file, '-n', 'by-wharf')).code).toBe(0);
    const k = await kubectl('apply', '--server-side', '-f', file, '-n', 'by-kubectl');
    expect(k.code, k.stderr).toBe(0);
    for (const what of ['deploy/same', 'svc/same', 'cm/settings']) {
      expect(comparable(await stored('by-wharf', what))).toEqual(comparable(await stored('by-kubectl', what)));
    }
  });

  it('--server-side prints serverside-applied like kubectl', async () => {
    const file = wharf.file('ssa.yaml', CONFIGMAP.replace('settings', 'ssa'));
    const w = await wharf('apply', '--server-side', '-f', file);
    const k = await kubectl('apply', '--server-side', '-f', file);
    expect(w.stdout).toBe('configmap/ssa serverside-applied\n');
    expect(w.stdout).toBe(k.stdout);
  });

  it('reports a conflict with another manager, and takes the field with --force-conflicts', async () => {
    const file = wharf.file('conflict.yaml', DEPLOYMENT('contested', 2));
    expect((await wharf('apply', '-f', file)).code).toBe(0);
    expect((await kubectl('scale', 'deploy', 'contested', '--replicas=5')).code).toBe(0);
    writeFileSync(file, DEPLOYMENT('contested', 4));
    const w = await wharf('apply', '-f', file);
    expect(w.code).toBe(1);
    expect(w.stderr).toMatch(/^error: Apply failed with 1 conflict: conflict with "kubectl[^"]*"( with subresource "scale")? using apps\/v1: \.spec\.replicas\n/);
    expect(w.stderr).toContain('--force-conflicts');
    // kubectl reports the same conflict in the same words.
    const k = await kubectl('apply', '--server-side', '--field-manager', 'wharf', '-f', file);
    expect(k.code).toBe(1);
    expect(k.stderr.split('\n')[0]).toBe(w.stderr.split('\n')[0]);
    const forced = await wharf('apply', '-f', file, '--force-conflicts');
    expect(forced.code, forced.stderr).toBe(0);
    expect((await stored('default', 'deploy/contested')).spec.replicas).toBe(4);
  });
});

describe('wharf apply --server-side=false (client-side, as kubectl)', () => {
  it('stores the same object and last-applied annotation as kubectl apply', async () => {
    const file = wharf.file('csa.yaml', [DEPLOYMENT('csa'), CONFIGMAP].join('---\n'));
    const w = await wharf('apply', '--server-side=false', '-f', file, '-n', 'csa-wharf');
    const k = await kubectl('apply', '-f', file, '-n', 'csa-kubectl');
    expect(w.stdout).toBe(k.stdout);
    const wd = await stored('csa-wharf', 'deploy/csa');
    const kd = await stored('csa-kubectl', 'deploy/csa');
    expect(comparable(wd)).toEqual(comparable(kd));
    const la = (o: J, ns: string) => {
      const text = o.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'] as string;
      expect(text.endsWith('}\n')).toBe(true);
      const parsed = JSON.parse(text) as J;
      // Both record the namespace the object went to (from -n).
      expect(parsed.metadata.namespace).toBe(ns);
      delete parsed.metadata.namespace;
      return parsed;
    };
    expect(la(wd, 'csa-wharf')).toEqual(la(kd, 'csa-kubectl'));
    // A change goes out as a three-way patch with the same result as kubectl's.
    writeFileSync(file, [DEPLOYMENT('csa', 1, 'nginx:1.27'), CONFIGMAP.replace('  retries: "3"\n', '')].join('---\n'));
    const w2 = await wharf('apply', '--server-side=false', '-f', file, '-n', 'csa-wharf');
    const k2 = await kubectl('apply', '-f', file, '-n', 'csa-kubectl');
    expect(w2.stdout).toBe('deployment.apps/csa configured\nconfigmap/settings configured\n');
    expect(w2.stdout).toBe(k2.stdout);
    expect(comparable(await stored('csa-wharf', 'deploy/csa'))).toEqual(comparable(await stored('csa-kubectl', 'deploy/csa')));
    const cm = await stored('csa-wharf', 'cm/settings');
    expect(cm.data).toEqual({ mode: 'production' });
    const w3 = await wharf('apply', '--server-side=false', '-f', file, '-n', 'csa-wharf');
    expect(w3.stdout).toBe('deployment.apps/csa unchanged\nconfigmap/settings unchanged\n');
  });
});

describe('wharf apply inputs', () => {
  it('reads stdin, JSON lists and directories (-R for subdirectories)', async () => {
    const list = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'from-list-a' } }, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'from-list-b' } }] });
    const s = await wharf.withInput(list, 'apply', '-f', '-');
    expect(s.stdout).toBe('configmap/from-list-a created\nconfigmap/from-list-b created\n');
    const dir = join(wharf.scratch, 'tree');
    mkdirSync(join(dir, 'sub'), { recursive: true });
    writeFileSync(join(dir, 'a.yaml'), CONFIGMAP.replace('settings', 'dir-a'));
    writeFileSync(join(dir, 'notes.txt'), 'not a manifest');
    writeFileSync(join(dir, 'sub', 'b.json'), JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dir-b' } }));
    expect((await wharf('apply', '-f', dir)).stdout).toBe('configmap/dir-a created\n');
    expect((await wharf('apply', '-R', '-f', dir)).stdout).toBe('configmap/dir-a unchanged\nconfigmap/dir-b created\n');
  });

  it('names the file, the document and the line of a YAML error', async () => {
    const file = wharf.file('broken.yaml', `${CONFIGMAP}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  labels: [a\n`);
    const w = await wharf('apply', '-f', file);
    expect(w.code).toBe(1);
    expect(w.stderr).toMatch(new RegExp(`^error: error parsing ${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: document 2: line \\d+: `));
    expect(w.stderr).toMatch(/line 1[234]:/);
    expect(w.stdout).toBe('');
  });

  it('refuses a manifest whose namespace contradicts -n, like kubectl', async () => {
    const file = wharf.file('ns.yaml', CONFIGMAP.replace('metadata:\n', 'metadata:\n  namespace: by-wharf\n'));
    const w = await wharf('apply', '-f', file, '-n', 'by-kubectl');
    const k = await kubectl('apply', '--server-side', '-f', file, '-n', 'by-kubectl');
    expect(w.code).toBe(1);
    expect(k.code).toBe(1);
    expect(w.stderr).toBe(k.stderr);
  });

  it('passes on server validation errors as kubectl prints them', async () => {
    const file = wharf.file('invalid.yaml', DEPLOYMENT('bad', -1));
    const w = await wharf('apply', '-f', file);
    const k = await kubectl('apply', '--server-side', '-f', file);
    expect(w.code).toBe(1);
    expect(k.code).toBe(1);
    expect(w.stderr).toBe(k.stderr);
  });
});
