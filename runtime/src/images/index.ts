// Public door of the image layer: the store, its options, errors, references.
export { ImageStore, normalizedName, pickPlatform, type ResolvedImage, type ImageStoreOptions } from './image-store.js';
export type { BuildOptions } from './build.js';
export type { ImportOptions } from './import.js';
export type { ExportOptions } from './export.js';
export type { PullOptions, PullProgress } from './pull.js';
export type { PushOptions, PushProgress } from './push.js';
export { RegistryClient, parseChallenge, type RegistryAuth } from './registry-client.js';
export {
  ImageError,
  ImageNotFoundError,
  InvalidReferenceError,
  AmbiguousReferenceError,
  DigestMismatchError,
  ImageFormatError,
  UnsupportedMediaTypeError,
  PlatformNotFoundError,
  RegistryError,
  RegistryAuthError,
  RemoteRegistryDisabledError,
  ToolError,
  type ImageErrorCode,
} from './errors.js';
export {
  parseReference,
  normalizeReference,
  formatReference,
  repositoryName,
  isLoopbackHost,
  defaultDomain,
  type ImageReference,
} from './reference.js';
export {
  MediaType,
  hostPlatform,
  type Descriptor,
  type OciImageConfig,
  type OciContainerConfig,
  type OciManifest,
  type OciIndex,
  type Platform,
} from './oci-types.js';
export { buildBusyboxImage, buildNodeImage, sharedLibraries, type ExampleBuildOptions } from './examples.js';
