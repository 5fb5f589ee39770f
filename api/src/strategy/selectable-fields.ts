// The fields each kind offers to fieldSelector, with the values Kubernetes'
// per-kind field-label conversion functions produce (booleans and counts as text).
import type { KubeObject } from '../meta.js';
import { obj, str } from './field-errors.js';

type FieldFn = (o: KubeObject) => Record<string, string>;

const text = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '');

const podFields: FieldFn = (o) => {
  const spec = obj(o.spec) ?? {};
  const status = obj(o.status) ?? {};
  return {
    'spec.nodeName': text(spec.nodeName),
    'spec.restartPolicy': text(spec.restartPolicy),
    'spec.schedulerName': text(spec.schedulerName),
    'spec.serviceAccountName': text(spec.serviceAccountName),
    'spec.hostNetwork': spec.hostNetwork === true ? 'true' : 'false',
    'status.phase': text(status.phase),
    'status.podIP': text(status.podIP),
    'status.nominatedNodeName': text(status.nominatedNodeName),
  };
};

const eventFields: FieldFn = (o) => {
  const io = obj(o.involvedObject) ?? {};
  return {
    'involvedObject.kind': text(io.kind),
    'involvedObject.namespace': text(io.namespace),
    'involvedObject.name': text(io.name),
    'involvedObject.uid': text(io.uid),
    'involvedObject.apiVersion': text(io.apiVersion),
    'involvedObject.resourceVersion': text(io.resourceVersion),
    'involvedObject.fieldPath': text(io.fieldPath),
    reason: text(o.reason),
    reportingComponent: text(o.reportingComponent),
    source: text(obj(o.source)?.component),
    type: text(o.type),
  };
};

/** Extra selectable fields by "group/Kind" (core group written as ""). */
const KIND_FIELDS: Record<string, { names: string[]; fn: FieldFn }> = {
  '/Pod': { names: Object.keys(podFields({ metadata: {} })), fn: podFields },
  '/Event': { names: Object.keys(eventFields({ metadata: {} })), fn: eventFields },
  '/Node': { names: ['spec.unschedulable'], fn: (o) => ({ 'spec.unschedulable': obj(o.spec)?.unschedulable === true ? 'true' : 'false' }) },
  '/Secret': { names: ['type'], fn: (o) => ({ type: text(o.type) }) },
  '/Namespace': { names: ['status.phase'], fn: (o) => ({ 'status.phase': text(obj(o.status)?.phase) }) },
  '/Service': {
    names: ['spec.clusterIP', 'spec.type'],
    fn: (o) => ({ 'spec.clusterIP': text(obj(o.spec)?.clusterIP), 'spec.type': text(obj(o.spec)?.type) }),
  },
  'apps/ReplicaSet': { names: ['status.replicas'], fn: (o) => ({ 'status.replicas': text(obj(o.status)?.replicas ?? 0) }) },
};

/** Field selector names a kind accepts; anything else is `field label not supported`. */
export function fieldLabelsFor(group: string, kind: string): string[] {
  return ['metadata.name', 'metadata.namespace', ...(KIND_FIELDS[`${group}/${kind}`]?.names ?? [])];
}

export function selectableFieldsFor(group: string, kind: string, o: KubeObject): Record<string, string> {
  const base = { 'metadata.name': str(o.metadata?.name) ?? '', 'metadata.namespace': str(o.metadata?.namespace) ?? '' };
  const extra = KIND_FIELDS[`${group}/${kind}`];
  return extra ? { ...base, ...extra.fn(o) } : base;
}
