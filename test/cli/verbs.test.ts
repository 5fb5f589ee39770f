// The write and inspection verbs against a real apiserver, compared with
// kubectl 1.32 where both print the same thing.
import { execFile } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, WHARF, type ApiServerProcess } from '../harness/apiserver.js';
import { kubectlFor, tableRows, type Kubectl } from '../kubectl/kubectl.js';
import { DEPLOYMENT, POD, SERVICE, eventually, wharfFor, type Wharf } from './wharf.js';

let api: ApiServerProcess;
let wharf: Wharf;
let kubectl: Kubectl;

beforeAll(async () => {
  api = await startApiServer();
  wharf = wharfFor(api);
  kubectl = kubectlFor(api);
  const res = await wharf.withInput([DEPLOYMENT('web'), SERVICE('web'), POD('solo')].join('---\n'), 'apply', '-f', '-');
  expect(res.code, res.stderr).toBe(0);
});
afterAll(async () => {
  await api?.cleanup();
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type J = Record<string, any>;
const json = async (...args: string[]): Promise<J> => JSON.parse((await wharf(...args, '-o', 'json')).stdout) as J;

describe('create', () => {
  it('namespace, configmap, secret generic and deployment print kubectl’s lines', async () => {
    expect((await wharf('create', 'namespace', 'shop')).stdout).toBe('namespace/shop created\n');
    expect((await wharf('create', 'configmap', 'cfg', '--from-literal=a=1', '--from-literal=b=two', '-n', 'shop')).stdout).toBe('configmap/cfg created\n');
    expect((await wharf('create', 'secret', 'generic', 'pw', '--from-literal=password=s3cret', '-n', 'shop')).stdout).toBe('secret/pw created\n');
    expect((await wharf('create', 'deployment', 'api', '--image=nginx:1.25', '--replicas=2', '-n', 'shop')).stdout).toBe('deployment.apps/api created\n');
    expect((await json('get', 'cm', 'cfg', '-n', 'shop')).data).toEqual({ a: '1', b: 'two' });
    expect(Buffer.from((await json('get', 'secret', 'pw', '-n', 'shop')).data.password, 'base64').toString()).toBe('s3cret');
  });

  it('generates the same deployment as kubectl create deployment', async () => {
    const w = await wharf('create', 'deployment', 'gen', '--image=registry.local/team/app:2', '--replicas=3', '--port=8080', '--dry-run=client', '-o', 'json');
    const k = await kubectl('create', 'deployment', 'gen', '--image=registry.local/team/app:2', '--replicas=3', '--port=8080', '--dry-run=client', '-o', 'json');
    const strip = (o: J) => {
      delete o.metadata.creationTimestamp;
      delete o.spec.template.metadata.creationTimestamp;
      delete o.metadata.namespace;
      return o;
    };
    expect(strip(JSON.parse(w.stdout) as J)).toEqual(strip(JSON.parse(k.stdout) as J));
  });

  it('run and expose generate what kubectl run/expose generate, and create it', async () => {
    const strip = (o: J) => {
      delete o.metadata.creationTimestamp;
      delete o.metadata.namespace;
      delete o.status;
      return o;
    };
    const runArgs = ['run', 'load', '--image=busybox', '--restart=Never', '--labels=a=b', '--env=X=1', '--port=80', '--dry-run=client', '-o', 'json', '--', 'sh', '-c', 'echo hi'];
    expect(strip(JSON.parse((await wharf(...runArgs)).stdout) as J)).toEqual(strip(JSON.parse((await kubectl(...runArgs)).stdout) as J));
    const exposeArgs = ['expose', 'deploy', 'web', '--port=8080', '--target-port=80', '--type=NodePort', '--name=web-np', '--dry-run=client', '-o', 'json'];
    expect(strip(JSON.parse((await wharf(...exposeArgs)).stdout) as J)).toEqual(strip(JSON.parse((await kubectl(...exposeArgs)).stdout) as J));
    expect((await wharf('run', 'once', '--image=busybox', '--restart=Never', '--', 'true')).stdout).toBe('pod/once created\n');
    expect((await json('get', 'pod', 'once')).spec.containers[0].args).toEqual(['true']);
    expect((await wharf('expose', 'deploy/web', '--port=8080', '--target-port=80', '--type=NodePort', '--name=web-np')).stdout).toBe('service/web-np exposed\n');
    const svc = await json('get', 'svc', 'web-np');
    expect(svc.spec.selector).toEqual({ app: 'web' });
    expect(svc.spec.ports[0]).toMatchObject({ port: 8080, targetPort: 80, protocol: 'TCP' });
    expect(svc.spec.ports[0].nodePort).toBeGreaterThan(0);
  });

  it('create -f of an existing object: kubectl’s AlreadyExists line, exit 1', async () => {
    const file = wharf.file('svc.yaml', SERVICE('web'));
    const w = await wharf('create', '-f', file);
    const k = await kubectl('create', '-f', file);
    expect(w.code).toBe(1);
    expect(w.stderr).toBe(k.stderr);
    expect(w.stderr).toBe(`Error from server (AlreadyExists): error when creating "${file}": services "web" already exists\n`);
  });
});

describe('label, annotate, scale, patch', () => {
  it('label and annotate set, refuse to overwrite, overwrite and remove like kubectl', async () => {
    expect((await wharf('label', 'pod', 'solo', 'tier=front')).stdout).toBe('pod/solo labeled\n');
    const refused = await wharf('label', 'pod', 'solo', 'tier=back');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe((await kubectl('label', 'pod', 'solo', 'tier=back')).stderr);
    expect((await wharf('label', 'pod', 'solo', 'tier=back', '--overwrite')).stdout).toBe('pod/solo labeled\n');
    expect((await json('get', 'pod', 'solo')).metadata.labels.tier).toBe('back');
    expect((await wharf('label', 'pod/solo', 'tier-')).stdout).toBe('pod/solo unlabeled\n'.replace('unlabeled', 'labeled'));
    expect((await json('get', 'pod', 'solo')).metadata.labels.tier).toBeUndefined();
    expect((await wharf('annotate', 'deploy', 'web', 'owner=team-a')).stdout).toBe('deployment.apps/web annotated\n');
    expect((await json('get', 'deploy', 'web')).metadata.annotations.owner).toBe('team-a');
  });

  it('scale patches the scale subresource', async () => {
    const w = await wharf('scale', 'deploy/web', '--replicas=4');
    expect(w.stdout).toBe((await kubectl('scale', 'deploy/web', '--replicas=4')).stdout);
    expect((await json('get', 'deploy', 'web')).spec.replicas).toBe(4);
    const pre = await wharf('scale', 'deploy', 'web', '--replicas=2', '--current-replicas=3');
    expect(pre.code).toBe(1);
    expect(pre.stderr).toContain('Expected replicas to be 3, was 4');
  });

  it('patch with strategic, merge and json patches; no-op reported as kubectl does', async () => {
    const s = await wharf('patch', 'deploy', 'web', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx:1.27"}]}}}}');
    expect(s.stdout).toBe('deployment.apps/web patched\n');
    const d = await json('get', 'deploy', 'web');
    expect(d.spec.template.spec.containers).toHaveLength(1);
    expect(d.spec.template.spec.containers[0].image).toBe('nginx:1.27');
    expect(d.spec.template.spec.containers[0].ports).toEqual([{ containerPort: 80, protocol: 'TCP' }]);
    const again = await wharf('patch', 'deploy', 'web', '-p', '{"spec":{"replicas":2}}');
    const k = await kubectl('patch', 'deploy', 'web', '-p', '{"spec":{"replicas":2}}');
    expect(again.stdout).toBe('deployment.apps/web patched\n');
    expect(k.stdout).toBe('deployment.apps/web patched (no change)\n');
    expect((await wharf('patch', 'deploy', 'web', '-p', '{"spec":{"replicas":2}}')).stdout).toBe(k.stdout);
    expect((await wharf('patch', 'deploy', 'web', '--type', 'merge', '-p', 'metadata: {labels: {via: merge}}')).code).toBe(0);
    expect((await wharf('patch', 'deploy', 'web', '--type=json', '-p', '[{"op":"add","path":"/metadata/labels/via2","value":"json"}]')).code).toBe(0);
    expect((await json('get', 'deploy', 'web')).metadata.labels).toMatchObject({ via: 'merge', via2: 'json' });
  });
});

describe('describe', () => {
  it.each([['pod', 'solo'], ['deployment', 'web'], ['service', 'web'], ['namespace', 'default'], ['configmap', 'kube-root-ca.crt'], ['secret', 'pw', '-n', 'shop']])(
    'describe %s %s prints what kubectl prints',
    async (...args) => {
      if (args[0] === 'configmap') {
        const made = await wharf('create', 'configmap', 'kube-root-ca.crt', '--from-literal=ca.crt=dummy');
        expect([0, 1]).toContain(made.code);
      }
      const w = await wharf('describe', ...args);
      const k = await kubectl('describe', ...args);
      expect(w.code, w.stderr).toBe(0);
      expect(w.stdout).toBe(k.stdout);
    },
  );

  it('describes endpoints and service accounts the way kubectl does', async () => {
    expect((await wharf.withInput('{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"robot"}}', 'create', '-f', '-')).code).toBe(0);
    for (const args of [['endpoints', 'kubernetes'], ['serviceaccount', 'robot']]) {
      const w = await wharf('describe', ...args);
      expect(w.code, w.stderr).toBe(0);
      expect(w.stdout).toBe((await kubectl('describe', ...args)).stdout);
    }
  });

  it('describes the HPA that autoscale creates the way kubectl does', async () => {
    expect((await wharf('autoscale', 'deploy', 'web', '--min=1', '--max=5', '--cpu-percent=60')).stdout).toBe('horizontalpodautoscaler.autoscaling/web autoscaled\n');
    const hpa = await json('get', 'hpa', 'web');
    expect(hpa.spec).toMatchObject({ minReplicas: 1, maxReplicas: 5, scaleTargetRef: { kind: 'Deployment', name: 'web', apiVersion: 'apps/v1' } });
    const w = await wharf('describe', 'hpa', 'web');
    expect(w.stdout).toBe((await kubectl('describe', 'hpa', 'web')).stdout);
  });

  it('lists events of the object by involvedObject', async () => {
    const pod = await json('get', 'pod', 'solo');
    const event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'solo.1', namespace: 'default' },
      involvedObject: { kind: 'Pod', name: 'solo', namespace: 'default', uid: pod.metadata.uid, apiVersion: 'v1' },
      reason: 'Scheduled',
      message: 'Successfully assigned default/solo to node-1',
      type: 'Normal',
      source: { component: 'default-scheduler' },
      firstTimestamp: new Date().toISOString().replace(/\.\d+Z/, 'Z'),
      lastTimestamp: new Date().toISOString().replace(/\.\d+Z/, 'Z'),
      count: 1,
    };
    expect((await wharf.withInput(JSON.stringify(event), 'create', '-f', '-')).code).toBe(0);
    const w = await wharf('describe', 'pod', 'solo');
    const lines = w.stdout.trimEnd().split('\n').slice(-4);
    expect(lines[0]).toBe('Events:');
    expect(lines[1]!.trim().split(/\s+/)).toEqual(['Type', 'Reason', 'Age', 'From', 'Message']);
    expect(lines[3]).toMatch(/^ {2}Normal {2}Scheduled {2}\d+s\s+default-scheduler {2}Successfully assigned default\/solo to node-1$/);
    // Ages tick between the two runs: retry until both agree, still demanding byte equality.
    let k = await kubectl('describe', 'pod', 'solo');
    let again = w;
    for (let i = 0; i < 3 && again.stdout !== k.stdout; i++) {
      again = await wharf('describe', 'pod', 'solo');
      k = await kubectl('describe', 'pod', 'solo');
    }
    expect(again.stdout).toBe(k.stdout);
  });

  it('a missing object gives kubectl’s NotFound', async () => {
    const w = await wharf('describe', 'pod', 'ghost');
    expect(w.code).toBe(1);
    expect(w.stderr).toBe('Error from server (NotFound): pods "ghost" not found\n');
  });
});

describe('delete and wait', () => {
  it('deletes by type/name and by -l, printing kubectl’s lines, and waits until gone', async () => {
    await wharf.withInput([POD('d1', 'app: doomed'), POD('d2', 'app: doomed')].join('---\n'), 'apply', '-f', '-');
    const w = await wharf('delete', 'pod', 'd1');
    expect(w.stdout).toBe('pod "d1" deleted\n');
    expect((await wharf('get', 'pod', 'd1')).code).toBe(1);
    const byLabel = await wharf('delete', 'pods', '-l', 'app=doomed');
    expect(byLabel.stdout).toBe('pod "d2" deleted\n');
    const none = await wharf('delete', 'pods', '-l', 'app=doomed');
    expect(none.stdout).toBe((await kubectl('delete', 'pods', '-l', 'app=doomed')).stdout);
  });

  it('delete -f removes what the manifest names; missing objects are NotFound unless --ignore-not-found', async () => {
    const file = wharf.file('gone.yaml', SERVICE('gone'));
    await wharf('apply', '-f', file);
    // No garbage collector runs beside this apiserver: foreground/orphan would wait for one forever.
    expect((await wharf('delete', '-f', file, '--cascade=background', '--grace-period=0')).stdout).toBe('service "gone" deleted\n');
    const again = await wharf('delete', '-f', file);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe((await kubectl('delete', '-f', file)).stderr);
    expect((await wharf('delete', '-f', file, '--ignore-not-found')).code).toBe(0);
  });

  it('delete --wait blocks while a finalizer holds the object, and returns once it is removed', async () => {
    await wharf('create', 'configmap', 'held');
    await wharf('patch', 'cm', 'held', '--type=merge', '-p', '{"metadata":{"finalizers":["example.com/hold"]}}');
    const del = wharf.spawn('delete', 'cm', 'held');
    const waiter = wharf.spawn('wait', '--for=delete', 'cm/held', '--timeout=60s');
    await eventually(async () => (await json('get', 'cm', 'held')).metadata.deletionTimestamp !== undefined, 'the delete to reach the server');
    // The finalizer holds the object, so both commands are still waiting.
    expect(del.proc.exitCode).toBeNull();
    expect(waiter.proc.exitCode).toBeNull();
    await wharf('patch', 'cm', 'held', '--type=merge', '-p', '{"metadata":{"finalizers":null}}');
    expect(await del.exited).toBe(0);
    expect(del.output()).toBe('configmap "held" deleted\n');
    expect(await waiter.exited).toBe(0);
    expect(waiter.output()).toBe('configmap/held condition met\n');
  });

  it('wait --for=condition and --for=jsonpath end when the status says so; a timeout is exit 1', async () => {
    const timeout = await wharf('wait', '--for=condition=Available', 'deploy/web', '--timeout=1s');
    expect(timeout.code).toBe(1);
    expect(timeout.stderr).toBe('error: timed out waiting for the condition on deployments/web\n');
    const waiter = wharf.spawn('wait', '--for=condition=Available', 'deploy/web', '--timeout=60s');
    const status = { status: { observedGeneration: 1, conditions: [{ type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'ok', lastUpdateTime: '2026-01-01T00:00:00Z', lastTransitionTime: '2026-01-01T00:00:00Z' }] } };
    const res = await api.request('PATCH', '/apis/apps/v1/namespaces/default/deployments/web/status', status, { 'content-type': 'application/merge-patch+json' });
    expect(res.status).toBe(200);
    expect(await waiter.exited).toBe(0);
    expect(waiter.output()).toBe('deployment.apps/web condition met\n');
    const jp = await wharf('wait', '--for=jsonpath={.spec.replicas}=2', 'deploy/web', '--timeout=5s');
    expect(jp.stdout).toBe('deployment.apps/web condition met\n');
  });
});

describe('version, api-resources, cluster-info', () => {
  it('version prints client and server versions', async () => {
    const w = await wharf('version');
    expect(w.code).toBe(0);
    const server = JSON.parse((await api.request('GET', '/version')).text) as J;
    expect(w.stdout).toMatch(new RegExp(`^Client Version: v\\S+\\nServer Version: ${server.gitVersion}\\n$`));
    const j = JSON.parse((await wharf('version', '-o', 'json')).stdout) as J;
    expect(j.serverVersion.gitVersion).toBe(server.gitVersion);
  });

  it('api-resources is byte-equal to kubectl’s', async () => {
    for (const args of [[], ['--namespaced=false'], ['--api-group=apps'], ['-o', 'name']]) {
      const w = await wharf('api-resources', ...args);
      expect(w.stdout).toBe((await kubectl('api-resources', ...args)).stdout);
    }
  });

  it('colours only on a terminal: cluster-info and errors under a pseudo-terminal', async () => {
    const onTty = (args: string) =>
      new Promise<string>((resolve) => {
        const cmd = `${process.execPath} ${WHARF} ${args} --kubeconfig ${api.kubeconfig}`;
        execFile('script', ['-qec', cmd, '/dev/null'], { timeout: 60_000, env: { ...process.env, HOME: wharf.scratch, NO_COLOR: '' } }, (_err, stdout) => resolve(String(stdout))).stdin!.end();
      });
    expect(await onTty('cluster-info')).toContain('\x1b[32mKubernetes control plane\x1b[0m');
    expect(await onTty('get foo')).toContain('\x1b[31merror:\x1b[0m the server doesn\'t have a resource type "foo"');
  });

  it('cluster-info prints the control plane like kubectl (no colour off a TTY)', async () => {
    const w = await wharf('cluster-info');
    expect(w.stdout).toBe((await kubectl('cluster-info')).stdout);
    expect(w.stdout).not.toContain('\x1b[');
  });
});

describe('global flags and kubeconfig', () => {
  it('reads $KUBECONFIG when --kubeconfig is absent, and ~/.kube/config after that', async () => {
    const viaEnv = await wharf.withEnv({ KUBECONFIG: api.kubeconfig, NO_KUBECONFIG_FLAG: '1' }, 'get', 'ns', 'default', '-o', 'name');
    expect(viaEnv.stdout).toBe('namespace/default\n');
    const none = await wharf.withEnv({ NO_KUBECONFIG_FLAG: '1' }, 'get', 'pods');
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('.kube/config');
  });

  it('--context selects a context, and an unknown one is an error', async () => {
    const ok = await wharf('get', 'ns', 'default', '-o', 'name', '--context', 'wharf');
    expect(ok.stdout).toBe('namespace/default\n');
    const bad = await wharf('get', 'pods', '--context', 'nope');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('context "nope" not found');
  });

  it('a server that refuses connections gets kubectl’s message', async () => {
    const text = readFileSync(api.kubeconfig, 'utf8').replace(/server: https:\/\/127\.0\.0\.1:\d+/, 'server: https://127.0.0.1:1');
    const kc = wharf.file('refused.kubeconfig', text);
    const w = await wharf('get', 'pods', '--kubeconfig', kc);
    const k = await kubectl('get', 'pods', '--kubeconfig', kc);
    expect(w.code).toBe(1);
    expect(w.stderr).toBe('The connection to the server 127.0.0.1:1 was refused - did you specify the right host or port?\n');
    expect(k.stderr.trim().split('\n').at(-1)).toBe(w.stderr.trim());
  });

  it('global flags may come before the verb, as with kubectl', async () => {
    const w = await wharf.withEnv({ NO_KUBECONFIG_FLAG: '1' }, '--kubeconfig', api.kubeconfig, '-n', 'shop', 'get', 'cm', 'cfg', '-o', 'name');
    expect(w.code, w.stderr).toBe(0);
    expect(w.stdout).toBe('configmap/cfg\n');
    const bad = await wharf.withEnv({ NO_KUBECONFIG_FLAG: '1' }, '-n', 'shop');
    expect(bad.code).toBe(1);
  });

  it('an unknown flag is reported with kubectl’s wording', async () => {
    const w = await wharf('get', 'pods', '--bogus');
    expect(w.code).toBe(1);
    expect(w.stderr.split('\n')[0]).toBe((await kubectl('get', 'pods', '--bogus')).stderr.split('\n')[0]);
  });
});

describe('config', () => {
  it('view, get-contexts, set-context --current --namespace, use-context, current-context', async () => {
    const kc = join(wharf.scratch, 'kubeconfig');
    copyFileSync(api.kubeconfig, kc);
    const view = await wharf('config', 'view', '--kubeconfig', kc);
    expect(view.stdout).toBe((await kubectl('config', 'view', '--kubeconfig', kc)).stdout);
    expect(view.stdout).toContain('token: REDACTED');
    expect((await wharf('config', 'get-contexts', '--kubeconfig', kc)).stdout).toBe((await kubectl('config', 'get-contexts', '--kubeconfig', kc)).stdout);
    expect((await wharf('config', 'set-context', '--current', '--namespace=shop', '--kubeconfig', kc)).stdout).toBe('Context "wharf" modified.\n');
    expect((await kubectl('config', 'view', '--kubeconfig', kc, '-o', 'jsonpath={.contexts[0].context.namespace}')).stdout).toBe('shop');
    // The context's namespace is now the default for namespaced verbs.
    expect((await wharf('get', 'cm', 'cfg', '-o', 'name', '--kubeconfig', kc)).stdout).toBe('configmap/cfg\n');
    expect((await wharf('config', 'current-context', '--kubeconfig', kc)).stdout).toBe('wharf\n');
    const bad = await wharf('config', 'use-context', 'nope', '--kubeconfig', kc);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe((await kubectl('config', 'use-context', 'nope', '--kubeconfig', kc)).stderr);
    expect((await wharf('config', 'use-context', 'wharf', '--kubeconfig', kc)).stdout).toBe('Switched to context "wharf".\n');
    expect(readFileSync(kc, 'utf8')).toContain('current-context: wharf');
  });
});

describe('edit and completion', () => {
  it('edit saves the change from $EDITOR; an invalid edit is reopened, and unchanged again means cancelled', async () => {
    const ok = await wharf.withEnv({ EDITOR: 'sed -i "s/^  replicas: .*/  replicas: 3/"' }, 'edit', 'deploy', 'web');
    expect(ok.stdout).toBe('deployment.apps/web edited\n');
    expect((await json('get', 'deploy', 'web')).spec.replicas).toBe(3);
    const bad = await wharf.withEnv({ EDITOR: 'sed -i "s/^  replicas: .*/  replicas: -1/"' }, 'edit', 'deploy', 'web');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('Edit cancelled, no valid changes were saved.');
    expect((await json('get', 'deploy', 'web')).spec.replicas).toBe(3);
    const nothing = await wharf.withEnv({ EDITOR: 'true' }, 'edit', 'deploy', 'web');
    expect(nothing.stdout).toBe('Edit cancelled, no changes made.\n');
  });

  it('completion bash|zsh prints a script bash accepts', async () => {
    const bash = await wharf('completion', 'bash');
    expect(bash.code).toBe(0);
    expect(bash.stdout).toContain('complete -o default -F _wharf wharf');
    expect((await wharf('completion', 'zsh')).stdout).toContain('#compdef wharf');
    const bad = await wharf('completion', 'fish');
    expect(bad.code).toBe(1);
  });
});
