// `wharf agent` joins a second machine as a node: host A runs `wharf server`
// (control plane + its own node), host B runs `wharf agent` pointed at A's
// apiserver over the veth between them. Driven with the real kubectl from
// inside host A. Cross-node pod traffic is out of scope: nothing routes one
// node's pod bridge to the other's yet.
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBusyboxImage, ImageStore } from '@wharf/runtime';
import { WHARF } from '../harness/apiserver.js';
import { startHosts, type Host, type HostProcess, type Hosts, type RunResult } from './hosts.js';

const KUBECTL = '/usr/lib/google-cloud-sdk/bin/kubectl.1.32';
const BUSYBOX = 'busybox:1.36';

interface NodeJson {
  metadata: { name: string };
  spec?: { podCIDR?: string };
  status?: { conditions?: Array<{ type: string; status: string }> };
}
interface PodJson {
  metadata: { name: string; uid: string };
  spec: { nodeName?: string };
  status: { phase?: string; podIP?: string; containerStatuses?: Array<{ containerID?: string; restartCount: number; state?: { running?: unknown } }> };
}

function ipToInt(ip: string): number {
  return ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
}

function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/') as [string, string];
  const size = 2 ** (32 - Number(bits));
  const start = Math.floor(ipToInt(base) / size) * size;
  return ipToInt(ip) >= start && ipToInt(ip) < start + size;
}

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: on-b
spec:
  replicas: 1
  selector:
    matchLabels: { app: on-b }
  template:
    metadata:
      labels: { app: on-b }
    spec:
      nodeSelector:
        kubernetes.io/hostname: host-b
      terminationGracePeriodSeconds: 1
      # Tolerate the unreachable node for good: the pod must survive the agent's
      # outage because the restarted agent adopts it, not because the eviction
      # timer happened not to fire yet.
      tolerations:
      - { key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute }
      - { key: node.kubernetes.io/not-ready, operator: Exists, effect: NoExecute }
      containers:
      - name: main
        image: ${BUSYBOX}
        imagePullPolicy: Never
        command: ['sh', '-c', 'echo hello-from-host-b; while true; do sleep 1; done']
