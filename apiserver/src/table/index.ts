// Table output (meta.k8s.io/v1) with the columns of Kubernetes' own printers.
export { renderTable, tableRowForWatch, printerFor, partialObjectMetadata, acceptsTable, defaultPrinter } from './render.js';
export { humanDuration, timestampSince } from './duration.js';
export { formatHpaMetrics } from './printers-apps.js';
export { sumQuantities } from './printers-metrics.js';
export type * from './types.js';
