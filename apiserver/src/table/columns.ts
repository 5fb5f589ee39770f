// Column definitions as Kubernetes' printers declare them. Only name, type and
// priority change what kubectl prints; the descriptions follow the API docs.
import type { TableColumnDefinition } from './types.js';

export function col(name: string, type: TableColumnDefinition['type'], description: string, priority = 0, format = ''): TableColumnDefinition {
  return { name, type, format, description, priority };
}

export const NAME_COLUMN = col(
  'Name',
  'string',
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names',
  0,
  'name',
);

export const AGE_COLUMN = col(
  'Age',
  'string',
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata',
);

export const CONTAINERS_COLUMN = col('Containers', 'string', 'Names of each container in the template.', 1);
export const IMAGES_COLUMN = col('Images', 'string', 'Images referenced by each container in the template.', 1);
