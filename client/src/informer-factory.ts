// One informer per resource per process, shared by every controller that asks
// for it: a single list+watch and a single cache no matter how many consumers.
import { createLogger, type KubeObject, type Logger, type ResourceInfo } from '@wharf/api';
import type { ApiClient } from './interface.js';
import { SharedInformer } from './informer.js';
import type { ReflectorOptions } from './reflector.js';
import { byNamespace, NAMESPACE_INDEX } from './store.js';

export class InformerFactory {
  private readonly informers = new Map<string, SharedInformer>();
  private readonly running: Array<Promise<void>> = [];
  private signal: AbortSignal | undefined;

  constructor(
    private readonly client: ApiClient,
    private readonly options: ReflectorOptions = {},
    private readonly log: Logger = createLogger('informers'),
  ) {}

  forResource<T extends KubeObject = KubeObject>(res: ResourceInfo): SharedInformer<T> {
    const id = `${res.group}/${res.version}/${res.plural}`;
    let inf = this.informers.get(id);
    if (!inf) {
      inf = new SharedInformer(this.client, res, this.log.child({ resource: res.plural }), this.options);
      inf.addIndexers({ [NAMESPACE_INDEX]: byNamespace });
      this.informers.set(id, inf);
      // Informers asked for after start() start at once.
      if (this.signal) this.running.push(inf.run(this.signal));
    }
    return inf as unknown as SharedInformer<T>;
  }

  /** Starts every informer created so far (and any created later). */
  start(signal: AbortSignal): void {
    this.signal = signal;
    for (const inf of this.informers.values()) this.running.push(inf.run(signal));
  }

  async waitForCacheSync(signal?: AbortSignal): Promise<boolean> {
    const results = await Promise.all([...this.informers.values()].map((i) => i.waitForSync(signal)));
    return results.every(Boolean);
  }

  /** Resolves when every reflector has stopped (after the start signal aborted). */
  async stopped(): Promise<void> {
    await Promise.all(this.running);
  }

  list(): SharedInformer[] {
    return [...this.informers.values()];
  }
}
