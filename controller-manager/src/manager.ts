// The manager: campaigns for leadership, then starts the shared informers,
// waits for their caches, and runs every enabled controller until leadership
// ends or stop() is called (SIGTERM). Losing leadership stops the controllers
// and the process campaigns again with fresh caches.
import http from 'node:http';
import { setMaxListeners } from 'node:events';
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { createLogger, isAlreadyExists, type Logger } from '@wharf/api';
import {
  ApiEventRecorder,
  InformerFactory,
  LeaderElector,
  loadKubeconfig,
  R,
  RestClient,
  sleep,
  type ApiClient,
  type RestConfig,
} from '@wharf/client';
import { DEFAULT_CONTROLLER_OPTIONS, type Controller, type ControllerContext, type ControllerOptions } from './context.js';
import { CONTROLLERS, selectControllers } from './registry.js';

export interface ControllerManagerOptions {
  /** An API client to use; otherwise one is built from restConfig or the kubeconfig. */
  client?: ApiClient;
  restConfig?: RestConfig;
  kubeconfig?: string;
  leaderElect?: boolean;
  leaseNamespace?: string;
  leaseName?: string;
  identity?: string;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  /** --controllers: `*`, names, `-name`. */
  controllers?: string[];
  /** host:port for /metrics, /healthz, /readyz; port 0 picks one. */
  metricsListen?: string;
  log?: Logger;
  controllerOptions?: Partial<ControllerOptions>;
}

/** Lifecycle: `campaigning` → `running` (leading, controllers up) → `stopped`. */
export type ManagerState = 'campaigning' | 'running' | 'stopped';

export interface ControllerManagerHandle {
  stop(): Promise<void>;
  isLeader(): boolean;
  state(): ManagerState;
  /** The running controllers while leading (tests and metrics read their queues). */
  controllers(): Controller[];
  metricsAddress(): string | undefined;
  identity: string;
  /** Resolves when the manager has fully stopped. */
  done: Promise<void>;
}

