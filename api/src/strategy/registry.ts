// strategyFor(group, kind): the defaulting, validation and field-selector
// behaviour of one kind, assembled from the per-kind modules. The apiserver
// calls this on every write.
import type { FieldError } from '../errors.js';
import type { KubeObject } from '../meta.js';
import { RESOURCES } from '../resources.js';
import {
  defaultNamespace,
  defaultNode,
  validateBinding,
  validateEvent,
  validateLease,
  validateNamespace,
  validateNode,
  validateNodeUpdate,
} from './cluster-kinds.js';
import { defaultSecret, validateConfigMap, validateConfigMapUpdate, validateSecret, validateSecretUpdate, validateServiceAccount } from './config-kinds.js';
import { defaultEndpointSlice, defaultEndpoints, validateEndpointSlice, validateEndpointSliceUpdate, validateEndpoints } from './endpoints.js';
import { obj } from './field-errors.js';
import { defaultHpa, validateHpa } from './hpa.js';
import { validateObjectMeta, validateObjectMetaUpdate, type NameRule } from './object-meta.js';
import { defaultPod } from './pod-defaults.js';
import { validatePodSpec, validatePodSpecUpdate } from './pod-validation.js';
import { fieldLabelsFor, selectableFieldsFor } from './selectable-fields.js';
import { carryServiceAllocations, defaultService, validateService, validateServiceUpdate } from './service.js';
import { defaultDeployment, defaultReplicaSet, validateDeployment, validateReplicaSet, validateSelectorUnchanged } from './workloads.js';

export interface KindStrategy {
  readonly group: string;
  readonly kind: string;
  /** Fill defaults in place, as the Kubernetes apiserver does for this kind/version. */
  applyDefaults(obj: KubeObject): void;
  /** Field errors for a create (paths like spec.template.spec.containers[0].image). */
  validateCreate(obj: KubeObject): FieldError[];
  /**
   * Field errors for an update, including immutable fields. Runs
   * prepareForUpdate on `obj` first (it is idempotent), so a PUT that omits
   * server-owned values is completed rather than rejected.
   */
  validateUpdate(obj: KubeObject, old: KubeObject): FieldError[];
  /**
   * Carries over what the server owns and a PUT may omit (uid,
   * creationTimestamp, deletion mark; Service clusterIP/nodePorts). Mutates
   * `obj`; idempotent.
   */
  prepareForUpdate(obj: KubeObject, old: KubeObject): void;
  /** Values for fieldSelector: metadata.name, metadata.namespace and the kind's own. */
  selectableFields(obj: KubeObject): Record<string, string>;
  /** The field selector names this kind accepts (others: `field label not supported`). */
  readonly fieldLabels: readonly string[];
}

interface KindRules {
  nameRule?: NameRule;
  defaults?: (o: KubeObject) => void;
  validate?: (o: KubeObject) => FieldError[];
  validateUpdate?: (o: KubeObject, old: KubeObject) => FieldError[];
  prepareForUpdate?: (o: KubeObject, old: KubeObject) => void;
}

const podRules: KindRules = {
  defaults: defaultPod,
  validate: (o) => validatePodSpec(o.spec, 'spec'),
  validateUpdate: (o, old) => validatePodSpecUpdate(o.spec, old.spec),
};

