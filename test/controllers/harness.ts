// A control plane for controller tests: a real apiserver process (SQLite), one
// or more real controller-manager processes, and "hollow" nodes — Node objects
// and Leases this test maintains, plus a tiny kubelet stand-in that marks bound
// pods Running (readiness chosen by the test) and confirms graceful deletions.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger, isNotFound, objectKey, type Lease, type Node, type Pod } from '@wharf/api';
import { loadKubeconfig, R, RestClient, SharedInformer } from '@wharf/client';
import { REPO, startApiServer, type ApiServerProcess } from '../harness/apiserver.js';

export interface ControllerManagerProcess {
  proc: ChildProcess;
  logs(): string;
  kill(signal?: NodeJS.Signals): Promise<number | null>;
}

export function startControllerManagerProcess(kubeconfig: string, extra: string[] = []): ControllerManagerProcess {
  const proc = spawn(process.execPath, [join(REPO, 'test/controllers/cm-main.mjs'), '--kubeconfig', kubeconfig, ...extra], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, WHARF_LOG_LEVEL: process.env['WHARF_LOG_LEVEL'] ?? 'info' },
  });
  let logs = '';
  proc.stdout!.on('data', (c: Buffer) => (logs += c.toString()));
  proc.stderr!.on('data', (c: Buffer) => (logs += c.toString()));
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  return {
    proc,
    logs: () => logs,
    async kill(signal: NodeJS.Signals = 'SIGTERM') {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      return exited;
    },
  };
}

export interface Cluster {
  api: ApiServerProcess;
  client: RestClient;
  cms: ControllerManagerProcess[];
  nodes: HollowNodes;
  startCM(extra?: string[]): ControllerManagerProcess;
  cleanup(): Promise<void>;
}

/** Fast settings so failures surface in seconds, not minutes. */
export const FAST_CM_FLAGS = ['--leader-elect-lease-duration', '4s', '--leader-elect-renew-deadline', '3s', '--leader-elect-retry-period', '500ms', '--node-monitor-period', '500ms'];

export async function startCluster(opts: { cmFlags?: string[]; startCM?: boolean; nodes?: HollowNodeOptions } = {}): Promise<Cluster> {
  const api = await startApiServer();
  const client = new RestClient({ ...loadKubeconfig({ kubeconfig: api.kubeconfig }), maxSockets: 32 });
  const nodes = new HollowNodes(client, opts.nodes ?? {});
  const cms: ControllerManagerProcess[] = [];
  const cluster: Cluster = {
    api,
    client,
    cms,
    nodes,
    startCM(extra = []) {
      const cm = startControllerManagerProcess(api.kubeconfig, [...FAST_CM_FLAGS, ...(opts.cmFlags ?? []), ...extra]);
      cms.push(cm);
      return cm;
    },
    async cleanup() {
      // WHARF_CM_LOG_DIR=/tmp/x keeps each controller-manager's logs for post-mortems.
      const dir = process.env['WHARF_CM_LOG_DIR'];
      if (dir) cms.forEach((c, i) => writeFileSync(join(dir, `cm-${process.pid}-${Date.now()}-${i}.log`), c.logs()));
      nodes.stop();
      await Promise.all(cms.map((c) => c.kill('SIGKILL')));
      client.close();
      await api.cleanup();
    },
  };
  if (opts.startCM !== false) cluster.startCM();
  return cluster;
}

export interface HollowNodeOptions {
  /** Whether a freshly started pod reports Ready (default true). */
  readyOnStart?: (pod: Pod) => boolean;
  renewEveryMs?: number;
}

export interface NodeShape {
  cpu?: string;
  memory?: string;
  pods?: string;
  labels?: Record<string, string>;
}

/** Hollow nodes and the kubelet stand-in that drives their pods' status. */
export class HollowNodes {
  readonly names = new Set<string>();
  private readonly silent = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private readonly abort = new AbortController();
  readonly pods: SharedInformer<Pod>;
  private ipCounter = 0;
  private readonly started = new Set<string>();

  constructor(
    private readonly client: RestClient,
    private readonly opts: HollowNodeOptions,
  ) {
    this.pods = new SharedInformer<Pod>(client, R.pods, createLogger('hollow-kubelet'));
    this.pods.addEventHandler({ add: (p) => this.onPod(p), update: (_o, p) => this.onPod(p) });
  }

