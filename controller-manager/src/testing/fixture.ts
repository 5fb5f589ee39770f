// Unit-test fixture in the sample-controller style: informer caches seeded
// directly, a FakeClient recording API actions, a FakeRecorder for events.
import { createLogger, type KubeObject, type ResourceInfo } from '@wharf/api';
import { FakeClient, FakeRecorder, InformerFactory } from '@wharf/client';
import { DEFAULT_CONTROLLER_OPTIONS, type ControllerContext, type ControllerOptions } from '../context.js';

export interface Fixture {
  client: FakeClient;
  recorder: FakeRecorder;
  ctx: ControllerContext;
  /** Puts an object into the informer cache and the fake API (without recording an action). */
  seed<T extends KubeObject>(res: ResourceInfo, obj: T): T;
}

export function newFixture(options: Partial<ControllerOptions> = {}): Fixture {
  const client = new FakeClient();
  const recorder = new FakeRecorder();
  const informers = new InformerFactory(client, {}, createLogger('test'));
  const ctx: ControllerContext = {
    client,
    informers,
    log: createLogger('test'),
    recorder: () => recorder,
    options: { ...DEFAULT_CONTROLLER_OPTIONS, ...options },
  };
  return {
    client,
    recorder,
    ctx,
    seed(res, obj) {
      const stored = client.seed(res, obj) as typeof obj;
      informers.forResource(res).store.set(stored);
      return stored;
    },
  };
}

/** Lets background promises (bindings, event writes) settle. */
export function settle(): Promise<void> {
  return new Promise((r) => setTimeout(r, 5));
}
