// Turns objects into a meta.k8s.io/v1 Table with the printer of their kind.
import type { KubeObject, ResourceInfo } from '@wharf/api';
import { AGE_COLUMN, NAME_COLUMN } from './columns.js';
import { timestampSince } from './duration.js';
import { asObj, asString } from './format.js';
import { metricsColumns, metricsRow } from './printers-metrics.js';
import { deploymentPrinter, endpointSlicePrinter, hpaPrinter, leasePrinter, replicaSetPrinter } from './printers-apps.js';
import {
  configMapPrinter,
  endpointsPrinter,
  eventPrinter,
  namespacePrinter,
  nodePrinter,
  podPrinter,
  secretPrinter,
  serviceAccountPrinter,
  servicePrinter,
} from './printers-core.js';
import type { IncludeObject, PartialObjectMetadata, Printer, RenderTableOptions, Table, TableRow } from './types.js';

/** NAME AGE for kinds without a dedicated printer. */
export const defaultPrinter: Printer = {
  columns: [NAME_COLUMN, AGE_COLUMN],
  print: (obj, now) => ({ cells: [asString(asObj(obj.metadata).name), timestampSince(asObj(obj.metadata).creationTimestamp, now)] }),
};

const PRINTERS: Record<string, Printer> = {
  '/Pod': podPrinter,
  '/Node': nodePrinter,
  '/Service': servicePrinter,
  '/Endpoints': endpointsPrinter,
  '/Namespace': namespacePrinter,
  '/ConfigMap': configMapPrinter,
  '/Secret': secretPrinter,
  '/ServiceAccount': serviceAccountPrinter,
  '/Event': eventPrinter,
  'apps/Deployment': deploymentPrinter,
  'apps/ReplicaSet': replicaSetPrinter,
  'autoscaling/HorizontalPodAutoscaler': hpaPrinter,
  'coordination.k8s.io/Lease': leasePrinter,
  'discovery.k8s.io/EndpointSlice': endpointSlicePrinter,
};

/** The printer for a resource: by group and kind, so every version prints alike. */
export function printerFor(info: Pick<ResourceInfo, 'group' | 'kind'>): Printer {
  return PRINTERS[`${info.group}/${info.kind}`] ?? defaultPrinter;
}

/** metrics-server's tables: the columns depend on what the first object measures. */
function metricsPrinter(objects: readonly KubeObject[]): Printer {
  const columns = metricsColumns(objects as unknown as Array<Record<string, unknown>>);
  return { columns, print: (obj) => metricsRow(obj, columns) };
}

/** PartialObjectMetadata of an object, without managedFields (as the apiserver sends it). */
export function partialObjectMetadata(obj: KubeObject): PartialObjectMetadata {
  const { managedFields: _managed, ...metadata } = obj.metadata;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: structuredClone(metadata) };
}

function row(printer: Printer, obj: KubeObject, now: Date, include: IncludeObject): TableRow {
  const printed = printer.print(obj as unknown as Record<string, unknown>, now);
  const out: TableRow = { cells: printed.cells };
  if (printed.conditions) out.conditions = printed.conditions;
  if (include === 'Metadata') out.object = partialObjectMetadata(obj);
  else if (include === 'Object') out.object = obj;
  return out;
}

/** A Table of `objects` with every column (kubectl hides priority-1 columns unless `-o wide`). */
export function renderTable(info: Pick<ResourceInfo, 'group' | 'kind'>, objects: readonly KubeObject[], opts: RenderTableOptions): Table {
  const printer = info.group === 'metrics.k8s.io' ? metricsPrinter(objects) : printerFor(info);
  const include = opts.includeObject ?? 'Metadata';
  const metadata: Table['metadata'] = {};
  if (opts.listResourceVersion !== undefined) metadata.resourceVersion = opts.listResourceVersion;
  if (opts.continue) metadata.continue = opts.continue;
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata,
    columnDefinitions: printer.columns.map((c) => ({ ...c })),
    rows: objects.map((o) => row(printer, o, opts.now, include)),
  };
}

/**
 * The object of one watch event when the watch asked for Tables: a one-row
 * Table. Kubernetes sends the column definitions with the first event only;
 * later events carry an empty list, which kubectl accepts.
 */
export function tableRowForWatch(
  info: Pick<ResourceInfo, 'group' | 'kind'>,
  object: KubeObject,
  opts: { now: Date; includeObject?: IncludeObject; withColumnDefinitions: boolean },
): Table {
  const table = renderTable(info, [object], { now: opts.now, includeObject: opts.includeObject ?? 'Metadata' });
  const rv = object.metadata.resourceVersion;
  table.metadata = rv === undefined ? {} : { resourceVersion: rv };
  if (!opts.withColumnDefinitions) table.columnDefinitions = [];
  return table;
}

/** True when an Accept header asks for meta.k8s.io Table output (v1 or v1beta1). */
export function acceptsTable(accept: string | undefined): boolean {
  if (!accept) return false;
  return accept.split(',').some((part) => {
    const params = part.split(';').map((p) => p.trim());
    return params.includes('as=Table') && params.includes('g=meta.k8s.io');
  });
}
