// A test double for the API (not for the product): an in-memory object tracker
// that records every call. Controller unit tests seed informer caches, run one
// reconcile and assert the exact list of actions, sample-controller style.
import {
  ApiError,
  ConflictError,
  NotFoundError,
  AlreadyExistsError,
  deepCopy,
  type KubeList,
  type KubeObject,
  type ResourceInfo,
  type Status,
  type WatchEvent,
} from '@wharf/api';
import type { ApiClient, DeleteOptions, ListOptions, PatchOptions, PatchType, WatchOptions, WatchStream, WriteOptions } from './interface.js';

export interface Action {
  verb: 'get' | 'list' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection' | 'watch';
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  body?: unknown;
  patchType?: PatchType;
  options?: unknown;
}

/** Returns an error to fail the call with, or undefined to let it through. */
export type Reactor = (action: Action) => Error | undefined;

function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return deepCopy(patch);
  const out: Record<string, unknown> = target && typeof target === 'object' && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  for (const [k, v] of Object.entries(patch as Record<string, unknown>)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

export class FakeClient implements ApiClient {
  readonly actions: Action[] = [];
  private readonly objects = new Map<string, Map<string, KubeObject>>();
  private readonly watchers = new Set<{ res: string; ns: string | undefined; push: (e: WatchEvent) => void; close: () => void }>();
  private readonly reactors: Reactor[] = [];
  /** Recent events, so a watch from a resourceVersion replays what it missed, as the real server does. */
  private readonly history: Array<{ res: string; rv: number; type: WatchEvent['type']; obj: KubeObject }> = [];
  private rv = 1;
  private names = 0;
  /** Read verbs are not recorded unless asked: controllers read from caches, so writes are what tests assert. */
  recordReads = false;

  private bucket(res: ResourceInfo): Map<string, KubeObject> {
    const id = `${res.group}/${res.plural}`;
    let b = this.objects.get(id);
    if (!b) this.objects.set(id, (b = new Map()));
    return b;
  }

  private key(res: ResourceInfo, ns: string | undefined, name: string): string {
    return res.namespaced ? `${ns ?? ''}/${name}` : name;
  }

  prependReactor(r: Reactor): void {
    this.reactors.unshift(r);
  }

  /** Puts an object in the tracker without recording an action. */
  seed(res: ResourceInfo, obj: KubeObject): KubeObject {
    const copy = deepCopy(obj);
    copy.metadata.resourceVersion ??= String(this.rv++);
    copy.metadata.uid ??= `uid-${copy.metadata.name}`;
    this.bucket(res).set(this.key(res, copy.metadata.namespace, copy.metadata.name ?? ''), copy);
    return copy;
  }

  /** Ends every open watch from the server side, as an apiserver timeout or restart would. */
  closeWatches(): void {
    for (const w of [...this.watchers]) w.close();
  }

  /** Removes an object without an event: simulates a change the watch missed (compaction). */
  vanish(res: ResourceInfo, namespace: string | undefined, name: string): void {
    this.bucket(res).delete(this.key(res, namespace, name));
  }

  stored(res: ResourceInfo): KubeObject[] {
    return [...this.bucket(res).values()];
  }

  clearActions(): void {
    this.actions.length = 0;
  }

  /** Compact form for assertions: "create pods ns", "patch replicasets/status ns/name". */
  summary(): string[] {
    return this.actions.map((a) => {
      const what = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
      const where = [a.namespace, a.name].filter(Boolean).join('/');
      return `${a.verb} ${what}${where ? ` ${where}` : ''}`;
    });
  }

  private record(a: Action): void {
    if (this.recordReads || !['get', 'list', 'watch'].includes(a.verb)) this.actions.push(a);
    for (const r of this.reactors) {
      const err = r(a);
      if (err) throw err;
    }
  }

  private emit(res: ResourceInfo, type: WatchEvent['type'], obj: KubeObject): void {
    if (type === 'DELETED') obj = { ...obj, metadata: { ...obj.metadata, resourceVersion: String(this.rv++) } };
    this.history.push({ res: `${res.group}/${res.plural}`, rv: Number(obj.metadata.resourceVersion), type, obj: deepCopy(obj) });
    if (this.history.length > 10_000) this.history.shift();
    for (const w of this.watchers) {
      if (w.res !== `${res.group}/${res.plural}`) continue;
      if (w.ns && w.ns !== obj.metadata.namespace) continue;
      w.push({ type, object: deepCopy(obj) });
    }
  }

  async get<T extends KubeObject>(res: ResourceInfo, namespace: string | undefined, name: string, opts: { subresource?: string } = {}): Promise<T> {
    this.record({ verb: 'get', resource: res.plural, namespace, name, ...(opts.subresource ? { subresource: opts.subresource } : {}) });
    const obj = this.bucket(res).get(this.key(res, namespace, name));
    if (!obj) throw new NotFoundError(res.plural, name, res.group);
    return deepCopy(obj) as T;
  }

  async list<T extends KubeObject>(res: ResourceInfo, opts: ListOptions = {}): Promise<KubeList<T>> {
    this.record({ verb: 'list', resource: res.plural, namespace: opts.namespace });
    const items = [...this.bucket(res).values()].filter((o) => !opts.namespace || o.metadata.namespace === opts.namespace);
    return { apiVersion: 'v1', kind: res.listKind, metadata: { resourceVersion: String(this.rv - 1) }, items: deepCopy(items) as T[] };
  }

  async create<T extends KubeObject>(res: ResourceInfo, namespace: string | undefined, obj: KubeObject, opts: WriteOptions = {}): Promise<T> {
    const sub = opts.subresource;
    this.record({ verb: 'create', resource: res.plural, namespace, ...(sub ? { subresource: sub, name: obj.metadata.name } : {}), body: deepCopy(obj) });
    if (sub === 'binding') {
      const pod = this.bucket(res).get(this.key(res, namespace, obj.metadata.name ?? ''));
      if (!pod) throw new NotFoundError(res.plural, obj.metadata.name ?? '');
      const spec = (pod['spec'] ?? {}) as Record<string, unknown>;
      if (spec['nodeName']) throw new ConflictError(res.plural, obj.metadata.name ?? '', '', `pod is already assigned to node "${String(spec['nodeName'])}"`);
      pod['spec'] = { ...spec, nodeName: (obj['target'] as { name: string }).name };
      pod.metadata.resourceVersion = String(this.rv++);
      this.emit(res, 'MODIFIED', pod);
      return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 } as unknown as T;
    }
    const copy = deepCopy(obj);
    copy.metadata.namespace = res.namespaced ? namespace : undefined;
    if (!copy.metadata.name && copy.metadata.generateName) copy.metadata.name = `${copy.metadata.generateName}${(++this.names).toString(36).padStart(5, '0')}`;
    const key = this.key(res, namespace, copy.metadata.name ?? '');
    if (this.bucket(res).has(key)) throw new AlreadyExistsError(res.plural, copy.metadata.name ?? '', res.group);
    copy.metadata.uid ??= `uid-${copy.metadata.name}`;
    copy.metadata.resourceVersion = String(this.rv++);
    copy.metadata.creationTimestamp ??= new Date().toISOString();
    copy.metadata.generation = 1;
    this.bucket(res).set(key, copy);
    this.emit(res, 'ADDED', copy);
    return deepCopy(copy) as T;
  }

  async update<T extends KubeObject>(res: ResourceInfo, obj: KubeObject, opts: WriteOptions = {}): Promise<T> {
    const { namespace, name = '' } = obj.metadata;
    const sub = opts.subresource;
    this.record({ verb: 'update', resource: res.plural, namespace, name, ...(sub ? { subresource: sub } : {}), body: deepCopy(obj) });
    const key = this.key(res, namespace, name);
    const old = this.bucket(res).get(key);
    if (!old) throw new NotFoundError(res.plural, name, res.group);
    if (obj.metadata.resourceVersion && obj.metadata.resourceVersion !== old.metadata.resourceVersion) throw new ConflictError(res.plural, name, res.group);
    let next: KubeObject;
    if (sub === 'status') next = { ...deepCopy(old), status: deepCopy(obj['status']) };
    else if (sub === 'finalize') next = { ...deepCopy(old), spec: deepCopy(obj['spec']) };
    else next = { ...deepCopy(obj), status: deepCopy(old['status']) };
    next.metadata = { ...deepCopy(sub ? old.metadata : obj.metadata), resourceVersion: String(this.rv++) };
    return this.commit(res, key, next) as T;
  }

  private commit(res: ResourceInfo, key: string, next: KubeObject): KubeObject {
    const fin = next.metadata.finalizers ?? [];
    if (next.metadata.deletionTimestamp && fin.length === 0) {
      this.bucket(res).delete(key);
      this.emit(res, 'DELETED', next);
    } else {
      this.bucket(res).set(key, next);
      this.emit(res, 'MODIFIED', next);
    }
    return deepCopy(next);
  }

  async patch<T extends KubeObject>(res: ResourceInfo, namespace: string | undefined, name: string, type: PatchType, patch: unknown, opts: PatchOptions = {}): Promise<T> {
    const sub = opts.subresource;
    this.record({ verb: 'patch', resource: res.plural, namespace, name, patchType: type, body: deepCopy(patch), ...(sub ? { subresource: sub } : {}) });
    const key = this.key(res, namespace, name);
    const old = this.bucket(res).get(key);
    if (!old) throw new NotFoundError(res.plural, name, res.group);
    if (type === 'json' || type === 'apply') throw new ApiError(415, 'UnsupportedMediaType', `FakeClient does not apply ${type} patches`);
    const p = patch as { metadata?: { resourceVersion?: string } };
    if (p.metadata?.resourceVersion && p.metadata.resourceVersion !== old.metadata.resourceVersion) throw new ConflictError(res.plural, name, res.group);
    const next = mergePatch(old, patch) as KubeObject;
    next.metadata.resourceVersion = String(this.rv++);
    return this.commit(res, key, next) as T;
  }

  async delete(res: ResourceInfo, namespace: string | undefined, name: string, opts: DeleteOptions = {}): Promise<KubeObject | Status> {
    this.record({ verb: 'delete', resource: res.plural, namespace, name, ...(Object.keys(opts).length ? { options: opts } : {}) });
    const key = this.key(res, namespace, name);
    const old = this.bucket(res).get(key);
    if (!old) throw new NotFoundError(res.plural, name, res.group);
    if (opts.preconditions?.uid && opts.preconditions.uid !== old.metadata.uid) throw new ConflictError(res.plural, name, res.group, 'Precondition failed: UID in precondition does not match');
    this.bucket(res).delete(key);
    this.emit(res, 'DELETED', old);
    return deepCopy(old);
  }

  async deleteCollection(res: ResourceInfo, namespace: string | undefined, opts: ListOptions & DeleteOptions = {}): Promise<Status> {
    this.record({ verb: 'deletecollection', resource: res.plural, namespace, ...(Object.keys(opts).length ? { options: opts } : {}) });
    for (const [key, obj] of this.bucket(res)) {
      if (namespace && obj.metadata.namespace !== namespace) continue;
      this.bucket(res).delete(key);
      this.emit(res, 'DELETED', obj);
    }
    return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 200 };
  }

  watch<T extends KubeObject>(res: ResourceInfo, opts: WatchOptions = {}): WatchStream<T> {
    this.record({ verb: 'watch', resource: res.plural, namespace: opts.namespace });
    const from = Number(opts.resourceVersion ?? '0');
    const id = `${res.group}/${res.plural}`;
    const queue: WatchEvent[] = this.history
      .filter((h) => h.res === id && h.rv > from && (!opts.namespace || h.obj.metadata.namespace === opts.namespace))
      .map((h) => ({ type: h.type, object: deepCopy(h.obj) }));
    let wake: (() => void) | undefined;
    let stopped = false;
    const watcher = {
      res: `${res.group}/${res.plural}`,
      ns: opts.namespace,
      push: (e: WatchEvent) => {
        queue.push(e);
        wake?.();
      },
      close: () => undefined as void,
    };
    this.watchers.add(watcher);
    const watchers = this.watchers;
    const watcherClose = () => stream.stop();
    (watcher as { close?: () => void }).close = watcherClose;
    const stream = {
      received: 0,
      stop() {
        stopped = true;
        watchers.delete(watcher);
        wake?.();
      },
      async *[Symbol.asyncIterator](): AsyncIterator<WatchEvent<T>> {
        while (!stopped) {
          const e = queue.shift();
          if (e) {
            stream.received++;
            yield e as WatchEvent<T>;
            continue;
          }
          await new Promise<void>((r) => (wake = r));
          wake = undefined;
        }
      },
    };
    return stream;
  }
}
