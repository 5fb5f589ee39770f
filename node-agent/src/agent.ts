// The node agent's main loop, wired the kubelet's way: pod informer events,
// PLEG runtime events and a 1 s resync all feed one set of per-pod serial
// workers; housekeeping removes what no pod owns; the node registers itself,
// heartbeats through its Lease and reports status.
import { promises as fs } from 'node:fs';
import { createLogger, isNotFound, type ConfigMap, type EndpointSlice, type Logger, type Pod, type Secret, type Service } from '@wharf/api';
import { ApiEventRecorder, InformerFactory, loadKubeconfig, R, RestClient, SharedInformer, unwrapTombstone, type ApiClient } from '@wharf/client';
import { createRuntimeClient, type RuntimeClient } from '@wharf/proto';
import { Backoff } from './backoff.js';
import { startDnsServer, type DnsServer } from './dns/server.js';
import { HairpinSetter } from './proxy/hairpin.js';
import { Proxier } from './proxy/proxier.js';
import { ContainerStarter } from './container-start.js';
import { POD_NAME, POD_NAMESPACE } from './labels.js';
import { NodeLease } from './node-lease.js';
import { NodeStatusReporter } from './node-status.js';
import { InformerObjectSource } from './object-source.js';
import { compileOptions, type CompiledOptions, type NodeAgentOptions } from './options.js';
import { PodSyncer } from './pod-sync.js';
import { PodWorkers } from './pod-workers.js';
import { ProbeManager } from './probes.js';
import { RuntimeState } from './runtime-state.js';
import { startAgentServer, type AgentServer } from './server.js';
import { StatsProvider } from './stats.js';
import { StatusManager } from './status-manager.js';
import { Semaphore } from './util/semaphore.js';
import { VolumeManager } from './volumes.js';

export interface NodeAgent {
  readonly nodeName: string;
  readonly options: CompiledOptions;
  /** The logs/exec/stats server's TCP port (0 when it listens on a unix socket or not at all). */
  readonly port: number;
  /** Counters for tests and benchmarks. */
  metrics(): { statusWrites: number; leaseRenewals: number; relists: number; proxySyncs: number; proxyLastSyncMs: number; dnsQueries: number };
  /** Stops the loops and servers; containers keep running (a restarted agent adopts them). */
  stop(): Promise<void>;
}