const KINDS: Record<string, KindRules> = {
  // Namespace finalizers change through /finalize, which also validates via
  // validateUpdate, so they are not reset here (see keepNamespaceFinalizers).
  '/Namespace': { nameRule: 'label', defaults: defaultNamespace, validate: validateNamespace },
  '/Pod': podRules,
  '/Binding': { validate: validateBinding },
  '/Node': { defaults: defaultNode, validate: validateNode, validateUpdate: validateNodeUpdate },
  '/Service': {
    nameRule: 'dns1035',
    defaults: defaultService,
    validate: validateService,
    validateUpdate: validateServiceUpdate,
    prepareForUpdate: carryServiceAllocations,
  },
  '/Endpoints': { defaults: defaultEndpoints, validate: validateEndpoints },
  '/ConfigMap': { validate: validateConfigMap, validateUpdate: validateConfigMapUpdate },
  '/Secret': { defaults: defaultSecret, validate: validateSecret, validateUpdate: validateSecretUpdate },
  '/Event': { nameRule: 'path-segment', validate: validateEvent },
  '/ServiceAccount': { validate: validateServiceAccount },
  'apps/Deployment': { defaults: defaultDeployment, validate: validateDeployment, validateUpdate: validateSelectorUnchanged },
  'apps/ReplicaSet': { defaults: defaultReplicaSet, validate: validateReplicaSet, validateUpdate: validateSelectorUnchanged },
  'autoscaling/HorizontalPodAutoscaler': { defaults: defaultHpa, validate: validateHpa },
  'coordination.k8s.io/Lease': { validate: validateLease },
  'discovery.k8s.io/EndpointSlice': { defaults: defaultEndpointSlice, validate: validateEndpointSlice, validateUpdate: validateEndpointSliceUpdate },
};

function build(group: string, kind: string, rules: KindRules): KindStrategy {
  const namespaced = RESOURCES.find((r) => r.group === group && r.kind === kind)?.namespaced ?? true;
  const meta = { namespaced, nameRule: rules.nameRule ?? 'subdomain' };
  const fieldLabels = fieldLabelsFor(group, kind);
  const prepare = (o: KubeObject, old: KubeObject): void => {
    carryServerMetadata(o, old);
    rules.prepareForUpdate?.(o, old);
  };
  return {
    group,
    kind,
    fieldLabels,
    applyDefaults(o) {
      if (!obj(o.metadata)) o.metadata = {};
      rules.defaults?.(o);
    },
    validateCreate(o) {
      return [...validateObjectMeta(o, meta), ...(rules.validate?.(o) ?? [])];
    },
    validateUpdate(o, old) {
      prepare(o, old);
      return [...validateObjectMetaUpdate(o, old, meta), ...(rules.validate?.(o) ?? []), ...(rules.validateUpdate?.(o, old) ?? [])];
    },
    prepareForUpdate: prepare,
    selectableFields(o) {
      return selectableFieldsFor(group, kind, o);
    },
  };
}

/**
 * What rest.BeforeUpdate keeps from the stored object whatever the request
 * says: the uid when none is given, the creation time, and a deletion mark
 * once set. (generation is left to the registry, which bumps it.)
 */
function carryServerMetadata(o: KubeObject, old: KubeObject): void {
  const meta = obj(o.metadata);
  const prev = obj(old.metadata);
  if (!meta || !prev) return;
  if (!meta.uid && prev.uid) meta.uid = prev.uid;
  if (prev.creationTimestamp) meta.creationTimestamp = prev.creationTimestamp;
  // Filled when omitted; a changed mark is left to the registry's delete path,
  // which may shorten a grace period.
  if (prev.deletionTimestamp && !meta.deletionTimestamp) meta.deletionTimestamp = prev.deletionTimestamp;
  if (prev.deletionGracePeriodSeconds !== undefined && meta.deletionGracePeriodSeconds === undefined) {
    meta.deletionGracePeriodSeconds = prev.deletionGracePeriodSeconds;
  }
}

const cache = new Map<string, KindStrategy>();

/**
 * The strategy for a kind. Every version of a kind shares one (HPA v1 is
 * converted to v2 before it gets here). A kind without special rules gets
 * ObjectMeta validation only.
 */
export function strategyFor(group: string, kind: string): KindStrategy {
  const key = `${group}/${kind}`;
  let s = cache.get(key);
  if (!s) {
    s = build(group, kind, KINDS[key] ?? {});
    cache.set(key, s);
  }
  return s;
}
