// `wharf apiserver`: the API server as its own process.
import { startApiServer } from '@wharf/apiserver';
import { flagHelp, parseFlags, type FlagSpec } from '../flags.js';
import { runComponent } from '../signals.js';
import { enableNodeProxy } from './apiserver-proxy.js';

const FLAGS: FlagSpec[] = [
  { name: 'store', type: 'string', help: 'sqlite:PATH (default <data-dir>/state.db) or etcd://host:port[,host:port…]' },
  { name: 'listen', type: 'string', default: '127.0.0.1:6443', help: 'HOST:PORT to serve HTTPS on (port 0 picks one)' },
  { name: 'data-dir', type: 'string', default: '/var/lib/wharf', help: 'certificates, tokens and the embedded store' },
  { name: 'service-cidr', type: 'string', default: '10.96.0.0/16', help: 'range for Service ClusterIPs' },
  { name: 'service-node-port-range', type: 'string', default: '30000-32767', help: 'range for NodePorts' },
  { name: 'write-kubeconfig', type: 'string', help: 'write an admin kubeconfig to PATH' },
  { name: 'tls-san', type: 'strings', help: 'extra names or addresses for the serving certificate' },
  { name: 'metrics-resolution', type: 'string', default: '5s', help: 'how often node agents are scraped for metrics.k8s.io' },
  { name: 'watch-cache-events', type: 'number', default: 10000, help: 'events kept per resource so watches can resume' },
  { name: 'help', short: 'h', type: 'boolean' },
];

export async function run(args: string[]): Promise<number> {
  const { values } = parseFlags(args, FLAGS);
  if (values['help']) {
    process.stdout.write(`Usage: wharf apiserver [flags]\n\nFlags:\n${flagHelp(FLAGS)}\n`);
    return 0;
  }
  return runComponent(async () => {
    const api = await startApiServer({
    listen: values['listen'] as string,
    dataDir: values['data-dir'] as string,
    serviceCidr: values['service-cidr'] as string,
    nodePortRange: values['service-node-port-range'] as string,
    watchCacheEvents: values['watch-cache-events'] as number,
    metricsResolution: values['metrics-resolution'] as string,
    ...(values['store'] ? { store: values['store'] as string } : {}),
    ...(values['write-kubeconfig'] ? { writeKubeconfig: values['write-kubeconfig'] as string } : {}),
    ...(values['tls-san'] ? { tlsSans: values['tls-san'] as string[] } : {}),
    });
    enableNodeProxy(api.nodeProxyToken);
    return api;
  });
}
