// Kubeconfig loading: the same lookup order kubectl uses (--kubeconfig, then
// $KUBECONFIG, then ~/.kube/config), compiled once into a complete RestConfig.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { parse as parseYaml } from 'yaml';

/** Everything a REST client needs to reach and authenticate to one apiserver. */
export interface RestConfig {
  server: string;
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  token?: string;
  insecureSkipTLSVerify: boolean;
  /** The namespace of the current context; "default" when the context names none. */
  namespace: string;
  /** Client-side rate limit; 0 disables it (the default, so tests are never throttled). */
  qps: number;
  burst: number;
  /** Concurrent connections per host kept alive by the agent. */
  maxSockets: number;
  userAgent: string;
  /** Per-request timeout for non-watch requests. */
  timeoutMs: number;
}

export class KubeconfigError extends Error {
  override name = 'KubeconfigError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

interface RawKubeconfig {
  'current-context'?: string;
  clusters?: Array<{ name: string; cluster: Record<string, unknown> }>;
  users?: Array<{ name: string; user: Record<string, unknown> }>;
  contexts?: Array<{ name: string; context: { cluster: string; user?: string; namespace?: string } }>;
}

export interface LoadKubeconfigOptions {
  /** Explicit --kubeconfig path; wins over the environment. */
  kubeconfig?: string | undefined;
  context?: string | undefined;
  env?: NodeJS.ProcessEnv;
  overrides?: Partial<RestConfig>;
}

export function defaultRestConfig(server: string, overrides: Partial<RestConfig> = {}): RestConfig {
  return {
    server: server.replace(/\/+$/, ''),
    insecureSkipTLSVerify: false,
    namespace: 'default',
    qps: 0,
    burst: 0,
    maxSockets: 64,
    userAgent: 'wharf-client',
    timeoutMs: 60_000,
    ...overrides,
  };
}

/** The kubeconfig path kubectl would read: the first entry of $KUBECONFIG wins. */
export function kubeconfigPath(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (explicit) return explicit;
  const fromEnv = env['KUBECONFIG']?.split(':').find((p) => p.length > 0);
  if (fromEnv) return fromEnv;
  return join(env['HOME'] ?? homedir(), '.kube', 'config');
}

export function loadKubeconfig(options: LoadKubeconfigOptions = {}): RestConfig {
  const path = kubeconfigPath(options.kubeconfig, options.env);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new KubeconfigError(`cannot read kubeconfig ${path}`, { cause: err });
  }
  return parseKubeconfig(text, dirname(path), options);
}

export function parseKubeconfig(text: string, baseDir: string, options: LoadKubeconfigOptions = {}): RestConfig {
  let raw: RawKubeconfig;
  try {
    raw = (parseYaml(text) ?? {}) as RawKubeconfig;
  } catch (err) {
    throw new KubeconfigError('kubeconfig is not valid YAML', { cause: err });
  }
  const contextName = options.context ?? raw['current-context'];
  if (!contextName) throw new KubeconfigError('kubeconfig has no current-context');
  const context = raw.contexts?.find((c) => c.name === contextName)?.context;
  if (!context) throw new KubeconfigError(`context "${contextName}" not found in kubeconfig`);
  const cluster = raw.clusters?.find((c) => c.name === context.cluster)?.cluster;
  if (!cluster) throw new KubeconfigError(`cluster "${context.cluster}" not found in kubeconfig`);
  const user = raw.users?.find((u) => u.name === context.user)?.user ?? {};
  const server = cluster['server'];
  if (typeof server !== 'string') throw new KubeconfigError(`cluster "${context.cluster}" has no server`);

  const file = (p: unknown): Buffer | undefined => {
    if (typeof p !== 'string' || p === '') return undefined;
    const full = isAbsolute(p) ? p : join(baseDir, p);
    try {
      return readFileSync(full);
    } catch (err) {
      throw new KubeconfigError(`cannot read ${full}`, { cause: err });
    }
  };
  const data = (d: unknown): Buffer | undefined => (typeof d === 'string' && d !== '' ? Buffer.from(d, 'base64') : undefined);

  const config = defaultRestConfig(server, { namespace: context.namespace ?? 'default' });
  const ca = data(cluster['certificate-authority-data']) ?? file(cluster['certificate-authority']);
  if (ca) config.ca = ca;
  if (cluster['insecure-skip-tls-verify'] === true) config.insecureSkipTLSVerify = true;
  const cert = data(user['client-certificate-data']) ?? file(user['client-certificate']);
  const key = data(user['client-key-data']) ?? file(user['client-key']);
  if (cert) config.cert = cert;
  if (key) config.key = key;
  const token = typeof user['token'] === 'string' ? user['token'] : file(user['tokenFile'])?.toString('utf8').trim();
  if (token) config.token = token;
  return { ...config, ...options.overrides };
}