  async add(name: string, shape: NodeShape = {}): Promise<void> {
    const now = new Date().toISOString();
    const node: Node = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name, labels: { 'kubernetes.io/hostname': name, ...(shape.labels ?? {}) } },
      spec: {},
    };
    await this.client.create(R.nodes, undefined, node);
    const status = {
      capacity: { cpu: shape.cpu ?? '4', memory: shape.memory ?? '8Gi', pods: shape.pods ?? '110' },
      allocatable: { cpu: shape.cpu ?? '4', memory: shape.memory ?? '8Gi', pods: shape.pods ?? '110' },
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'hollow node is posting ready status', lastHeartbeatTime: now, lastTransitionTime: now }],
      addresses: [{ type: 'Hostname', address: name }],
    };
    await this.client.patch(R.nodes, undefined, name, 'merge', { status }, { subresource: 'status' });
    const lease: Lease = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name, namespace: 'kube-node-lease' },
      spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime: now.replace('Z', '000Z').replace(/\.(\d{3})000Z$/, '.$1000Z') },
    };
    await this.client.create(R.leases, 'kube-node-lease', lease);
    this.names.add(name);
  }

  async addMany(prefix: string, count: number, shape: NodeShape = {}, concurrency = 16): Promise<string[]> {
    const names = Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < names.length) await this.add(names[next++]!, shape);
      }),
    );
    return names;
  }

  /** Starts lease renewal and the kubelet stand-in. */
  async start(): Promise<void> {
    const every = this.opts.renewEveryMs ?? 1000;
    this.timer = setInterval(() => void this.renew(), every);
    void this.pods.run(this.abort.signal);
    await this.pods.waitForSync();
  }

  private async renew(): Promise<void> {
    const renewTime = new Date().toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
    await Promise.all(
      [...this.names]
        .filter((n) => !this.silent.has(n))
        .map((n) => this.client.patch(R.leases, 'kube-node-lease', n, 'merge', { spec: { renewTime } }).catch(() => undefined)),
    );
  }

  /** The node stops renewing its Lease, as a dead machine would. */
  silence(name: string): void {
    this.silent.add(name);
  }

  private onPod(pod: Pod): void {
    const node = pod.spec?.nodeName;
    if (!node || !this.names.has(node) || this.silent.has(node)) return;
    const key = objectKey(pod);
    if (pod.metadata.deletionTimestamp) {
      void this.client.delete(R.pods, pod.metadata.namespace, pod.metadata.name ?? '', { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid ?? '' } }).catch(() => undefined);
      return;
    }
    if (pod.status?.phase === 'Running' || this.started.has(`${key}/${pod.metadata.uid}`)) return;
    this.started.add(`${key}/${pod.metadata.uid}`);
    const ready = this.opts.readyOnStart ? this.opts.readyOnStart(pod) : true;
    const n = ++this.ipCounter;
    const ip = `10.244.${(n >> 8) & 255}.${n & 255}`;
    void this.client
      .patch(R.pods, pod.metadata.namespace, pod.metadata.name ?? '', 'merge', { status: { phase: 'Running', podIP: ip, podIPs: [{ ip }], hostIP: '127.0.0.1', startTime: new Date().toISOString(), conditions: conditions(ready) } }, { subresource: 'status' })
      .catch((err) => {
        if (!isNotFound(err)) this.started.delete(`${key}/${pod.metadata.uid}`);
      });
  }

  /** Sets a pod's readiness, as its readiness probe would. */
  async setReady(pod: Pod, ready: boolean): Promise<void> {
    await this.client.patch(R.pods, pod.metadata.namespace, pod.metadata.name ?? '', 'merge', { status: { conditions: conditions(ready) } }, { subresource: 'status' });
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.abort.abort();
  }
}

function conditions(ready: boolean) {
  const t = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const r = ready ? 'True' : 'False';
  return [
    { type: 'PodScheduled', status: 'True', lastTransitionTime: t },
    { type: 'Initialized', status: 'True', lastTransitionTime: t },
    { type: 'ContainersReady', status: r, lastTransitionTime: t },
    { type: 'Ready', status: r, lastTransitionTime: t },
  ];
}

/** Polls until `fn` returns a truthy value (or throws after the timeout with the last value). */
export async function eventually<T>(fn: () => Promise<T> | T, timeoutMs = 60_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
      last = v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${last instanceof Error ? last.message : JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
