// The apiserver process: storage → watch cache → registry, behind an HTTPS
// server that authenticates, routes by RequestInfo, and answers every failure
// with a Kubernetes Status.
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { createLogger, storagePrefix, RESOURCES, strategyFor, type Logger, type ResourceInfo } from '@wharf/api';
import { AuthenticatorChain, TokenAuthenticator, type Authenticator } from './auth.js';
import { bootstrap } from './bootstrap.js';
import { WatchCache } from './cache/watch-cache.js';
import type { FieldsOf } from './cache/cached-object.js';
import { ApiMetrics } from './metrics.js';
import { compileOptions, type ApiServerFlags, type ApiServerOptions } from './options.js';
import { ensurePki, kubeconfigYaml } from './pki.js';
import { Registry } from './registry/registry.js';
import { ServiceAllocator } from './registry/service-allocator.js';
import type { RegistryContext } from './registry/context.js';
import { openStorage } from './storage/open-storage.js';
import type { Storage } from './storage/interface.js';
import { route, routeUpgrade } from './http/router.js';
import { MetricsApi, registerMetricsApi } from './metrics-api/index.js';
import type { Duplex } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';

export interface RunningApiServer {
  url: string;
  port: number;
  adminToken: string;
  caCert: string;
  kubeconfig: string;
  /** The token the apiserver presents to node agents when it proxies logs and exec. */
  nodeProxyToken: string;
  /** The reserved cluster DNS address node agents serve DNS on. */
  clusterDnsIp: string;
  registry: Registry;
  storage: Storage;
  /** Drains: stops accepting, ends watches, closes the store. */
  stop(): Promise<void>;
}

export interface ApiServerExtensions {
  /** Extra authenticators (node identities, users) consulted after the static tokens. */
  authenticators?: Authenticator[];
  log?: Logger;
}

function fieldsOfFactory(): (info: ResourceInfo) => FieldsOf {
  const memo = new Map<string, FieldsOf>();
  return (info) => {
    const key = `${info.group}/${info.kind}`;
    let f = memo.get(key);
    if (!f) {
      const strategy = strategyFor(info.group, info.kind);
      f = (obj) => strategy.selectableFields(obj);
      memo.set(key, f);
    }
    return f;
  };
}

export async function startApiServer(flags: ApiServerFlags, ext: ApiServerExtensions = {}): Promise<RunningApiServer> {
  const options: ApiServerOptions = compileOptions(flags);
  const log = ext.log ?? createLogger('apiserver');
  mkdirSync(options.dataDir, { recursive: true });
  const metrics = new ApiMetrics();
  const storage = metrics.instrument(await openStorage(options.store));
  const fieldsOf = fieldsOfFactory();
  const byPrefix = new Map(RESOURCES.filter((r) => !r.virtual).map((r) => [storagePrefix(r), r] as const));
  const cache = new WatchCache(storage, {
    eventWindow: options.watchCacheEvents,
    historyRevisions: options.historyRevisions,
    fieldsOf: (prefix) => {
      const info = byPrefix.get(prefix);
      return info ? fieldsOf(info) : () => ({});
    },
    log,
  });
  await cache.start();
  const ctx: RegistryContext = { storage, cache, services: new ServiceAllocator(storage, options.serviceCidr, options.nodePorts), log };
  const registry = new Registry(ctx);

  const pki = options.insecure ? undefined : ensurePki(options.dataDir, options.tlsSans);
  const proxyTokenPath = join(options.dataDir, 'node-proxy.token');
  if (!existsSync(proxyTokenPath)) writeFileSync(proxyTokenPath, `${randomBytes(24).toString('hex')}\n`, { mode: 0o600 });
  const nodeProxyToken = readFileSync(proxyTokenPath, 'utf8').trim();
  const metricsApi = new MetricsApi({ resolutionMs: options.metricsResolutionMs, nodeProxyToken, cache, log });
  registerMetricsApi(registry, metricsApi);
  const tokens = new TokenAuthenticator();
  if (pki) tokens.add(pki.adminToken, { name: 'admin', uid: 'admin', groups: ['system:masters', 'system:authenticated'] });
  tokens.loadFile(join(options.dataDir, 'tokens.csv'));
  const authenticator = new AuthenticatorChain([tokens, ...(ext.authenticators ?? [])]);

  let draining = false;
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    void route({ req, res, ctx, registry, metrics, authenticator: options.insecure ? undefined : authenticator, fieldsOf, log, draining: () => draining });
  };
  const server: Server = pki
    ? createHttpsServer({ cert: pki.serverCert, key: pki.serverKey, ca: pki.caCert }, handler)
    : createHttpServer(handler);
  // pods/exec arrives as a WebSocket upgrade; the connect handler owns the socket.
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    void routeUpgrade({ req, socket, head, registry, authenticator: options.insecure ? undefined : authenticator, log });
  });
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 70_000;
  server.requestTimeout = 0;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host;
  const url = `${pki ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`;

  await bootstrap(registry, port, host === 'localhost' ? '127.0.0.1' : host);

  const kubeconfig = pki ? kubeconfigYaml(url, pki.caCert, pki.adminToken) : '';
  if (options.writeKubeconfig && kubeconfig) {
    mkdirSync(dirname(options.writeKubeconfig), { recursive: true });
    writeFileSync(options.writeKubeconfig, kubeconfig, { mode: 0o600 });
  }
  log.info('apiserver listening', { url, store: storage.backend, dataDir: options.dataDir });

  return {
    url,
    port,
    adminToken: pki?.adminToken ?? '',
    caCert: pki?.caCert ?? '',
    kubeconfig,
    nodeProxyToken,
    clusterDnsIp: ctx.services.dnsIp,
    registry,
    storage,
    async stop() {
      draining = true;
      metricsApi.stop();
      server.close();
      cache.stop();
      server.closeIdleConnections();
      // Give in-flight writes a moment to finish before the store closes.
      await new Promise((r) => setTimeout(r, 50));
      server.closeAllConnections();
      await storage.close();
    },
  };
}
