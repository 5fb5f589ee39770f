// Schemas shared by every kind: ObjectMeta, LabelSelector, references, conditions.
import type { ObjectSchema, Schema } from './schema.js';
import type { KindSchema } from './schema.js';
import { any, atomicList, bool, enumOf, int64, mapList, obj, setList, str, stringMap, time } from './builders.js';

export const ownerReferenceSchema = obj(
  {
    apiVersion: str('API version of the referent.'),
    kind: str('Kind of the referent.'),
    name: str('Name of the referent.'),
    uid: str('UID of the referent.'),
    controller: bool('If true, this reference points to the managing controller.'),
    blockOwnerDeletion: bool(
      'If true, AND if the owner has the "foregroundDeletion" finalizer, then the owner cannot be deleted from the key-value store until this reference is removed.',
    ),
  },
  {
    description:
      'OwnerReference contains enough information to let you identify an owning object. An owning object must be in the same namespace as the dependent, or be cluster-scoped, so there is no namespace field.',
    required: ['apiVersion', 'kind', 'name', 'uid'],
    mapType: 'atomic',
    definitionName: 'io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference',
  },
);

export const managedFieldsEntrySchema = obj(
  {
    apiVersion: str('APIVersion defines the version of this resource that this field set applies to.'),
    fieldsType: str('FieldsType is the discriminator for the different fields format and version. There is currently only one possible value: "FieldsV1"'),
    fieldsV1: any('FieldsV1 holds the first JSON version format as described in the "FieldsV1" type.'),
    manager: str('Manager is an identifier of the workflow managing these fields.'),
    operation: str("Operation is the type of operation which lead to this ManagedFieldsEntry being created. The only valid values for this field are 'Apply' and 'Update'."),
    subresource: str('Subresource is the name of the subresource used to update that object, or empty string if the object was updated through the main resource.'),
    time: time('Time is the timestamp of when the ManagedFields entry was added.'),
  },
  {
    description:
      'ManagedFieldsEntry is a workflow-id, a FieldSet and the group version of the resource that the fieldset applies to.',
    definitionName: 'io.k8s.apimachinery.pkg.apis.meta.v1.ManagedFieldsEntry',
  },
);

export const objectMetaSchema = obj(
  {
    annotations: stringMap(
      'Annotations is an unstructured key value map stored with a resource that may be set by external tools to store and retrieve arbitrary metadata. They are not queryable and should be preserved when modifying objects.',
    ),
    creationTimestamp: time(
      'CreationTimestamp is a timestamp representing the server time when this object was created. Populated by the system. Read-only.',
    ),
    deletionGracePeriodSeconds: int64(
      'Number of seconds allowed for this object to gracefully terminate before it will be removed from the system. Only set when deletionTimestamp is also set.',
    ),
    deletionTimestamp: time(
      'DeletionTimestamp is RFC 3339 date and time at which this resource will be deleted. This field is set by the server when a graceful deletion is requested by the user, and is not directly settable by a client.',
    ),
    finalizers: setList(
      str(),
      'Must be empty before the object is deleted from the registry. Each entry is an identifier for the responsible component that will remove the entry from the list.',
      { merge: true },
    ),
    generateName: str(
      'GenerateName is an optional prefix, used by the server, to generate a unique name ONLY IF the Name field has not been provided.',
    ),
    generation: int64('A sequence number representing a specific generation of the desired state. Populated by the system. Read-only.'),
    labels: stringMap(
      'Map of string keys and values that can be used to organize and categorize (scope and select) objects. May match selectors of replication controllers and services.',
    ),
    managedFields: atomicList(
      managedFieldsEntrySchema,
      'ManagedFields maps workflow-id and version to the set of fields that are managed by that workflow. This is mostly for internal housekeeping, and users typically shouldn\'t need to set or understand this field.',
    ),
    name: str(
      'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Cannot be updated.',
    ),
    namespace: str(
      'Namespace defines the space within which each name must be unique. An empty namespace is equivalent to the "default" namespace. Cannot be updated.',
    ),
    ownerReferences: mapList(
      ownerReferenceSchema,
      ['uid'],
      'List of objects depended by this object. If ALL objects in the list have been deleted, this object will be garbage collected. If this object is managed by a controller, then an entry in this list will point to this controller, with the controller field set to true.',
    ),
    resourceVersion: str(
      'An opaque value that represents the internal version of this object that can be used by clients to determine when objects have changed. Populated by the system. Read-only.',
    ),
    selfLink: str('Deprecated: selfLink is a legacy read-only field that is no longer populated by the system.'),
    uid: str(
      'UID is the unique in time and space value for this object. It is typically generated by the server on successful creation of a resource and is not allowed to change on PUT operations. Populated by the system. Read-only.',
    ),
  },
  {
    description:
      'ObjectMeta is metadata that all persisted resources must have, which includes all objects users must create.',
    definitionName: 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
  },
);

export const labelSelectorRequirementSchema = obj(
  {
    key: str('key is the label key that the selector applies to.'),
    operator: str("operator represents a key's relationship to a set of values. Valid operators are In, NotIn, Exists and DoesNotExist."),
    values: atomicList(
      str(),
      'values is an array of string values. If the operator is In or NotIn, the values array must be non-empty. If the operator is Exists or DoesNotExist, the values array must be empty.',
    ),
  },
  {
    description:
      'A label selector requirement is a selector that contains values, a key, and an operator that relates the key and values.',
    required: ['key', 'operator'],
    definitionName: 'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelectorRequirement',
  },
);

