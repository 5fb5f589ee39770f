// The `scale` subresource (autoscaling/v1 Scale) of Deployments and ReplicaSets:
// built from the parent object, validated, and written back as spec.replicas.
import type { FieldError } from '../errors.js';
import type { KubeObject } from '../meta.js';
import type { ResourceInfo } from '../resources.js';
import { labelSelectorString, type LabelSelectorObject } from '../selectors/label-selector.js';
import { child, fieldInvalid, fieldRequired, obj, type Json } from './field-errors.js';

/** The Scale a GET /scale returns for `parent` (identity metadata, replicas, selector as a string). */
export function scaleFromObject(parent: KubeObject, _info?: Pick<ResourceInfo, 'group' | 'kind'>): KubeObject {
  const meta = parent.metadata;
  const spec = obj(parent.spec) ?? {};
  const status = obj(parent.status) ?? {};
  const scaleMeta: Json = {};
  for (const k of ['name', 'namespace', 'uid', 'resourceVersion', 'creationTimestamp'] as const) if (meta[k] !== undefined) scaleMeta[k] = meta[k];
  return {
    apiVersion: 'autoscaling/v1',
    kind: 'Scale',
    metadata: scaleMeta,
    spec: { replicas: typeof spec.replicas === 'number' ? spec.replicas : 0 },
    status: {
      replicas: typeof status.replicas === 'number' ? status.replicas : 0,
      selector: labelSelectorString(obj(spec.selector) as LabelSelectorObject | undefined),
    },
  };
}

/** ValidateScale: spec.replicas must be a non-negative integer. */
export function validateScale(scale: KubeObject): FieldError[] {
  const spec = obj(scale.spec);
  if (!spec) return [fieldRequired('spec')];
  const replicas = spec.replicas;
  if (replicas === undefined || replicas === null) return [];
  if (typeof replicas !== 'number' || !Number.isInteger(replicas)) return [fieldInvalid('spec.replicas', replicas, 'must be an integer')];
  return replicas < 0 ? [fieldInvalid('spec.replicas', replicas, 'must be greater than or equal to 0')] : [];
}

/** Applies a Scale's spec.replicas to the parent, in place (the parent's other fields stay as stored). */
export function applyScaleToObject(parent: KubeObject, scale: KubeObject): KubeObject {
  const replicas = obj(scale.spec)?.replicas;
  child(parent, 'spec').replicas = typeof replicas === 'number' ? replicas : 0;
  return parent;
}
