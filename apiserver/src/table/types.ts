// meta.k8s.io/v1 Table: what the server answers when kubectl asks for
// `application/json;as=Table;v=v1;g=meta.k8s.io`.
import type { ObjectMeta } from '@wharf/api';

export interface TableColumnDefinition {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  format: string;
  description: string;
  /** 0 for the default columns; 1 for those kubectl shows only with `-o wide`. */
  priority: number;
}

export type TableCell = string | number | boolean | null;

export interface TableRowCondition {
  type: 'Completed';
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
}

export interface PartialObjectMetadata {
  kind: 'PartialObjectMetadata';
  apiVersion: 'meta.k8s.io/v1';
  metadata: ObjectMeta;
}

export interface TableRow {
  cells: TableCell[];
  conditions?: TableRowCondition[];
  object?: unknown;
}

export interface Table {
  kind: 'Table';
  apiVersion: 'meta.k8s.io/v1';
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  columnDefinitions: TableColumnDefinition[];
  rows: TableRow[];
}

/** `includeObject` query parameter: what each row carries besides its cells. */
export type IncludeObject = 'None' | 'Object' | 'Metadata';

export interface RenderTableOptions {
  /** The time ages are measured against; passed in so rendering is a pure function. */
  now: Date;
  listResourceVersion?: string;
  continue?: string;
  includeObject?: IncludeObject;
}

/** One row's cells (all columns, wide ones included: the server always renders them) and conditions. */
export interface PrintedRow {
  cells: TableCell[];
  conditions?: TableRowCondition[];
}

export interface Printer {
  columns: TableColumnDefinition[];
  print(obj: Record<string, unknown>, now: Date): PrintedRow;
}
