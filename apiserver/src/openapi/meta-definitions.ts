// apimachinery definitions every group-version document references: list
// metadata, Status, DeleteOptions and the opaque Patch body.
import type { OpenApiSchema } from './convert.js';
import { ref } from './convert.js';

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';

const str = (description: string): OpenApiSchema => ({ type: 'string', description });
const int = (description: string, format = 'int32'): OpenApiSchema => ({ type: 'integer', format, description });

export const OBJECT_META_DEF = `${META}.ObjectMeta`;
export const LIST_META_DEF = `${META}.ListMeta`;

const API_VERSION = str('APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values.');
const KIND = str('Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase.');

export const META_DEFINITIONS: Record<string, OpenApiSchema> = {
  [LIST_META_DEF]: {
    type: 'object',
    description: 'ListMeta describes metadata that synthetic resources must have, including lists and various status objects.',
    properties: {
      continue: str('continue may be set if the user set a limit on the number of items returned.'),
      remainingItemCount: int('remainingItemCount is the number of subsequent items in the list which are not included in this list response.', 'int64'),
      resourceVersion: str("String that identifies the server's internal version of this object that can be used by clients to determine when objects have changed."),
      selfLink: str('Deprecated: selfLink is a legacy read-only field that is no longer populated by the system.'),
    },
  },
  [`${META}.StatusCause`]: {
    type: 'object',
    description: 'StatusCause provides more information about an api.Status failure, including cases when multiple errors are encountered.',
    properties: {
      field: str('The field of the resource that has caused this error, as named by its JSON serialization.'),
      message: str('A human-readable description of the cause of the error.'),
      reason: str('A machine-readable description of the cause of the error.'),
    },
  },
  [`${META}.StatusDetails`]: {
    type: 'object',
    description: 'StatusDetails is a set of additional properties that MAY be set by the server to provide additional information about a response.',
    properties: {
      causes: { type: 'array', items: ref(`${META}.StatusCause`), 'x-kubernetes-list-type': 'atomic', description: 'The Causes array includes more details associated with the StatusReason failure.' },
      group: str('The group attribute of the resource associated with the status StatusReason.'),
      kind: str('The kind attribute of the resource associated with the status StatusReason.'),
      name: str('The name attribute of the resource associated with the status StatusReason (when there is a single name which can be described).'),
      retryAfterSeconds: int('If specified, the time in seconds before the operation should be retried.'),
      uid: str('UID of the resource.'),
    },
  },
  [`${META}.Status`]: {
    type: 'object',
    description: 'Status is a return value for calls that don\'t return other objects.',
    properties: {
      apiVersion: API_VERSION,
      code: int('Suggested HTTP return code for this status, 0 if not set.'),
      details: { allOf: [ref(`${META}.StatusDetails`)], description: 'Extended data associated with the reason.' },
      kind: KIND,
      message: str('A human-readable description of the status of this operation.'),
      metadata: { allOf: [ref(LIST_META_DEF)], description: 'Standard list metadata.' },
      reason: str('A machine-readable description of why this operation is in the "Failure" status.'),
      status: str('Status of the operation. One of: "Success" or "Failure".'),
    },
    'x-kubernetes-group-version-kind': [{ group: '', kind: 'Status', version: 'v1' }],
  },
  [`${META}.Preconditions`]: {
    type: 'object',
    description: 'Preconditions must be fulfilled before an operation (update, delete, etc.) is carried out.',
    properties: {
      resourceVersion: str('Specifies the target ResourceVersion'),
      uid: str('Specifies the target UID.'),
    },
  },
  [`${META}.DeleteOptions`]: {
    type: 'object',
    description: 'DeleteOptions may be provided when deleting an API object.',
    properties: {
      apiVersion: API_VERSION,
      dryRun: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'atomic', description: 'When present, indicates that modifications should not be persisted.' },
      gracePeriodSeconds: int('The duration in seconds before the object should be deleted.', 'int64'),
      kind: KIND,
      orphanDependents: { type: 'boolean', description: 'Deprecated: please use the PropagationPolicy, this field will be deprecated in 1.7.' },
      preconditions: { allOf: [ref(`${META}.Preconditions`)], description: 'Must be fulfilled before a deletion is carried out.' },
      propagationPolicy: str("Whether and how garbage collection will be performed. Acceptable values are: 'Orphan', 'Background', 'Foreground'."),
    },
    'x-kubernetes-group-version-kind': [{ group: '', kind: 'DeleteOptions', version: 'v1' }],
  },
  [`${META}.Patch`]: {
    type: 'object',
    description: 'Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.',
  },
};

/** A kind we have no schema for yet: its identity and metadata are known, the rest is free-form. */
export function permissiveKind(description: string, gvk?: { group: string; version: string; kind: string }): OpenApiSchema {
  const out: OpenApiSchema = {
    type: 'object',
    description,
    properties: {
      apiVersion: API_VERSION,
      kind: KIND,
      metadata: { allOf: [ref(OBJECT_META_DEF)], description: "Standard object's metadata." },
    },
    'x-kubernetes-preserve-unknown-fields': true,
  };
  if (gvk) out['x-kubernetes-group-version-kind'] = [{ group: gvk.group, kind: gvk.kind, version: gvk.version }];
  return out;
}

export function listDefinition(itemDefinition: string, gvk: { group: string; version: string; kind: string }): OpenApiSchema {
  return {
    type: 'object',
    description: `${gvk.kind} is a list of ${gvk.kind.replace(/List$/, '')} objects.`,
    properties: {
      apiVersion: API_VERSION,
      items: { type: 'array', items: ref(itemDefinition), description: 'Items is the list of objects.' },
      kind: KIND,
      metadata: { allOf: [ref(LIST_META_DEF)], description: 'Standard list metadata.' },
    },
    required: ['items'],
    'x-kubernetes-group-version-kind': [{ group: gvk.group, kind: gvk.kind, version: gvk.version }],
  };
}

export const API_VERSION_SCHEMA = API_VERSION;
export const KIND_SCHEMA = KIND;
