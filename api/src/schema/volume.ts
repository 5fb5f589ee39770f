// corev1.Volume and its sources.
import { any, atomicList, bool, describe, enumOf, int32, int64, obj, quantity, str } from './builders.js';
import { objectFieldSelectorSchema, resourceFieldSelectorSchema } from './container.js';

const core = (name: string) => `io.k8s.api.core.v1.${name}`;

const keyToPathSchema = obj(
  {
    key: str('key is the key to project.'),
    mode: int32('mode is Optional: mode bits used to set permissions on this file. Must be an octal value between 0000 and 0777 or a decimal value between 0 and 511.'),
    path: str("path is the relative path of the file to map the key to. May not be an absolute path. May not contain the path element '..'. May not start with the string '..'."),
  },
  { description: 'Maps a string key to a path within a volume.', required: ['key', 'path'], definitionName: core('KeyToPath') },
);

const items = (what: string) =>
  atomicList(
    keyToPathSchema,
    `items if unspecified, each key-value pair in the Data field of the referenced ${what} will be projected into the volume as a file whose name is the key and content is the value. If specified, the listed keys will be projected into the specified paths, and unlisted keys will not be present.`,
  );

const defaultMode = int32(
  'defaultMode is optional: mode bits used to set permissions on created files by default. Must be an octal value between 0000 and 0777 or a decimal value between 0 and 511. Defaults to 0644.',
);

const downwardAPIVolumeFileSchema = obj(
  {
    fieldRef: describe(objectFieldSelectorSchema, 'Required: Selects a field of the pod: only annotations, labels, name, namespace and uid are supported.'),
    mode: int32('Optional: mode bits used to set permissions on this file.'),
    path: str("Required: Path is  the relative path name of the file to be created. Must not be absolute or contain the '..' path."),
    resourceFieldRef: describe(resourceFieldSelectorSchema, 'Selects a resource of the container: only resources limits and requests (limits.cpu, limits.memory, requests.cpu and requests.memory) are currently supported.'),
  },
  { description: 'DownwardAPIVolumeFile represents information to create the file containing the pod field', required: ['path'], definitionName: core('DownwardAPIVolumeFile') },
);

const downwardAPIItems = atomicList(downwardAPIVolumeFileSchema, 'Items is a list of downward API volume file');

const volumeProjectionSchema = obj(
  {
    clusterTrustBundle: any('ClusterTrustBundle allows a pod to access the `.spec.trustBundle` field of ClusterTrustBundle objects in an auto-updating file.'),
    configMap: obj(
      { items: items('ConfigMap'), name: str('Name of the referent.'), optional: bool('optional specify whether the ConfigMap or its keys must be defined') },
      { description: 'configMap information about the configMap data to project', definitionName: core('ConfigMapProjection') },
    ),
    downwardAPI: obj({ items: downwardAPIItems }, { description: 'downwardAPI information about the downwardAPI data to project', definitionName: core('DownwardAPIProjection') }),
    secret: obj(
      { items: items('Secret'), name: str('Name of the referent.'), optional: bool('optional field specify whether the Secret or its key must be defined') },
      { description: 'secret information about the secret data to project', definitionName: core('SecretProjection') },
    ),
    serviceAccountToken: obj(
      {
        audience: str('audience is the intended audience of the token.'),
        expirationSeconds: int64('expirationSeconds is the requested duration of validity of the service account token. Defaults to 1 hour and must be at least 10 minutes.'),
        path: str('path is the path relative to the mount point of the file to project the token into.'),
      },
      { description: 'serviceAccountToken is information about the serviceAccountToken data to project', required: ['path'], definitionName: core('ServiceAccountTokenProjection') },
    ),
  },
  { description: 'Projection that may be projected along with other supported volume types. Exactly one of these fields must be set.', definitionName: core('VolumeProjection') },
);

/** Sources Wharf does not implement: accepted by the decoder (so real manifests are not "unknown field"), rejected by validation. */
const UNSUPPORTED_SOURCES = [
  'awsElasticBlockStore', 'azureDisk', 'azureFile', 'cephfs', 'cinder', 'csi', 'ephemeral', 'fc', 'flexVolume', 'flocker',
  'gcePersistentDisk', 'gitRepo', 'glusterfs', 'image', 'iscsi', 'nfs', 'photonPersistentDisk', 'portworxVolume', 'quobyte',
  'rbd', 'scaleIO', 'storageos', 'vsphereVolume',
];

export const volumeSchema = obj(
  {
    configMap: obj(
      { defaultMode, items: items('ConfigMap'), name: str('Name of the referent.'), optional: bool('optional specify whether the ConfigMap or its keys must be defined') },
      { description: 'configMap represents a configMap that should populate this volume', definitionName: core('ConfigMapVolumeSource') },
    ),
    downwardAPI: obj(
      { defaultMode, items: downwardAPIItems },
      { description: 'downwardAPI represents downward API about the pod that should populate this volume', definitionName: core('DownwardAPIVolumeSource') },
    ),
    emptyDir: obj(
      {
        medium: str('medium represents what type of storage medium should back this directory. The default is "" which means to use the node\'s default medium. Must be an empty string (default) or Memory.'),
        sizeLimit: quantity('sizeLimit is the total amount of local storage required for this EmptyDir volume.'),
      },
      { description: "emptyDir represents a temporary directory that shares a pod's lifetime.", definitionName: core('EmptyDirVolumeSource') },
    ),
    hostPath: obj(
      {
        path: str('path of the directory on the host. If the path is a symlink, it will follow the link to the real path.'),
        type: enumOf(['', 'BlockDevice', 'CharDevice', 'Directory', 'DirectoryOrCreate', 'File', 'FileOrCreate', 'Socket'], 'type for HostPath Volume Defaults to ""'),
      },
      {
        description: 'hostPath represents a pre-existing file or directory on the host machine that is directly exposed to the container.',
        required: ['path'],
        definitionName: core('HostPathVolumeSource'),
      },
    ),
    name: str("name of the volume. Must be a DNS_LABEL and unique within the pod."),
    persistentVolumeClaim: obj(
      {
        claimName: str('claimName is the name of a PersistentVolumeClaim in the same namespace as the pod using this volume.'),
        readOnly: bool('readOnly Will force the ReadOnly setting in VolumeMounts. Default false.'),
      },
      {
        description: 'persistentVolumeClaimVolumeSource represents a reference to a PersistentVolumeClaim in the same namespace.',
        required: ['claimName'],
        definitionName: core('PersistentVolumeClaimVolumeSource'),
      },
    ),
    projected: obj(
      { defaultMode, sources: atomicList(volumeProjectionSchema, 'sources is the list of volume projections. Each entry in this list handles one source.') },
      { description: 'projected items for all in one resources secrets, configmaps, and downward API', definitionName: core('ProjectedVolumeSource') },
    ),
    secret: obj(
      {
        defaultMode,
        items: items('Secret'),
        optional: bool('optional field specify whether the Secret or its keys must be defined'),
        secretName: str("secretName is the name of the secret in the pod's namespace to use."),
      },
      { description: 'secret represents a secret that should populate this volume.', definitionName: core('SecretVolumeSource') },
    ),
    ...Object.fromEntries(UNSUPPORTED_SOURCES.map((s) => [s, any(`${s} volumes are not supported by Wharf.`)])),
  },
  {
    description: 'Volume represents a named volume in a pod that may be accessed by any container in the pod.',
    required: ['name'],
    definitionName: core('Volume'),
  },
);

