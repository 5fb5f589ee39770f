// `wharf agent --server URL --token T`: joins this machine to a cluster as a
// node — the runtime and a node agent, talking to a remote apiserver. The
// node's pod network comes from the cluster: the Node is registered first,
// node IPAM assigns spec.podCIDR, and the runtime starts with it.
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { findResource, isAlreadyExists, createLogger, type KubeObject } from '@wharf/api';
import { defaultRestConfig, RestClient } from '@wharf/client';
import { flagHelp, parseFlags, FlagError, type FlagSpec } from '../flags.js';
import { runComponent, type Stoppable } from '../signals.js';
import { startNodeServices } from '../node-services.js';

const FLAGS: FlagSpec[] = [
  { name: 'server', type: 'string', help: 'URL of the apiserver, e.g. https://10.0.0.1:6443' },
  { name: 'token', type: 'string', help: 'bearer token for the apiserver' },
  { name: 'token-file', type: 'string', help: 'file holding the bearer token' },
  { name: 'ca-file', type: 'string', help: "the cluster CA (the server's <data-dir>/pki/ca.crt)" },
  { name: 'proxy-token-file', type: 'string', help: "the apiserver's node-proxy.token, so logs and exec reach this node" },
  { name: 'data-dir', type: 'string', default: '/var/lib/wharf', help: 'images, volumes and agent state' },
  { name: 'state-dir', type: 'string', default: '/run/wharf', help: 'volatile runtime state' },
  { name: 'node-name', type: 'string', help: 'name of this node (default: the hostname)' },
  { name: 'node-ip', type: 'string', help: 'address the apiserver reaches this node on' },
  { name: 'agent-listen', type: 'string', default: '0.0.0.0:10250', help: "the node agent's logs/exec/stats server" },
  { name: 'service-cidr', type: 'string', default: '10.96.0.0/16', help: "the cluster's Service ClusterIP range (the server's --service-cidr)" },
  { name: 'cluster-dns', type: 'string', default: '10.96.0.10', help: 'the cluster DNS address (the tenth of the service CIDR)' },
  { name: 'help', short: 'h', type: 'boolean' },
];

async function waitForPodCidr(client: RestClient, name: string): Promise<string> {
  const nodes = findResource('', 'v1', 'nodes')!;
  try {
    await client.create(nodes, undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name } });
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
  }
  for (let i = 0; ; i++) {
    const node = await client.get<KubeObject & { spec?: { podCIDR?: string } }>(nodes, undefined, name);
    if (node.spec?.podCIDR) return node.spec.podCIDR;
    if (i === 300) throw new Error(`node ${name} got no spec.podCIDR in 60 s: is the controller-manager (node IPAM) running?`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function run(args: string[]): Promise<number> {
  const { values } = parseFlags(args, FLAGS);
  if (values['help']) {
    process.stdout.write(`Usage: wharf agent --server URL (--token T | --token-file F) [flags]\n\nFlags:\n${flagHelp(FLAGS)}\n`);
    return 0;
  }
  const server = values['server'] as string | undefined;
  const token = (values['token'] as string | undefined) ?? (values['token-file'] ? readFileSync(values['token-file'] as string, 'utf8').trim() : undefined);
  if (!server || !token) throw new FlagError('--server and --token (or --token-file) are required');
  const dataDir = values['data-dir'] as string;
  const stateDir = values['state-dir'] as string;
  const nodeName = (values['node-name'] as string | undefined) ?? hostname().toLowerCase();
  const restConfig = defaultRestConfig(server, { token, ...(values['ca-file'] ? { ca: readFileSync(values['ca-file'] as string) } : {}) });
  const client = new RestClient(restConfig);
  const log = createLogger('agent', { node: nodeName });

  return runComponent(async () => {
    const parts: Stoppable[] = [];
    const podCidr = await waitForPodCidr(client, nodeName);
    log.info('pod network assigned', { podCIDR: podCidr });
    parts.push(
      ...(await startNodeServices({
        dataDir,
        stateDir,
        podCidr,
        client,
        restConfig,
        nodeName,
        listen: values['agent-listen'] as string,
        clusterDNS: [values['cluster-dns'] as string],
        serviceCIDR: values['service-cidr'] as string,
        ...(values['node-ip'] ? { nodeIP: values['node-ip'] as string } : {}),
        ...(values['proxy-token-file'] ? { proxyToken: readFileSync(values['proxy-token-file'] as string, 'utf8').trim() } : {}),
      })).map(([, part]) => part),
    );
    return {
      async stop() {
        for (const p of parts.reverse()) await p.stop().catch((err: unknown) => log.error('stop failed', { err }));
      },
    };
  });
}