interface Work {
  pod: Pod | undefined;
  removed: boolean;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((r) => {
    const onAbort = () => {
      clearTimeout(t);
      r();
    };
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      r();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });

async function loop(signal: AbortSignal, intervalMs: number, fn: () => Promise<void>, log: Logger, what: string): Promise<void> {
  while (!signal.aborted) {
    try {
      await fn();
    } catch (err) {
      if (!signal.aborted) log.warn(`${what} failed`, { err });
    }
    await sleep(intervalMs, signal);
  }
}

/** What a pod asks of its node: spec, labels and annotations (downward API), deletion, readiness-gate conditions others set. */
function desiredState(p: Pod): string {
  const m = p.metadata;
  const gates = new Set((p.spec?.readinessGates ?? []).map((g) => g.conditionType));
  const gateConditions = (p.status?.conditions ?? []).filter((c) => gates.has(c.type)).map((c) => [c.type, c.status]);
  return JSON.stringify([m.uid, m.deletionTimestamp, m.deletionGracePeriodSeconds, m.labels, m.annotations, p.spec, gateConditions]);
}

export async function startNodeAgent(raw: NodeAgentOptions = {}): Promise<NodeAgent> {
  const o = compileOptions(raw);
  const log = createLogger('node-agent', { node: o.nodeName });
  const client: ApiClient = o.client ?? new RestClient(o.restConfig ?? loadKubeconfig({ kubeconfig: o.kubeconfig }));
  const runtime: RuntimeClient = createRuntimeClient(o.runtimeEndpoint);
  await fs.mkdir(o.rootDir, { recursive: true });
  const abort = new AbortController();
  const signal = abort.signal;

  const recorder = new ApiEventRecorder(client, 'kubelet', log, o.nodeName);
  const event = (pod: Pod, type: 'Normal' | 'Warning', reason: string, message: string) =>
    recorder.event({ ...pod, apiVersion: 'v1', kind: 'Pod' }, type, reason, message);

  const factory = new InformerFactory(client, {}, log.child({ part: 'informers' }));
  const configMaps = factory.forResource<ConfigMap>(R.configmaps);
  const secrets = factory.forResource<Secret>(R.secrets);
  const services = factory.forResource<Service>(R.services);
  const slices = factory.forResource<EndpointSlice>(R.endpointslices);
  const podInformer = new SharedInformer<Pod>(client, R.pods, log.child({ part: 'pods' }), { fieldSelector: `spec.nodeName=${o.nodeName}` });
  const objects = new InformerObjectSource(client, configMaps, secrets, services);

  const state = new RuntimeState(runtime);
  const volumes = new VolumeManager(o.rootDir, o.allowedHostPaths);
  const crashBackoff = new Backoff(o.crashLoopBackoffBaseMs, o.crashLoopBackoffMaxMs);
  const pullBackoff = new Backoff(o.crashLoopBackoffBaseMs, o.crashLoopBackoffMaxMs);
  const starter = new ContainerStarter(runtime, volumes, objects, o, pullBackoff, event);
  const pods = new Map<string, Pod>();
  const enqueue = (uid: string) => {
    const pod = pods.get(uid);
    workers.update(uid, pod ? { pod, removed: false } : { pod: undefined, removed: true });
  };
  const probes = new ProbeManager(runtime, (uid) => enqueue(uid));
  const syncer = new PodSyncer({ runtime, state, probes, volumes, starter, objects, crashBackoff, options: o, log, event, hostIP: () => o.nodeIP });
  const statuses = new StatusManager(client, log);
  const terminated = new Set<string>();

  const handle = async (uid: string, work: Work): Promise<void> => {
    if (work.removed || !work.pod) {
      const rp = state.cached(uid);
      if (work.pod || (rp && (rp.sandboxes.length || rp.containers.length))) {
        log.info('cleaning up pod', { uid, pod: work.pod?.metadata.name ?? rp?.sandboxes[0]?.labels[POD_NAME], namespace: work.pod?.metadata.namespace ?? rp?.sandboxes[0]?.labels[POD_NAMESPACE] });
      }
      if (work.pod && !terminated.has(uid)) await syncer.terminate(work.pod, Math.min(work.pod.metadata.deletionGracePeriodSeconds ?? 0, 30));
      await syncer.cleanup(uid);
      statuses.forget(uid);
      lastSynced.delete(uid);
      attention.delete(uid);
      terminated.delete(uid);
      return;
    }
    const pod = work.pod;
    if (pod.metadata.deletionTimestamp) {
      if (!terminated.has(uid)) {
        const grace = pod.metadata.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
        const status = await syncer.terminate(pod, grace);
        await statuses.set(pod, status);
        terminated.add(uid);
      }
      try {
        await client.delete(R.pods, pod.metadata.namespace, pod.metadata.name!, { gracePeriodSeconds: 0, preconditions: { uid } });
      } catch (err) {
        if (!isNotFound(err) && !(err as { code?: number }).code) throw err;
        if (!isNotFound(err)) log.warn('final delete failed', { pod: pod.metadata.name, err });
      }
      return;
    }
    const deadline = pod.spec?.activeDeadlineSeconds;
    const start = pod.status?.startTime ? Date.parse(pod.status.startTime) : undefined;
    const phase = pod.status?.phase;
    if (deadline !== undefined && start !== undefined && Date.now() - start > deadline * 1000 && phase !== 'Succeeded' && phase !== 'Failed') {
      event(pod, 'Normal', 'DeadlineExceeded', 'Pod was active on the node longer than the specified deadline');
      const final = await syncer.terminate(pod, pod.spec?.terminationGracePeriodSeconds ?? 30);
      await statuses.set(pods.get(uid) ?? pod, { ...final, phase: 'Failed', reason: 'DeadlineExceeded', message: 'Pod was active on the node longer than the specified deadline' });
      return;
    }
    const status = await syncSlots.run(() => syncer.sync(pod));
    await statuses.set(pods.get(uid) ?? pod, status);
    lastSynced.set(uid, Date.now());
    // A pod whose containers all run and are ready only needs the slow resync;
    // anything starting, waiting or backing off is looked at every tick.
    const steady =
      status.phase === 'Succeeded' ||
      status.phase === 'Failed' ||
      (status.phase === 'Running' && (status.containerStatuses ?? []).every((c) => c.ready && c.state?.running));
    if (steady) attention.delete(uid);
    else attention.add(uid);
  };
  const syncSlots = new Semaphore(o.maxConcurrentSyncs);
  const lastSynced = new Map<string, number>();
  const attention = new Set<string>();
  const workers = new PodWorkers<Work>(handle, log);

  podInformer.addEventHandler({
    add: (pod) => {
      pods.set(pod.metadata.uid!, pod);
      enqueue(pod.metadata.uid!);
    },
    update: (old, pod) => {
      pods.set(pod.metadata.uid!, pod);
      // Our own status writes come back as updates: only a change to what the pod asks for needs a sync.
      if (desiredState(old) !== desiredState(pod)) enqueue(pod.metadata.uid!);
    },
    delete: (obj) => {
      const pod = unwrapTombstone(obj);
      pods.delete(pod.metadata.uid!);
      workers.update(pod.metadata.uid!, { pod, removed: true });
    },
  });

  // A changed ConfigMap or Secret re-syncs the pods of its namespace at once, so volumes follow it.
  const resyncNamespace = (obj: ConfigMap | Secret) => {
    for (const [uid, p] of pods) if (p.metadata.namespace === obj.metadata.namespace) enqueue(uid);
  };
  for (const inf of [configMaps, secrets] as Array<SharedInformer<ConfigMap | Secret>>) inf.addEventHandler({ update: (_o, n) => resyncNamespace(n) });

  const stats = new StatsProvider(runtime, o, () => [...pods.values()]);
  let server: AgentServer | undefined;
  let started = false;
  // Declared before the server starts: /metrics may be asked for while the agent is still starting.
  let lease: NodeLease | undefined;
  let proxier: Proxier | undefined;
  let dns: DnsServer | undefined;
  let relists = 0;
  let lastRelistAt = Date.now();
  function agentMetrics() {
    return {
      statusWrites: statuses.writes,
      leaseRenewals: lease?.renewals ?? 0,
      relists,
      proxySyncs: proxier?.syncs ?? 0,
      proxyLastSyncMs: proxier?.lastSyncLatencyMs ?? 0,
      dnsQueries: dns?.queries ?? 0,
    };
  }
  const metricsText = () => {
    const m = agentMetrics();
    const lines = [
      ['wharf_node_agent_pods', 'Pods bound to this node', 'gauge', pods.size],
      ['wharf_node_agent_pod_workers_active', 'Pod syncs running now', 'gauge', workers.active],
      ['wharf_node_agent_status_writes_total', 'Pod status updates written', 'counter', m.statusWrites],
      ['wharf_node_agent_lease_renewals_total', 'Node lease renewals', 'counter', m.leaseRenewals],
      ['wharf_node_agent_relists_total', 'PLEG relists of the runtime', 'counter', m.relists],
      ['wharf_node_agent_proxy_syncs_total', 'nftables rulesets applied', 'counter', m.proxySyncs],
      ['wharf_node_agent_proxy_last_sync_milliseconds', 'Change noticed → rules in place, last sync', 'gauge', m.proxyLastSyncMs],
      ['wharf_node_agent_dns_queries_total', 'Cluster DNS queries answered', 'counter', m.dnsQueries],
    ] as const;
    return lines.map(([n, h, t, v]) => `# HELP ${n} ${h}\n# TYPE ${n} ${t}\n${n} ${v}`).join('\n') + '\n';
  };
  if (o.listen) {
    server = await startAgentServer({
      options: o,
      runtime,
      state,
      stats,
      log: log.child({ part: 'server' }),
      pod: (ns, name) => podInformer.store.getByName(ns, name),
      metrics: metricsText,
      ready: () => started,
      // The PLEG's health is the age of its last relist, as in the kubelet.
      healthy: () => !started || Date.now() - lastRelistAt < 3 * 60_000,
    });
  }

  const reporter = new NodeStatusReporter(client, runtime, o, log.child({ part: 'node-status' }), () => server?.port ?? 0);
  let nodeUid: string | undefined;
  const registered = (async () => {
    for (let attempt = 0; !signal.aborted; attempt++) {
      try {
        nodeUid = (await reporter.register()).metadata.uid;
        return;
      } catch (err) {
        log.warn('node registration failed; retrying', { err });
        await sleep(Math.min(5000, 200 * 2 ** attempt), signal);
      }
    }
  })();
  await registered;
  lease = new NodeLease(client, o.nodeName, o.leaseDurationSeconds, log.child({ part: 'lease' }), () => nodeUid);
  const running: Array<Promise<void>> = [];
  running.push(lease.run(signal));
  running.push(loop(signal, o.nodeStatusIntervalMs, () => reporter.update(), log, 'node status update'));

  // Service networking comes first: the service CIDR is routed locally before any pod can send to it.
  if (o.serviceProxy) {
    proxier = new Proxier({ serviceCIDR: o.serviceCIDR, services, slices, podCIDR: () => reporter.podCIDR, bridge: o.bridge, log: log.child({ part: 'proxy' }) });
    reporter.onPodCIDR = () => proxier?.kick();
    try {
      await proxier.setupNode();
      proxier.start();
    } catch (err) {
      log.error('service proxy disabled: node network setup failed', { err });
      proxier = undefined;
    }
  }
  factory.start(signal);
  running.push(podInformer.run(signal));
  await Promise.all([podInformer.waitForSync(signal), factory.waitForCacheSync(signal)]);
  if (o.dnsListen) {
    try {
      dns = await startDnsServer({ address: o.dnsListen.host, port: o.dnsListen.port, domain: o.clusterDomain, services, slices, upstream: o.dnsUpstream, log: log.child({ part: 'dns' }) });
    } catch (err) {
      log.error('cluster DNS disabled: cannot listen', { err, address: o.dnsListen.host, port: o.dnsListen.port });
    }
  }
  started = true;
  log.info('node agent started', { runtime: o.runtimeEndpoint, port: server?.port });

  const hairpin = new HairpinSetter(o.bridge);
  let lastSandboxKey = '';
  running.push(
    loop(signal, o.relistIntervalMs, async () => {
      const { pods: live, changed } = await state.relist();
      relists++;
      lastRelistAt = Date.now();
      for (const uid of changed) enqueue(uid);
      // New sandboxes mean new bridge ports (the syncs refresh the cache, so `changed` may miss them).
      const sandboxKey = [...live.values()].flatMap((p) => p.sandboxes.filter((x) => x.state === 'SANDBOX_READY').map((x) => x.id)).sort().join(',');
      if (proxier && sandboxKey !== lastSandboxKey) {
        await hairpin.ensure();
        lastSandboxKey = sandboxKey;
      }
      // Housekeeping: runtime objects and volume dirs no pod of ours owns.
      for (const uid of live.keys()) if (!pods.has(uid) && !workers.isBusy(uid)) workers.update(uid, { pod: undefined, removed: true });
      for (const uid of await volumes.knownPods()) if (!pods.has(uid) && !live.has(uid) && !workers.isBusy(uid)) workers.update(uid, { pod: undefined, removed: true });
    }, log, 'relist'),
  );
  running.push(
    loop(signal, o.resyncIntervalMs, async () => {
      const now = Date.now();
      for (const uid of pods.keys()) {
        if (workers.isBusy(uid)) continue;
        const p = pods.get(uid);
        const deadlineDue =
          p?.spec?.activeDeadlineSeconds !== undefined &&
          p.status?.startTime !== undefined &&
          p.status.phase !== 'Failed' &&
          p.status.phase !== 'Succeeded' &&
          now - Date.parse(p.status.startTime) > p.spec.activeDeadlineSeconds * 1000;
        if (attention.has(uid) || deadlineDue || now - (lastSynced.get(uid) ?? 0) >= o.steadyResyncIntervalMs) enqueue(uid);
      }
    }, log, 'resync'),
  );

  return {
    nodeName: o.nodeName,
    options: o,
    port: server?.port ?? 0,
    metrics: agentMetrics,
    async stop() {
      abort.abort();
      await workers.stop();
      probes.stopAll();
      await server?.close();
      await dns?.close();
      await proxier?.stop();
      await Promise.allSettled(running);
      await factory.stopped();
      runtime.close();
      log.info('node agent stopped');
    },
  };
}
