// Printers for apps, autoscaling, coordination and discovery kinds.
import type { LabelSelector } from '@wharf/api';
import { AGE_COLUMN, CONTAINERS_COLUMN, IMAGES_COLUMN, NAME_COLUMN, col } from './columns.js';
import { timestampSince } from './duration.js';
import { asArray, asNumber, asObj, asString, formatLabelSelector, layoutContainerCells, listWithMore, selectorString, type Obj } from './format.js';
import type { Printer } from './types.js';

const meta = (o: Obj) => asObj(o.metadata);
const nameOf = (o: Obj) => asString(meta(o).name);
const age = (o: Obj, now: Date) => timestampSince(meta(o).creationTimestamp, now);
const templateContainers = (spec: Obj) => asObj(asObj(spec.template).spec).containers;
// The apiserver defaults replicas to 1 before anything is stored.
const replicasOf = (spec: Obj) => asNumber(spec.replicas, 1);

export const deploymentPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    col('Ready', 'string', 'Number of the pod with ready state'),
    col('Up-to-date', 'string', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.'),
    col('Available', 'string', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.'),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
    col('Selector', 'string', 'Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.', 1),
  ],
  print(d, now) {
    const spec = asObj(d.spec);
    const status = asObj(d.status);
    const [names, images] = layoutContainerCells(templateContainers(spec));
    return {
      cells: [
        nameOf(d),
        `${asNumber(status.readyReplicas)}/${replicasOf(spec)}`,
        asNumber(status.updatedReplicas),
        asNumber(status.availableReplicas),
        age(d, now),
        names,
        images,
        selectorString(spec.selector as LabelSelector | undefined),
      ],
    };
  },
};

export const replicaSetPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    col('Desired', 'integer', 'Replicas is the number of desired pods.'),
    col('Current', 'integer', 'Replicas is the most recently observed number of non-terminating pods.'),
    col('Ready', 'integer', 'The number of non-terminating pods targeted by this ReplicaSet with a Ready Condition.'),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
    col('Selector', 'string', 'Selector is a label query over pods that should match the replica count.', 1),
  ],
  print(rs, now) {
    const spec = asObj(rs.spec);
    const status = asObj(rs.status);
    const [names, images] = layoutContainerCells(templateContainers(spec));
    return {
      cells: [
        nameOf(rs),
        replicasOf(spec),
        asNumber(status.replicas),
        asNumber(status.readyReplicas),
        age(rs, now),
        names,
        images,
        formatLabelSelector(spec.selector as LabelSelector | undefined),
      ],
    };
  },
};

const pct = (n: unknown) => `${asNumber(n)}%`;

function targetOf(spec: Obj, status: Obj | undefined, source: string): string {
  const s = asObj(spec[source]);
  const target = asObj(s.target);
  const current = status ? asObj(asObj(status[source]).current) : undefined;
  const named = source === 'resource' || source === 'containerResource' ? `${asString(s.name)}: ` : '';
  if (source === 'pods') {
    return `${asString(current?.averageValue) || '<unknown>'}/${asString(target.averageValue)}`;
  }
  if (target.averageValue !== undefined) {
    const cur = asString(current?.averageValue) || '<unknown>';
    const avg = source === 'external' || source === 'object' ? ' (avg)' : '';
    return `${named}${cur}/${asString(target.averageValue)}${avg}`;
  }
  if (source === 'external' || source === 'object') {
    return `${current && current.value !== undefined ? asString(current.value) : '<unknown>'}/${asString(target.value)}`;
  }
  const cur = current && current.averageUtilization !== undefined ? pct(current.averageUtilization) : '<unknown>';
  const want = target.averageUtilization !== undefined ? pct(target.averageUtilization) : '<auto>';
  return `${named}${cur}/${want}`;
}

const SOURCE_FIELD: Record<string, string> = {
  External: 'external',
  Pods: 'pods',
  Object: 'object',
  Resource: 'resource',
  ContainerResource: 'containerResource',
};

