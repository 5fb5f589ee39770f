// The REST calls verbs make, over the client's transport. ApiError.fromStatus
// loses the message (Error's own `message` is not enumerable, so
// Object.assign skips it); this rebuilds errors with it, since kubectl's
// output is the message.
import { ApiError, type KubeList, type KubeObject, type ResourceInfo, type Status } from '@wharf/api';
import { resourcePath, type HttpTransport } from '@wharf/client';
import { query } from './stream.js';

export function apiError(status: Partial<Status>, code?: number): ApiError {
  const err = ApiError.fromStatus(status, code);
  const message = status.message ?? `the server could not find the requested resource`;
  Object.defineProperty(err, 'message', { value: message, writable: true, configurable: true, enumerable: false });
  return err;
}

export const PATCH_TYPES = {
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  json: 'application/json-patch+json',
  apply: 'application/apply-patch+yaml',
} as const;
export type PatchKind = keyof typeof PATCH_TYPES;

export class Api {
  constructor(private readonly transport: () => HttpTransport) {}

  async request<T = unknown>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    const payload = body === undefined ? undefined : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
    const res = await this.transport().request(method, path, payload, { ...(payload ? { 'Content-Type': 'application/json' } : {}), ...headers });
    const text = res.body.toString('utf8');
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : {};
    } catch {
      parsed = undefined;
    }
    if (res.status >= 400) {
      const isStatus = parsed && typeof parsed === 'object' && (parsed as Status).kind === 'Status';
      const status: Partial<Status> = isStatus ? (parsed as Status) : { message: text.trim().slice(0, 500) || 'the server could not find the requested resource', reason: res.status === 404 ? 'NotFound' : undefined } as Partial<Status>;
      throw apiError(status, res.status);
    }
    return (parsed === undefined ? text : parsed) as T;
  }

  get<T extends KubeObject = KubeObject>(info: ResourceInfo, ns: string | undefined, name: string, subresource?: string): Promise<T> {
    return this.request<T>('GET', resourcePath(info, ns, name, subresource));
  }

  list<T extends KubeObject = KubeObject>(info: ResourceInfo, ns: string | undefined, opts: { labelSelector?: string | undefined; fieldSelector?: string | undefined } = {}): Promise<KubeList<T>> {
    return this.request<KubeList<T>>('GET', resourcePath(info, ns) + query({ labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector }));
  }

  create<T extends KubeObject = KubeObject>(info: ResourceInfo, ns: string | undefined, obj: unknown, params: Record<string, string | undefined> = {}): Promise<T> {
    return this.request<T>('POST', resourcePath(info, ns) + query(params), obj);
  }

  update<T extends KubeObject = KubeObject>(info: ResourceInfo, ns: string | undefined, name: string, obj: unknown, params: Record<string, string | undefined> = {}): Promise<T> {
    return this.request<T>('PUT', resourcePath(info, ns, name) + query(params), obj);
  }

  patch<T extends KubeObject = KubeObject>(info: ResourceInfo, ns: string | undefined, name: string, type: PatchKind, patch: unknown, params: Record<string, string | boolean | undefined> = {}, subresource?: string): Promise<T> {
    return this.request<T>('PATCH', resourcePath(info, ns, name, subresource) + query(params), patch, { 'Content-Type': PATCH_TYPES[type] });
  }

  delete(info: ResourceInfo, ns: string | undefined, name: string, opts: { propagationPolicy?: string | undefined; gracePeriodSeconds?: number | undefined } = {}): Promise<KubeObject | Status> {
    const body: Record<string, unknown> = { kind: 'DeleteOptions', apiVersion: 'v1' };
    if (opts.propagationPolicy) body['propagationPolicy'] = opts.propagationPolicy;
    if (opts.gracePeriodSeconds !== undefined) body['gracePeriodSeconds'] = opts.gracePeriodSeconds;
    return this.request('DELETE', resourcePath(info, ns, name), body);
  }
}