export const labelSelectorSchema = obj(
  {
    matchExpressions: atomicList(
      labelSelectorRequirementSchema,
      'matchExpressions is a list of label selector requirements. The requirements are ANDed.',
    ),
    matchLabels: stringMap(
      'matchLabels is a map of {key,value} pairs. A single {key,value} in the matchLabels map is equivalent to an element of matchExpressions, whose key field is "key", the operator is "In", and the values array contains only "value". The requirements are ANDed.',
    ),
  },
  {
    description:
      'A label selector is a label query over a set of resources. The result of matchLabels and matchExpressions are ANDed. An empty label selector matches all objects. A null label selector matches no objects.',
    mapType: 'atomic',
    definitionName: 'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector',
  },
);

export const objectReferenceSchema = obj(
  {
    apiVersion: str('API version of the referent.'),
    fieldPath: str(
      'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2].',
    ),
    kind: str('Kind of the referent.'),
    name: str('Name of the referent.'),
    namespace: str('Namespace of the referent.'),
    resourceVersion: str('Specific resourceVersion to which this reference is made, if any.'),
    uid: str('UID of the referent.'),
  },
  {
    description: 'ObjectReference contains enough information to let you inspect or modify the referred object.',
    mapType: 'atomic',
    definitionName: 'io.k8s.api.core.v1.ObjectReference',
  },
);

export const localObjectReferenceSchema = obj(
  { name: str('Name of the referent.') },
  {
    description:
      'LocalObjectReference contains enough information to let you locate the referenced object inside the same namespace.',
    mapType: 'atomic',
    definitionName: 'io.k8s.api.core.v1.LocalObjectReference',
  },
);

/** metav1.Condition, the standard condition of newer APIs (Service status). */
export const metav1ConditionSchema = obj(
  {
    lastTransitionTime: time('lastTransitionTime is the last time the condition transitioned from one status to another.'),
    message: str('message is a human readable message indicating details about the transition. This may be an empty string.'),
    observedGeneration: int64('observedGeneration represents the .metadata.generation that the condition was set based upon.'),
    reason: str("reason contains a programmatic identifier indicating the reason for the condition's last transition."),
    status: enumOf(['True', 'False', 'Unknown'], 'status of the condition, one of True, False, Unknown.'),
    type: str('type of condition in CamelCase or in foo.example.com/CamelCase.'),
  },
  {
    description: 'Condition contains details for one aspect of the current state of this API Resource.',
    required: ['type', 'status', 'lastTransitionTime', 'reason', 'message'],
    definitionName: 'io.k8s.apimachinery.pkg.apis.meta.v1.Condition',
  },
);

/** The condition shape most core and apps kinds use (type, status, times, reason, message). */
export function conditionSchema(definitionName: string, description: string, extraTimes: string[] = []): ObjectSchema {
  const properties: Record<string, Schema> = {
    lastTransitionTime: time('Last time the condition transitioned from one status to another.'),
    message: str('A human readable message indicating details about the transition.'),
    reason: str("The reason for the condition's last transition."),
    status: str('Status of the condition, one of True, False, Unknown.'),
    type: str('Type of condition.'),
  };
  for (const t of extraTimes) properties[t] = time();
  return obj(properties, { description, required: ['type', 'status'], definitionName });
}

/** `conditions` lists merge by `type` in every kind Wharf serves. */
export function conditionsList(item: ObjectSchema, description: string) {
  return mapList(item, ['type'], description);
}

export const API_VERSION_DESCRIPTION =
  'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values.';
export const KIND_DESCRIPTION =
  'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase.';
export const METADATA_DESCRIPTION = "Standard object's metadata.";
export const SPEC_DESCRIPTION = 'Spec defines the desired behavior of this object.';
export const STATUS_DESCRIPTION = 'Status is the most recently observed status of this object. Populated by the system. Read-only.';

export interface KindDefinition {
  group: string;
  version: string;
  kind: string;
  /** Go package path segment for the OpenAPI name, e.g. "core.v1", "apps.v1". */
  pkg: string;
  description: string;
  /** Fields besides apiVersion, kind and metadata (usually spec and status). */
  fields: Record<string, Schema>;
  required?: string[];
}

/** Wraps a kind's own fields with apiVersion, kind and metadata, as every Kubernetes kind has. */
export function defineKind(def: KindDefinition): KindSchema {
  const pkgPrefix = def.pkg.startsWith('io.') ? def.pkg : `io.k8s.api.${def.pkg}`;
  const definitionName = `${pkgPrefix}.${def.kind}`;
  const opts: { description: string; definitionName: string; required?: string[] } = {
    description: def.description,
    definitionName,
  };
  if (def.required) opts.required = def.required;
  return {
    group: def.group,
    kind: def.kind,
    version: def.version,
    definitionName,
    schema: obj(
      {
        apiVersion: str(API_VERSION_DESCRIPTION),
        kind: str(KIND_DESCRIPTION),
        metadata: { ...objectMetaSchema, description: METADATA_DESCRIPTION },
        ...def.fields,
      },
      opts,
    ),
  };
}