`;

describe('wharf agent joins a second machine', () => {
  let hosts: Hosts;
  let a: Host;
  let b: Host;
  let server: HostProcess;
  let agent: HostProcess;
  let kubeconfig: string;
  let home: string;

  const kubectl = (args: string[], input?: string): Promise<RunResult> =>
    input === undefined
      ? a.run([KUBECTL, '--kubeconfig', kubeconfig, ...args], { env: { HOME: home } })
      : a.run(['sh', '-c', `printf '%s' "$0" | ${KUBECTL} --kubeconfig ${kubeconfig} "$@"`, input, ...args], { env: { HOME: home } });

  /** Polls kubectl until `done` holds for its JSON output; fails with the last answer and the component logs. */
  async function until<T>(args: string[], done: (v: T) => boolean, what: string, timeoutMs = 30_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    for (;;) {
      const r = await kubectl([...args, '-o', 'json']);
      last = `${r.stdout}${r.stderr}`;
      if (r.code === 0) {
        const v = JSON.parse(r.stdout) as T;
        if (done(v)) return v;
      }
      if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms. Last answer:\n${last.slice(-2000)}\nagent log tail:\n${agent?.log().slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  const ready = (n: NodeJson): string => n.status?.conditions?.find((c) => c.type === 'Ready')?.status ?? '';

  const startAgent = (): Promise<HostProcess> =>
    b.start('agent', [
      process.execPath, WHARF, 'agent',
      '--server', `https://${a.ip}:6443`,
      '--token-file', join(a.dataDir, 'admin.token'),
      '--ca-file', join(a.dataDir, 'pki/ca.crt'),
      '--proxy-token-file', join(a.dataDir, 'node-proxy.token'),
      '--data-dir', b.dataDir,
      '--state-dir', b.stateDir,
      '--node-name', 'host-b',
      '--node-ip', b.ip,
      '--agent-listen', `${b.ip}:10250`,
    ]);

  beforeAll(async () => {
    hosts = await startHosts(['host-a', 'host-b']);
    [a, b] = hosts.hosts as [Host, Host];
    home = join(hosts.dir, 'home');
    mkdirSync(home);
    kubeconfig = join(a.dataDir, 'kubeconfig');
    // Each machine has its own image store; pods use what is there (imagePullPolicy: Never).
    for (const h of [a, b]) await buildBusyboxImage(await ImageStore.open(join(h.dataDir, 'images')), BUSYBOX);
    // 10.99.0.1 exists before the server starts, so its serving certificate covers it.
    // The server's own agent must listen where host-a advertises itself (its
    // InternalIP defaults to the first non-loopback address, 10.99.0.1): with the
    // default 127.0.0.1:10250 the apiserver's logs/exec proxy for host-a's pods
    // dials 10.99.0.1:10250 and is refused.
    server = await a.start('server', [process.execPath, WHARF, 'server', '--data-dir', a.dataDir, '--state-dir', a.stateDir, '--listen', `${a.ip}:6443`, '--node-name', 'host-a', '--agent-listen', `${a.ip}:10250`]);
    await until<{ items: NodeJson[] }>(['get', 'nodes'], (l) => l.items.some((n) => n.metadata.name === 'host-a' && ready(n) === 'True'), 'host-a Ready');
    agent = await startAgent();
  }, 60_000);

  afterAll(async () => {
    if (process.env['WHARF_MULTINODE_LOGS'] === '1') process.stderr.write(`server:\n${server?.log()}\nagent:\n${agent?.log()}\n`);
    await hosts?.cleanup();
  }, 30_000);

  let podCidrB = '';
  let pod: PodJson;

  it('registers host-b, Ready, with its own podCIDR from node IPAM', async () => {
    const list = await until<{ items: NodeJson[] }>(['get', 'nodes'], (l) => l.items.length === 2 && l.items.every((n) => ready(n) === 'True'), 'both nodes Ready');
    const nodeA = list.items.find((n) => n.metadata.name === 'host-a')!;
    const nodeB = list.items.find((n) => n.metadata.name === 'host-b')!;
    expect(nodeB).toBeDefined();
    podCidrB = nodeB.spec?.podCIDR ?? '';
    expect(podCidrB).toMatch(/^\d+\.\d+\.\d+\.\d+\/\d+$/);
    expect(podCidrB).not.toBe(nodeA.spec?.podCIDR);
    expect(inCidr(podCidrB.split('/')[0]!, nodeA.spec!.podCIDR!)).toBe(false);
    // The apiserver reaches the agent on the address it advertised.
    const wide = await kubectl(['get', 'node', 'host-b', '-o', 'jsonpath={.status.addresses[?(@.type=="InternalIP")].address}']);
    expect(wide.stdout).toBe(b.ip);
  }, 40_000);

  it('runs a pod pinned to host-b with an IP from its podCIDR', async () => {
    const applied = await kubectl(['apply', '-f', '-'], DEPLOYMENT);
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    const pods = await until<{ items: PodJson[] }>(['get', 'pods', '-l', 'app=on-b'], (l) => l.items.length === 1 && l.items[0]!.status.phase === 'Running' && !!l.items[0]!.status.podIP, 'pod Running on host-b');
    pod = pods.items[0]!;
    expect(pod.spec.nodeName).toBe('host-b');
    expect(inCidr(pod.status.podIP!, podCidrB)).toBe(true);
  }, 40_000);

  it('serves logs and exec of that pod through the apiserver on host-a', async () => {
    let out: RunResult = { code: -1, stdout: '', stderr: '' };
    for (let i = 0; i < 20 && !out.stdout.includes('hello-from-host-b'); i++) {
      out = await kubectl(['logs', pod.metadata.name]);
      if (!out.stdout.includes('hello-from-host-b')) await new Promise((r) => setTimeout(r, 250));
    }
    expect(out.stderr).toBe('');
    expect(out.stdout).toContain('hello-from-host-b');
    const exec = await kubectl(['exec', pod.metadata.name, '--', 'sh', '-c', 'echo exec-on-$(hostname); ip -4 addr show eth0']);
    expect(exec.stderr).toBe('');
    expect(exec.code).toBe(0);
    expect(exec.stdout).toContain(`exec-on-${pod.metadata.name}`);
    expect(exec.stdout).toContain(pod.status.podIP!);
  }, 30_000);

  it('marks host-b not Ready when its agent is SIGKILLed, and Ready again after a restart with the pod kept', async () => {
    agent.kill('SIGKILL');
    await agent.exited;
    // The node lifecycle controller's grace is 15 s; leave it room to notice.
    const lost = await until<NodeJson>(['get', 'node', 'host-b'], (n) => ready(n) !== 'True', 'host-b NotReady/Unknown', 40_000);
    expect(['False', 'Unknown']).toContain(ready(lost));

    agent = await startAgent();
    await until<NodeJson>(['get', 'node', 'host-b'], (n) => ready(n) === 'True', 'host-b Ready again', 30_000);
    const pods = await until<{ items: PodJson[] }>(['get', 'pods', '-l', 'app=on-b'], (l) => l.items.length === 1 && l.items[0]!.status.phase === 'Running', 'pod Running after the restart');
    const after = pods.items[0]!;
    expect(after.metadata.uid).toBe(pod.metadata.uid);
    expect(after.status.podIP).toBe(pod.status.podIP);
    expect(after.status.containerStatuses?.[0]?.containerID).toBe(pod.status.containerStatuses?.[0]?.containerID);
    expect(after.status.containerStatuses?.[0]?.restartCount).toBe(0);
    // One sandbox on host-b: the restarted agent adopted the pod rather than starting another.
    expect(readdirSync(join(b.stateDir, 'sandboxes'))).toHaveLength(1);
    const exec = await kubectl(['exec', after.metadata.name, '--', 'sh', '-c', 'echo still-here']);
    expect(exec.stdout.trim()).toBe('still-here');
    const node = await until<NodeJson & { spec?: { taints?: Array<{ key: string }> } }>(['get', 'node', 'host-b'], (n) => !(n.spec?.taints ?? []).some((t) => t.key === 'node.kubernetes.io/unreachable'), 'unreachable taint lifted');
    expect(ready(node)).toBe('True');
  }, 90_000);

  it('stops the agent cleanly on SIGTERM and picks the pod up again', async () => {
    agent.kill('SIGTERM');
    expect(await agent.exited).toBe(0);
    agent = await startAgent();
    // The node was down too briefly to turn NotReady, so Ready says nothing about
    // the new agent: retry exec until it answers (connection refused until then).
    let exec: RunResult = { code: -1, stdout: '', stderr: '' };
    for (let i = 0; i < 40 && exec.code !== 0; i++) {
      exec = await kubectl(['exec', pod.metadata.name, '--', 'sh', '-c', 'echo after-sigterm']);
      if (exec.code !== 0) await new Promise((r) => setTimeout(r, 250));
    }
    expect(exec.stderr).toBe('');
    expect(exec.stdout.trim()).toBe('after-sigterm');
    const after = await until<PodJson>(['get', 'pod', pod.metadata.name], (p) => p.status.phase === 'Running', 'pod Running');
    expect(after.metadata.uid).toBe(pod.metadata.uid);
    expect(after.status.containerStatuses?.[0]?.containerID).toBe(pod.status.containerStatuses?.[0]?.containerID);
    expect(readdirSync(join(b.stateDir, 'sandboxes'))).toHaveLength(1);
  }, 40_000);

  it('reports host-b\'s usage in metrics.k8s.io, scraped from its agent by the apiserver', async () => {
    let top: RunResult = { code: -1, stdout: '', stderr: '' };
    for (let i = 0; i < 60 && !/^host-b\s+\d+m/m.test(top.stdout); i++) {
      top = await kubectl(['top', 'node', 'host-b', '--no-headers']);
      if (!/^host-b\s+\d+m/m.test(top.stdout)) await new Promise((r) => setTimeout(r, 500));
    }
    expect(top.stdout).toMatch(/^host-b\s+\d+m\s+\d+%\s+\d+Mi\s+\d+%/m);
  }, 40_000);

  it('serves logs of a pod on host-a, the server\'s own node', async () => {
    const run = await kubectl(['run', 'on-a', `--image=${BUSYBOX}`, '--image-pull-policy=Never', '--overrides={"spec":{"nodeSelector":{"kubernetes.io/hostname":"host-a"}}}', '--', 'sh', '-c', 'echo hello-from-host-a; sleep 3600']);
    expect(run.code).toBe(0);
    const p = await until<PodJson>(['get', 'pod', 'on-a'], (x) => x.status.phase === 'Running', 'pod on host-a Running');
    expect(p.spec.nodeName).toBe('host-a');
    let out: RunResult = { code: -1, stdout: '', stderr: '' };
    for (let i = 0; i < 20 && !out.stdout.includes('hello-from-host-a'); i++) {
      out = await kubectl(['logs', 'on-a']);
      if (!out.stdout.includes('hello-from-host-a')) await new Promise((r) => setTimeout(r, 250));
    }
    expect(out.stderr).toBe('');
    expect(out.stdout).toContain('hello-from-host-a');
  }, 40_000);
});
