// @wharf/client public entry point: the client-go analogue every component uses.
export { loadKubeconfig, parseKubeconfig, kubeconfigPath, defaultRestConfig, KubeconfigError } from './kubeconfig.js';
export type { RestConfig, LoadKubeconfigOptions } from './kubeconfig.js';
export type {
  ApiClient,
  PatchType,
  ListOptions,
  WatchOptions,
  WriteOptions,
  PatchOptions,
  DeleteOptions,
  PropagationPolicy,
  WatchStream,
} from './interface.js';
export { RestClient } from './rest-client.js';
export { HttpTransport, ConnectionError } from './http-transport.js';
export { HttpWatchStream } from './watch.js';
export { R, persistedResources, resourcePath } from './resources.js';
export { TokenBucket, ItemExponentialBackoff, DefaultControllerRateLimiter } from './rate-limiter.js';
export type { RateLimiter } from './rate-limiter.js';
export { Reflector, sleep } from './reflector.js';
export type { ReflectorOptions, ReflectorStore } from './reflector.js';
export {
  Indexer,
  byNamespace,
  byLabel,
  byNodeName,
  byOwnerUid,
  NAMESPACE_INDEX,
  LABEL_INDEX,
  NODE_NAME_INDEX,
  OWNER_UID_INDEX,
} from './store.js';
export type { IndexFunc } from './store.js';
export { SharedInformer, DeletedFinalStateUnknown, unwrapTombstone } from './informer.js';
export type { EventHandlers } from './informer.js';
export { InformerFactory } from './informer-factory.js';
export { WorkQueue } from './work-queue.js';
export { runWorkers, TerminalError } from './reconcile.js';
export type { Reconciler, ReconcileResult, RunWorkersOptions } from './reconcile.js';
export { Expectations, UIDTrackingExpectations, EXPECTATIONS_TIMEOUT_MS } from './expectations.js';
export { ApiEventRecorder, FakeRecorder } from './event-recorder.js';
export type { EventRecorder, EventType } from './event-recorder.js';
export { LeaderElector } from './leader-election.js';
export type { LeaderElectionOptions, LeaderState } from './leader-election.js';
export { selectorMatches, selectorIsEmpty, mapSelectorMatches, selectorToString } from './selectors.js';
export { FakeClient } from './fake-client.js';
export type { Action, Reactor } from './fake-client.js';
