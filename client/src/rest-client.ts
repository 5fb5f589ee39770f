// The REST client: the Kubernetes API over HTTP(S), errors turned back into the
// typed ApiError classes the apiserver raised.
import { ApiError, type KubeList, type KubeObject, type ResourceInfo, type Status } from '@wharf/api';
import type { ApiClient, DeleteOptions, ListOptions, PatchOptions, PatchType, WatchOptions, WatchStream, WriteOptions } from './interface.js';
import { HttpTransport } from './http-transport.js';
import type { RestConfig } from './kubeconfig.js';
import { TokenBucket } from './rate-limiter.js';
import { resourcePath } from './resources.js';
import { HttpWatchStream } from './watch.js';
import { withMessage } from './status-error.js';

const PATCH_CONTENT_TYPES: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  json: 'application/json-patch+json',
  apply: 'application/apply-patch+yaml',
};

function query(params: Record<string, string | number | boolean | undefined>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === '') continue;
    parts.push(`${k}=${encodeURIComponent(String(v))}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

export class RestClient implements ApiClient {
  readonly transport: HttpTransport;
  private readonly limiter: TokenBucket | undefined;
  /** Requests sent, for metrics and benchmarks. */
  requests = 0;

  constructor(readonly config: RestConfig) {
    this.transport = new HttpTransport(config);
    this.limiter = config.qps > 0 ? new TokenBucket(config.qps, Math.max(1, config.burst)) : undefined;
  }

  private async send<T>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<T> {
    if (this.limiter) await this.limiter.wait();
    this.requests++;
    const payload = body === undefined ? undefined : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
    const res = await this.transport.request(method, path, payload, payload ? { 'Content-Type': contentType } : {});
    const text = res.body.toString('utf8');
    let parsed: unknown;
    try {
      parsed = text.length ? JSON.parse(text) : {};
    } catch {
      parsed = undefined;
    }
    if (res.status >= 400) {
      const status = parsed && typeof parsed === 'object' && (parsed as Status).kind === 'Status' ? (parsed as Status) : { message: text.slice(0, 500) || `HTTP ${res.status}` };
      throw withMessage(ApiError.fromStatus(status, res.status), status.message);
    }
    if (parsed === undefined) throw ApiError.fromStatus({ message: `invalid JSON from ${method} ${path}` }, 500);
    return parsed as T;
  }

  get<T extends KubeObject>(res: ResourceInfo, namespace: string | undefined, name: string, opts: { subresource?: string } = {}): Promise<T> {
    return this.send('GET', resourcePath(res, namespace, name, opts.subresource));
  }

  list<T extends KubeObject>(res: ResourceInfo, opts: ListOptions = {}): Promise<KubeList<T>> {
    const q = query({ labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector, resourceVersion: opts.resourceVersion, limit: opts.limit, continue: opts.continue });
    return this.send('GET', resourcePath(res, opts.namespace) + q);
  }

  create<T extends KubeObject>(res: ResourceInfo, namespace: string | undefined, obj: KubeObject, opts: WriteOptions = {}): Promise<T> {
    const sub = opts.subresource;
    const path = sub ? resourcePath(res, namespace, obj.metadata.name ?? '', sub) : resourcePath(res, namespace);
    return this.send('POST', path + query({ fieldManager: opts.fieldManager, dryRun: opts.dryRun ? 'All' : undefined }), obj);
  }

  update<T extends KubeObject>(res: ResourceInfo, obj: KubeObject, opts: WriteOptions = {}): Promise<T> {
    const path = resourcePath(res, obj.metadata.namespace, obj.metadata.name ?? '', opts.subresource);
    return this.send('PUT', path + query({ fieldManager: opts.fieldManager, dryRun: opts.dryRun ? 'All' : undefined }), obj);
  }

  patch<T extends KubeObject>(res: ResourceInfo, namespace: string | undefined, name: string, type: PatchType, patch: unknown, opts: PatchOptions = {}): Promise<T> {
    const path = resourcePath(res, namespace, name, opts.subresource);
    const q = query({ fieldManager: opts.fieldManager ?? (type === 'apply' ? 'wharf' : undefined), force: opts.force, dryRun: opts.dryRun ? 'All' : undefined });
    return this.send('PATCH', path + q, patch, PATCH_CONTENT_TYPES[type]);
  }

  delete(res: ResourceInfo, namespace: string | undefined, name: string, opts: DeleteOptions = {}): Promise<KubeObject | Status> {
    return this.send('DELETE', resourcePath(res, namespace, name), deleteBody(opts));
  }

  deleteCollection(res: ResourceInfo, namespace: string | undefined, opts: ListOptions & DeleteOptions = {}): Promise<KubeObject | Status> {
    const q = query({ labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector });
    return this.send('DELETE', resourcePath(res, namespace) + q, deleteBody(opts));
  }

  watch<T extends KubeObject>(res: ResourceInfo, opts: WatchOptions = {}): WatchStream<T> {
    const q = query({
      watch: 'true',
      resourceVersion: opts.resourceVersion,
      allowWatchBookmarks: opts.allowWatchBookmarks ? 'true' : undefined,
      labelSelector: opts.labelSelector,
      fieldSelector: opts.fieldSelector,
      timeoutSeconds: opts.timeoutSeconds,
    });
    this.requests++;
    return new HttpWatchStream<T>(this.transport, resourcePath(res, opts.namespace) + q);
  }

  close(): void {
    this.transport.close();
  }
}

function deleteBody(opts: DeleteOptions): Record<string, unknown> {
  const body: Record<string, unknown> = { kind: 'DeleteOptions', apiVersion: 'v1' };
  if (opts.propagationPolicy) body['propagationPolicy'] = opts.propagationPolicy;
  if (opts.gracePeriodSeconds !== undefined) body['gracePeriodSeconds'] = opts.gracePeriodSeconds;
  if (opts.preconditions) body['preconditions'] = opts.preconditions;
  return body;
}

