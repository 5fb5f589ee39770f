// `wharf server`: the whole cluster for this machine in one process, the way
// k3s bundles its parts — apiserver on the embedded SQLite store, controller
// manager, container runtime and a node agent. Containers belong to conmon,
// so a restart of this process picks up the running containers.
import { hostname } from 'node:os';
import { join } from 'node:path';
import { connectHandlers, startApiServer } from '@wharf/apiserver';
import { parseKubeconfig, RestClient } from '@wharf/client';
import { parseDuration, startControllerManager } from '@wharf/controller-manager';
import { registerNodeProxy } from '@wharf/node-agent';
import { findResource, isAlreadyExists, createLogger } from '@wharf/api';
import { flagHelp, parseFlags, type FlagSpec } from '../flags.js';
import { runComponent, type Stoppable } from '../signals.js';
import { startNodeServices } from '../node-services.js';

const FLAGS: FlagSpec[] = [
  { name: 'data-dir', type: 'string', default: '/var/lib/wharf', help: 'state of every component (store, certificates, images, volumes)' },
  { name: 'state-dir', type: 'string', default: '/run/wharf', help: 'volatile runtime state (sockets, container records)' },
  { name: 'listen', type: 'string', default: '127.0.0.1:6443', help: 'HOST:PORT of the API server' },
  { name: 'store', type: 'string', help: 'sqlite:PATH (default <data-dir>/state.db) or etcd://host:port[,…]' },
  { name: 'no-agent', type: 'boolean', help: 'run only the control plane (no runtime, no node agent)' },
  { name: 'node-name', type: 'string', help: 'name of this node (default: the hostname)' },
  { name: 'pod-cidr', type: 'string', default: '10.244.0.0/24', help: "this node's pod network" },
  { name: 'service-cidr', type: 'string', default: '10.96.0.0/16', help: 'range for Service ClusterIPs' },
  { name: 'metrics-resolution', type: 'string', default: '5s', help: 'how often node agents are scraped for metrics.k8s.io' },
  { name: 'horizontal-pod-autoscaler-sync-period', type: 'string', default: '5s', help: 'how often each HPA is reconciled' },
  { name: 'agent-listen', type: 'string', default: '127.0.0.1:10250', help: "the node agent's logs/exec/stats server" },
  { name: 'help', short: 'h', type: 'boolean' },
];

/** The host of HOST:PORT when it names one address (not a wildcard). */
function agentHost(listen: string): string | undefined {
  const m = /^\[?([^\]]*)\]?:\d+$/.exec(listen);
  const host = m?.[1];
  return host && host !== '0.0.0.0' && host !== '::' ? host : undefined;
}

export async function run(args: string[]): Promise<number> {
  const { values } = parseFlags(args, FLAGS);
  if (values['help']) {
    process.stdout.write(`Usage: wharf server [flags]\n\nFlags:\n${flagHelp(FLAGS)}\n`);
    return 0;
  }
  const dataDir = values['data-dir'] as string;
  const stateDir = values['state-dir'] as string;
  const nodeName = (values['node-name'] as string | undefined) ?? hostname().toLowerCase();
  const podCidr = values['pod-cidr'] as string;
  const log = createLogger('server');

  return runComponent(async () => {
    const parts: Array<[string, Stoppable]> = [];
    const started = Date.now();
    const api = await startApiServer({
      listen: values['listen'] as string,
      dataDir,
      serviceCidr: values['service-cidr'] as string,
      metricsResolution: values['metrics-resolution'] as string,
      writeKubeconfig: join(dataDir, 'kubeconfig'),
      ...(values['store'] ? { store: values['store'] as string } : {}),
    });
    parts.push(['apiserver', api]);
    registerNodeProxy(connectHandlers as never, { token: api.nodeProxyToken });
    const restConfig = parseKubeconfig(api.kubeconfig, dataDir);
    const client = new RestClient(restConfig);

    const cm = await startControllerManager({ client, leaderElect: true, metricsListen: '127.0.0.1:0', controllerOptions: { hpaSyncPeriodMs: parseDuration(values['horizontal-pod-autoscaler-sync-period'] as string) } });
    parts.push(['controller-manager', cm]);

    if (!values['no-agent']) {
      // The node's pod network is fixed before the runtime starts; record it on
      // the Node so node IPAM keeps it.
      const nodes = findResource('', 'v1', 'nodes')!;
      try {
        await client.create(nodes, undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name: nodeName }, spec: { podCIDR: podCidr, podCIDRs: [podCidr] } });
      } catch (err) {
        if (!isAlreadyExists(err)) throw err;
      }
      parts.push(
        ...(await startNodeServices({
          dataDir,
          stateDir,
          podCidr,
          client,
          restConfig,
          nodeName,
          listen: values['agent-listen'] as string,
          // The apiserver reaches the agent at the node's InternalIP: advertise
          // the address the agent listens on when it is a specific one.
          ...(agentHost(values['agent-listen'] as string) ? { nodeIP: agentHost(values['agent-listen'] as string)! } : {}),
          proxyToken: api.nodeProxyToken,
          clusterDNS: [api.clusterDnsIp],
          serviceCIDR: values['service-cidr'] as string,
        })),
      );
    }
    log.info('wharf server ready', { url: api.url, kubeconfig: join(dataDir, 'kubeconfig'), node: values['no-agent'] ? undefined : nodeName, startupMs: Date.now() - started });
    return {
      async stop() {
        // Reverse order: the agent stops syncing before the API goes away.
        for (const [name, part] of parts.reverse()) {
          try {
            await part.stop();
          } catch (err) {
            log.error('stop failed', { component: name, err });
          }
        }
      },
    };
  });
}
