// ConfigMap, Secret and ServiceAccount.
import { atomicList, bool, bytes, describe, map, mapList, str, stringMap } from './builders.js';
import { defineKind, localObjectReferenceSchema, objectReferenceSchema } from './meta.js';
import type { KindSchema } from './schema.js';

export const CONFIG_MAP_SCHEMA: KindSchema = defineKind({
  group: '',
  version: 'v1',
  kind: 'ConfigMap',
  pkg: 'core.v1',
  description: 'ConfigMap holds configuration data for pods to consume.',
  fields: {
    binaryData: map(
      bytes(),
      'BinaryData contains the binary data. Each key must consist of alphanumeric characters, \'-\', \'_\' or \'.\'. BinaryData can contain byte sequences that are not in the UTF-8 range.',
    ),
    data: stringMap(
      "Data contains the configuration data. Each key must consist of alphanumeric characters, '-', '_' or '.'. Values with non-UTF-8 byte sequences must use the BinaryData field.",
    ),
    immutable: bool('Immutable, if set to true, ensures that data stored in the ConfigMap cannot be updated (only object metadata can be modified).'),
  },
});

export const SECRET_SCHEMA: KindSchema = defineKind({
  group: '',
  version: 'v1',
  kind: 'Secret',
  pkg: 'core.v1',
  description: 'Secret holds secret data of a certain type. The total bytes of the values in the Data field must be less than MaxSecretSize bytes.',
  fields: {
    data: map(
      bytes(),
      "Data contains the secret data. Each key must consist of alphanumeric characters, '-', '_' or '.'. The serialized form of the secret data is a base64 encoded string, representing the arbitrary (possibly non-string) data value here.",
    ),
    immutable: bool('Immutable, if set to true, ensures that data stored in the Secret cannot be updated (only object metadata can be modified).'),
    stringData: stringMap(
      'stringData allows specifying non-binary secret data in string form. It is provided as a write-only input field for convenience. All keys and values are merged into the data field on write, overwriting any existing values. The stringData field is never output when reading from the API.',
    ),
    type: str('Used to facilitate programmatic handling of secret data.'),
  },
});

export const SERVICE_ACCOUNT_SCHEMA: KindSchema = defineKind({
  group: '',
  version: 'v1',
  kind: 'ServiceAccount',
  pkg: 'core.v1',
  description:
    'ServiceAccount binds together: * a name, understood by users, and perhaps by peripheral systems, for an identity * a principal that can be authenticated and authorized * a set of secrets',
  fields: {
    automountServiceAccountToken: bool('AutomountServiceAccountToken indicates whether pods running as this service account should have an API token automatically mounted.'),
    imagePullSecrets: atomicList(
      localObjectReferenceSchema,
      'ImagePullSecrets is a list of references to secrets in the same namespace to use for pulling any images in pods that reference this ServiceAccount.',
    ),
    secrets: mapList(
      describe(objectReferenceSchema, 'ObjectReference contains enough information to let you inspect or modify the referred object.'),
      ['name'],
      'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.',
    ),
  },
});

