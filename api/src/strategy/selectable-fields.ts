// The fields each kind offers to fieldSelector, with the values Kubernetes'
// per-kind field-label conversion functions produce (booleans and counts as text).
import type { KubeObject } from '../meta.js';
import { obj, str } from './field-errors.js';

/** Adds a kind's fields to `out` (one object per call: this runs on every write the cache ingests). */
type FieldFn = (o: KubeObject, out: Record<string, string>) => void;

const text = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '');

const podFields: FieldFn = (o, out) => {
  const spec = obj(o.spec) ?? {};
  const status = obj(o.status) ?? {};
  out['spec.nodeName'] = text(spec.nodeName);
  out['spec.restartPolicy'] = text(spec.restartPolicy);
  out['spec.schedulerName'] = text(spec.schedulerName);
  out['spec.serviceAccountName'] = text(spec.serviceAccountName);
  out['spec.hostNetwork'] = spec.hostNetwork === true ? 'true' : 'false';
  out['status.phase'] = text(status.phase);
  out['status.podIP'] = text(status.podIP);
  out['status.nominatedNodeName'] = text(status.nominatedNodeName);
};

const eventFields: FieldFn = (o, out) => {
  const io = obj(o.involvedObject) ?? {};
  out['involvedObject.kind'] = text(io.kind);
  out['involvedObject.namespace'] = text(io.namespace);
  out['involvedObject.name'] = text(io.name);
  out['involvedObject.uid'] = text(io.uid);
  out['involvedObject.apiVersion'] = text(io.apiVersion);
  out['involvedObject.resourceVersion'] = text(io.resourceVersion);
  out['involvedObject.fieldPath'] = text(io.fieldPath);
  out['reason'] = text(o.reason);
  out['reportingComponent'] = text(o.reportingComponent);
  out['source'] = text(obj(o.source)?.component);
  out['type'] = text(o.type);
};

/** The names a FieldFn fills. */
function namesOf(fn: FieldFn): string[] {
  const out: Record<string, string> = {};
  fn({ metadata: {} }, out);
  return Object.keys(out);
}

/** Extra selectable fields by "group/Kind" (core group written as ""). */
const KIND_FIELDS: Record<string, { names: string[]; fn: FieldFn }> = {
  '/Pod': { names: namesOf(podFields), fn: podFields },
  '/Event': { names: namesOf(eventFields), fn: eventFields },
  '/Node': { names: ['spec.unschedulable'], fn: (o, out) => { out['spec.unschedulable'] = obj(o.spec)?.unschedulable === true ? 'true' : 'false'; } },
  '/Secret': { names: ['type'], fn: (o, out) => { out['type'] = text(o.type); } },
  '/Namespace': { names: ['status.phase'], fn: (o, out) => { out['status.phase'] = text(obj(o.status)?.phase); } },
  '/Service': {
    names: ['spec.clusterIP', 'spec.type'],
    fn: (o, out) => {
      out['spec.clusterIP'] = text(obj(o.spec)?.clusterIP);
      out['spec.type'] = text(obj(o.spec)?.type);
    },
  },
  'apps/ReplicaSet': { names: ['status.replicas'], fn: (o, out) => { out['status.replicas'] = text(obj(o.status)?.replicas ?? 0); } },
};

/** Field selector names a kind accepts; anything else is `field label not supported`. */
export function fieldLabelsFor(group: string, kind: string): string[] {
  return ['metadata.name', 'metadata.namespace', ...(KIND_FIELDS[`${group}/${kind}`]?.names ?? [])];
}

export function selectableFieldsFor(group: string, kind: string, o: KubeObject): Record<string, string> {
  const out: Record<string, string> = { 'metadata.name': str(o.metadata?.name) ?? '', 'metadata.namespace': str(o.metadata?.namespace) ?? '' };
  KIND_FIELDS[`${group}/${kind}`]?.fn(o, out);
  return out;
}
