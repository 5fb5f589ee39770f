// wharf get against a real apiserver, side by side with kubectl 1.32 on the
// same objects: same columns, same names, same YAML/JSON, same messages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, type ApiServerProcess } from '../harness/apiserver.js';
import { kubectlFor, tableRows, type Kubectl } from '../kubectl/kubectl.js';
import { DEPLOYMENT, POD, SERVICE, eventually, wharfFor, type Wharf } from './wharf.js';

let api: ApiServerProcess;
let wharf: Wharf;
let kubectl: Kubectl;

beforeAll(async () => {
  api = await startApiServer();
  wharf = wharfFor(api);
  kubectl = kubectlFor(api);
  const manifest = [DEPLOYMENT('web'), SERVICE('web'), POD('solo', 'app: solo\n    tier: backend')].join('---\n');
  const res = await wharf.withInput(manifest, 'apply', '-f', '-');
  expect(res.code, res.stderr).toBe(0);
});
afterAll(async () => {
  await api?.cleanup();
});

/** Header and the NAME-like leading cells: AGE differs between two runs a second apart. */
function shape(output: string, cols = 1): string[][] {
  const rows = tableRows(output);
  return [rows[0]!, ...rows.slice(1).map((r) => r.slice(0, cols))];
}

describe('wharf get (tables)', () => {
  it.each([
    [['get', 'pods']],
    [['get', 'pods', '-o', 'wide']],
    [['get', 'pods', '--show-labels']],
    [['get', 'deploy,svc']],
    [['get', 'all']],
    [['get', 'svc', '-A']],
    [['get', 'ns']],
    [['get', 'pod/solo']],
    [['get', 'pods', '-l', 'tier=backend']],
    [['get', 'pods', '--field-selector', 'metadata.name=solo']],
    [['get', 'pods', '-A', '--sort-by=.metadata.name']],
    [['get', 'pods', '-L', 'app', '-L', 'tier']],
    [['get', 'svc', '-A', '--sort-by={.spec.clusterIP}']],
  ])('%j has kubectl’s columns and rows', async (args) => {
    const w = await wharf(...args);
    const k = await kubectl(...args);
    expect(w.code).toBe(0);
    expect(k.code).toBe(0);
    expect(shape(w.stdout, 2)).toEqual(shape(k.stdout, 2));
    expect(w.stdout.split('\n').length).toBe(k.stdout.split('\n').length);
  });

  it('prints the same status cells as kubectl for a pod (READY, STATUS, RESTARTS)', async () => {
    const w = tableRows((await wharf('get', 'pod', 'solo')).stdout);
    const k = tableRows((await kubectl('get', 'pod', 'solo')).stdout);
    expect(w[1]!.slice(0, 4)).toEqual(k[1]!.slice(0, 4));
  });

  it('--show-labels adds the labels sorted, as kubectl does', async () => {
    const w = tableRows((await wharf('get', 'pod', 'solo', '--show-labels')).stdout);
    expect(w[0]!.at(-1)).toBe('LABELS');
    expect(w[1]!.at(-1)).toBe('app=solo,tier=backend');
  });

  it('says where nothing was found, on stderr, with exit 0', async () => {
    const w = await wharf('get', 'pods', '-n', 'empty');
    const k = await kubectl('get', 'pods', '-n', 'empty');
    expect(w.code).toBe(0);
    expect(w.stdout).toBe('');
    expect(w.stderr).toBe(k.stderr);
    expect(w.stderr).toBe('No resources found in empty namespace.\n');
  });
});

describe('wharf get (object formats)', () => {
  it.each([
    [['get', 'deploy', 'web', '-o', 'yaml']],
    [['get', 'svc', '-o', 'json']],
    [['get', 'pods', '-o', 'yaml']],
    [['get', 'deploy,svc', '-o', 'name']],
    [['get', 'pods', '-o', 'jsonpath={.items[*].metadata.name}']],
    [['get', 'pod', 'solo', '-o', 'jsonpath={.metadata.labels.tier}']],
    [['get', 'pods', '-o', 'jsonpath={range .items[*]}{.metadata.name}{"\\t"}{.spec.containers[0].image}{"\\n"}{end}']],
    [['get', 'svc', 'web', '-o', 'jsonpath={.spec.ports[?(@.port==80)].targetPort}']],
    [['get', 'pods', '-o', 'custom-columns=NAME:.metadata.name,IMAGE:.spec.containers[0].image,IP:.status.podIP']],
    [['get', 'svc', '-o', 'custom-columns=N:metadata.name,PORTS:.spec.ports[*].port']],
  ])('%j prints exactly what kubectl prints', async (args) => {
    const w = await wharf(...args);
    const k = await kubectl(...args);
    expect(w.code, w.stderr).toBe(0);
    expect(w.stdout).toBe(k.stdout);
  });
});