export async function startControllerManager(options: ControllerManagerOptions = {}): Promise<ControllerManagerHandle> {
  const log = options.log ?? createLogger('controller-manager');
  const client = options.client ?? new RestClient(options.restConfig ?? loadKubeconfig({ kubeconfig: options.kubeconfig }));
  const copts: ControllerOptions = { ...DEFAULT_CONTROLLER_OPTIONS, ...(options.controllerOptions ?? {}) };
  const names = selectControllers(options.controllers ?? ['*']);
  const identity = options.identity ?? `${hostname()}_${randomUUID()}`;
  const stopAll = new AbortController();
  setMaxListeners(200, stopAll.signal);
  let state: ManagerState = 'campaigning';
  let running: Controller[] = [];
  let elector: LeaderElector | undefined;
  const recorders: ApiEventRecorder[] = [];

  /** Runs the controllers until `signal` aborts. */
  const lead = async (signal: AbortSignal) => {
    // Every informer and controller listens for the same stop signal.
    setMaxListeners(200, signal);
    const informers = new InformerFactory(client, {}, log.child({ part: 'informers' }));
    const ctx: ControllerContext = {
      client,
      informers,
      log,
      options: copts,
      recorder: (component) => {
        const r = new ApiEventRecorder(client, component, log.child({ part: 'events' }), hostname());
        recorders.push(r);
        return r;
      },
    };
    running = names.map((n) => CONTROLLERS[n]!(ctx));
    informers.start(signal);
    state = 'running';
    log.info('controllers starting', { controllers: names, identity });
    const results = await Promise.allSettled(running.map((c) => c.run(signal)));
    for (const [i, r] of results.entries()) if (r.status === 'rejected') log.error('controller exited with an error', { controller: running[i]?.name, err: r.reason });
    await informers.stopped();
    running = [];
  };

  const loop = async () => {
    if (options.leaderElect === false) {
      await lead(stopAll.signal);
      return;
    }
    const leaseNamespace = options.leaseNamespace ?? 'kube-system';
    await client.create(R.namespaces, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: leaseNamespace } }).catch((err) => {
      if (!isAlreadyExists(err)) log.debug('could not ensure lease namespace', { err });
    });
    while (!stopAll.signal.aborted) {
      state = 'campaigning';
      let leading: Promise<void> | undefined;
      elector = new LeaderElector({
        client,
        namespace: leaseNamespace,
        name: options.leaseName ?? 'kube-controller-manager',
        identity,
        log,
        ...(options.leaseDurationMs !== undefined ? { leaseDurationMs: options.leaseDurationMs } : {}),
        ...(options.renewDeadlineMs !== undefined ? { renewDeadlineMs: options.renewDeadlineMs } : {}),
        ...(options.retryPeriodMs !== undefined ? { retryPeriodMs: options.retryPeriodMs } : {}),
        onStartedLeading: (signal) => {
          leading = lead(signal);
        },
      });
      // Controllers stop before the lease is released, so two leaders never overlap.
      const electorDone = elector.run(stopAll.signal);
      await electorDone;
      await leading;
      if (!stopAll.signal.aborted) {
        log.warn('leadership lost, campaigning again');
        await sleep(1000, stopAll.signal);
      }
    }
  };

  const metrics = options.metricsListen ? await serveMetrics(options.metricsListen, () => ({ state, leader: elector?.isLeader() ?? options.leaderElect === false, controllers: running })) : undefined;
  const done = loop()
    .catch((err) => log.error('controller manager failed', { err }))
    .finally(async () => {
      state = 'stopped';
      await Promise.all(recorders.map((r) => r.flush()));
      metrics?.close();
      if (!options.client && client instanceof RestClient) client.close();
    });

  return {
    identity,
    done,
    async stop() {
      stopAll.abort();
      await done;
    },
    isLeader: () => (options.leaderElect === false ? state === 'running' : (elector?.isLeader() ?? false)),
    state: () => state,
    controllers: () => running,
    metricsAddress: () => {
      const a = metrics?.address();
      return a && typeof a === 'object' ? `${a.address}:${a.port}` : undefined;
    },
  };
}

async function serveMetrics(listen: string, snapshot: () => { state: ManagerState; leader: boolean; controllers: Controller[] }): Promise<http.Server> {
  const i = listen.lastIndexOf(':');
  const host = i > 0 ? listen.slice(0, i) : '127.0.0.1';
  const port = Number(i >= 0 ? listen.slice(i + 1) : listen);
  const server = http.createServer((req, res) => {
    const s = snapshot();
    if (req.url === '/healthz' || req.url === '/livez') {
      res.end('ok');
      return;
    }
    if (req.url === '/readyz') {
      res.statusCode = s.state === 'stopped' ? 503 : 200;
      res.end(s.state === 'stopped' ? 'stopped' : 'ok');
      return;
    }
    if (req.url === '/metrics') {
      const lines = ['# TYPE leader_election_master_status gauge', `leader_election_master_status{name="kube-controller-manager"} ${s.leader ? 1 : 0}`, '# TYPE workqueue_depth gauge', '# TYPE workqueue_adds_total counter'];
      for (const c of s.controllers) {
        const q = (c as { queue?: { length: number; adds: number } }).queue;
        if (!q) continue;
        lines.push(`workqueue_depth{name="${c.name}"} ${q.length}`, `workqueue_adds_total{name="${c.name}"} ${q.adds}`);
        const stats = (c as { stats?: Record<string, number> }).stats;
        if (stats) for (const [k, v] of Object.entries(stats)) lines.push(`scheduler_${k}_total ${v}`);
      }
      res.setHeader('Content-Type', 'text/plain; version=0.0.4');
      res.end(`${lines.join('\n')}\n`);
      return;
    }
    res.statusCode = 404;
    res.end('not found');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  return server;
}
