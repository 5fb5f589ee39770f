// The one interface every component talks to the API through. The real REST
// client implements it over HTTP; unit tests use FakeClient, which records the
// same calls, so controllers never know which one they hold.
import type { KubeList, KubeObject, ResourceInfo, Status, WatchEvent } from '@wharf/api';

export type PatchType = 'merge' | 'strategic' | 'json' | 'apply';

export interface ListOptions {
  namespace?: string | undefined;
  labelSelector?: string | undefined;
  fieldSelector?: string | undefined;
  resourceVersion?: string | undefined;
  limit?: number | undefined;
  continue?: string | undefined;
}

export interface WatchOptions {
  namespace?: string | undefined;
  labelSelector?: string | undefined;
  fieldSelector?: string | undefined;
  resourceVersion?: string | undefined;
  allowWatchBookmarks?: boolean | undefined;
  timeoutSeconds?: number | undefined;
}

export interface WriteOptions {
  subresource?: string | undefined;
  fieldManager?: string | undefined;
  dryRun?: boolean | undefined;
}

export interface PatchOptions extends WriteOptions {
  force?: boolean | undefined;
}

export type PropagationPolicy = 'Orphan' | 'Background' | 'Foreground';

export interface DeleteOptions {
  propagationPolicy?: PropagationPolicy | undefined;
  gracePeriodSeconds?: number | undefined;
  preconditions?: { uid?: string; resourceVersion?: string } | undefined;
}

/** A streaming watch: an async iterator of events that ends on stop() or when the server closes it. */
export interface WatchStream<T extends KubeObject = KubeObject> extends AsyncIterable<WatchEvent<T>> {
  stop(): void;
  /** Events received so far (bookmarks included). */
  readonly received: number;
}

export interface ApiClient {
  get<T extends KubeObject = KubeObject>(res: ResourceInfo, namespace: string | undefined, name: string, opts?: { subresource?: string }): Promise<T>;
  list<T extends KubeObject = KubeObject>(res: ResourceInfo, opts?: ListOptions): Promise<KubeList<T>>;
  create<T extends KubeObject = KubeObject>(res: ResourceInfo, namespace: string | undefined, obj: KubeObject, opts?: WriteOptions): Promise<T>;
  /** PUT of the whole object (or of a subresource of it, e.g. status, scale, finalize). */
  update<T extends KubeObject = KubeObject>(res: ResourceInfo, obj: KubeObject, opts?: WriteOptions): Promise<T>;
  patch<T extends KubeObject = KubeObject>(
    res: ResourceInfo,
    namespace: string | undefined,
    name: string,
    type: PatchType,
    patch: unknown,
    opts?: PatchOptions,
  ): Promise<T>;
  delete(res: ResourceInfo, namespace: string | undefined, name: string, opts?: DeleteOptions): Promise<KubeObject | Status>;
  deleteCollection(res: ResourceInfo, namespace: string | undefined, opts?: ListOptions & DeleteOptions): Promise<KubeObject | Status>;
  watch<T extends KubeObject = KubeObject>(res: ResourceInfo, opts?: WatchOptions): WatchStream<T>;
}