describe('wharf get errors', () => {
  it('a missing object: kubectl’s NotFound line, exit 1', async () => {
    const w = await wharf('get', 'pod', 'nope');
    const k = await kubectl('get', 'pod', 'nope');
    expect(w.code).toBe(1);
    expect(w.stderr).toBe('Error from server (NotFound): pods "nope" not found\n');
    expect(w.stderr).toBe(k.stderr);
  });

  it('--raw prints the body as the server sent it, and its errors as kubectl does', async () => {
    for (const path of ['/version', '/api/v1/namespaces/default/pods/solo', '/nope']) {
      const w = await wharf('get', '--raw', path);
      const k = await kubectl('get', '--raw', path);
      expect(w.code).toBe(k.code);
      expect(w.stdout).toBe(k.stdout);
      expect(w.stderr).toBe(k.stderr);
    }
  });

  it('an unknown type: kubectl’s message, exit 1', async () => {
    const w = await wharf('get', 'foo');
    expect(w.code).toBe(1);
    expect(w.stderr).toBe('error: the server doesn\'t have a resource type "foo"\n');
    expect(w.stderr).toBe((await kubectl('get', 'foo')).stderr);
  });

  it('empty answers in object formats print what kubectl prints, with nothing on stderr', async () => {
    for (const args of [['get', 'pods', '-n', 'empty', '-o', 'name'], ['get', 'pods', '-n', 'empty', '-o', 'yaml'], ['get', 'pods', '-n', 'empty', '-o', 'jsonpath={.items}']]) {
      const w = await wharf(...args);
      const k = await kubectl(...args);
      expect(w.stdout).toBe(k.stdout);
      expect(w.stderr).toBe(k.stderr);
    }
  });

  it('names are prefixed with their type only when the answers span several types', async () => {
    const w = await wharf('get', 'pods,svc', 'web');
    const k = await kubectl('get', 'pods,svc', 'web');
    expect(w.stdout).toBe(k.stdout.replace(/\d+[smhd]\n/, w.stdout.match(/\d+[smhd]\n/)?.[0] ?? ''));
    expect(tableRows(w.stdout)[1]![0]).toBe('web');
    expect(w.stderr).toBe(k.stderr);
  });

  it('without a type: kubectl’s message, exit 1', async () => {
    const w = await wharf('get');
    expect(w.code).toBe(1);
    expect(w.stderr).toBe((await kubectl('get')).stderr.replaceAll('kubectl', 'wharf'));
  });

  it('prints the objects it found and the errors for the rest', async () => {
    const w = await wharf('get', 'pod', 'solo', 'nope');
    expect(w.code).toBe(1);
    expect(tableRows(w.stdout).map((r) => r[0])).toEqual(['NAME', 'solo']);
    expect(w.stderr).toContain('pods "nope" not found');
  });
});

describe('wharf get -w', () => {
  it('prints the current rows, then a row per change', async () => {
    const watch = wharf.spawn('get', 'pods', '-w');
    try {
      await eventually(() => watch.output().includes('solo'), 'initial rows');
      expect(watch.output().split('\n')[0]).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
      const res = await wharf.withInput(POD('watched'), 'apply', '-f', '-');
      expect(res.code).toBe(0);
      await eventually(() => /\nwatched\s+0\/1\s+Pending/.test(watch.output()), 'the new pod in the watch');
      await wharf('label', 'pod', 'watched', 'seen=yes');
      await eventually(() => watch.output().split('\n').filter((l) => l.startsWith('watched')).length >= 2, 'a second row for the label change');
    } finally {
      watch.proc.kill('SIGINT');
      await watch.exited;
    }
  });
});