/** The TARGETS cell: `cpu: 30%/50%`, at most two metrics then `+ N more...`. */
export function formatHpaMetrics(specs: Obj[], statuses: Obj[]): string {
  if (specs.length === 0) return '<none>';
  const list = specs.map((spec, i) => {
    const field = SOURCE_FIELD[asString(spec.type)];
    if (!field) return '<unknown type>';
    const status = statuses[i];
    return targetOf(spec, status && status[field] !== undefined ? status : undefined, field);
  });
  const shown = list.slice(0, 2).join(', ');
  return list.length > 2 ? `${shown} + ${list.length - 2} more...` : shown;
}

/** autoscaling/v1 objects carry one CPU target; v2 is what the printer understands. */
function hpaMetrics(hpa: Obj): { specs: Obj[]; statuses: Obj[] } {
  const spec = asObj(hpa.spec);
  const status = asObj(hpa.status);
  if (Array.isArray(spec.metrics)) return { specs: asArray(spec.metrics), statuses: asArray(status.currentMetrics) };
  if (!asString(hpa.apiVersion).endsWith('/v1') && spec.targetCPUUtilizationPercentage === undefined) return { specs: [], statuses: [] };
  const target = asNumber(spec.targetCPUUtilizationPercentage, 80);
  const specs = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: target } } }];
  const statuses =
    status.currentCPUUtilizationPercentage !== undefined
      ? [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: asNumber(status.currentCPUUtilizationPercentage) } } }]
      : [];
  return { specs, statuses };
}

export const hpaPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    col('Reference', 'string', 'scaleTargetRef points to the target resource to scale, and is used to the pods for which metrics should be collected, as well as to actually change the replica count.'),
    col('Targets', 'string', 'metrics contains the specifications for which to use to calculate the desired replica count (the maximum replica count across all metrics will be used).'),
    col('MinPods', 'string', 'minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down.'),
    col('MaxPods', 'string', 'maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up.'),
    col('Replicas', 'string', 'currentReplicas is current number of replicas of pods managed by this autoscaler, as last seen by the autoscaler.'),
    AGE_COLUMN,
  ],
  print(hpa, now) {
    const spec = asObj(hpa.spec);
    const ref = asObj(spec.scaleTargetRef);
    const { specs, statuses } = hpaMetrics(hpa);
    return {
      cells: [
        nameOf(hpa),
        `${asString(ref.kind)}/${asString(ref.name)}`,
        formatHpaMetrics(specs, statuses),
        spec.minReplicas === undefined ? '<unset>' : String(asNumber(spec.minReplicas)),
        asNumber(spec.maxReplicas),
        asNumber(asObj(hpa.status).currentReplicas),
        age(hpa, now),
      ],
    };
  },
};

export const leasePrinter: Printer = {
  columns: [NAME_COLUMN, col('Holder', 'string', 'holderIdentity contains the identity of the holder of a current lease.'), AGE_COLUMN],
  print: (l, now) => ({ cells: [nameOf(l), asString(asObj(l.spec).holderIdentity), age(l, now)] }),
};

export const endpointSlicePrinter: Printer = {
  columns: [
    NAME_COLUMN,
    col('AddressType', 'string', 'addressType specifies the type of address carried by this EndpointSlice.'),
    col('Ports', 'string', 'ports specifies the list of network ports exposed by each endpoint in this slice.'),
    col('Endpoints', 'string', 'endpoints is a list of unique endpoints in this slice.'),
    AGE_COLUMN,
  ],
  print(slice, now) {
    const ports = asArray(slice.ports).map((p) => (p.port !== undefined && p.port !== null ? String(asNumber(p.port)) : asString(p.name) || '*'));
    const addresses = asArray(slice.endpoints).flatMap((e) => (Array.isArray(e.addresses) ? (e.addresses as string[]) : []));
    return {
      cells: [nameOf(slice), asString(slice.addressType), listWithMore(ports, ports.length, 3, '<unset>'), listWithMore(addresses, addresses.length, 3, '<unset>'), age(slice, now)],
    };
  },
};
