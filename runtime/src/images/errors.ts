// One error class per image failure. `code` names the gRPC status the runtime
// server should answer with, so the mapping lives beside the failure rather than
// in a switch somewhere else.
export type ImageErrorCode =
  | 'NOT_FOUND'
  | 'INVALID_ARGUMENT'
  | 'DATA_LOSS'
  | 'UNAUTHENTICATED'
  | 'PERMISSION_DENIED'
  | 'UNAVAILABLE'
  | 'UNIMPLEMENTED'
  | 'FAILED_PRECONDITION'
  | 'INTERNAL';

export class ImageError extends Error {
  override name = 'ImageError';
  constructor(
    readonly code: ImageErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export class ImageNotFoundError extends ImageError {
  override name = 'ImageNotFoundError';
  constructor(readonly ref: string, options?: { cause?: unknown }) {
    super('NOT_FOUND', `image "${ref}" not found`, options);
  }
}

export class InvalidReferenceError extends ImageError {
  override name = 'InvalidReferenceError';
  constructor(readonly ref: string, reason: string, options?: { cause?: unknown }) {
    super('INVALID_ARGUMENT', `invalid image reference "${ref}": ${reason}`, options);
  }
}

/** An id prefix that matches more than one image. */
export class AmbiguousReferenceError extends ImageError {
  override name = 'AmbiguousReferenceError';
  constructor(readonly ref: string, readonly matches: string[], options?: { cause?: unknown }) {
    super('INVALID_ARGUMENT', `image reference "${ref}" is ambiguous: matches ${matches.join(', ')}`, options);
  }
}

/** Content whose sha256 (or size) is not what its descriptor promised. */
export class DigestMismatchError extends ImageError {
  override name = 'DigestMismatchError';
  constructor(
    readonly expected: string,
    readonly actual: string,
    what = 'content',
    options?: { cause?: unknown },
  ) {
    super('DATA_LOSS', `${what} digest mismatch: expected ${expected}, got ${actual}`, options);
  }
}

/** A manifest, config, layout or archive that does not follow the OCI/Docker formats. */
export class ImageFormatError extends ImageError {
  override name = 'ImageFormatError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('INVALID_ARGUMENT', message, options);
  }
}

export class UnsupportedMediaTypeError extends ImageError {
  override name = 'UnsupportedMediaTypeError';
  constructor(readonly mediaType: string, options?: { cause?: unknown }) {
    super('UNIMPLEMENTED', `unsupported media type "${mediaType}"`, options);
  }
}

/** No manifest in an index for the platform we run (linux/amd64). */
export class PlatformNotFoundError extends ImageError {
  override name = 'PlatformNotFoundError';
  constructor(readonly ref: string, readonly platform: string, options?: { cause?: unknown }) {
    super('NOT_FOUND', `image "${ref}" has no manifest for ${platform}`, options);
  }
}

/** A registry answered with an error status we cannot recover from. */
export class RegistryError extends ImageError {
  override name = 'RegistryError';
  constructor(
    readonly status: number,
    readonly url: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(registryCode(status), `registry request ${url} failed with ${status}: ${detail}`, options);
  }
}

export class RegistryAuthError extends ImageError {
  override name = 'RegistryAuthError';
  constructor(readonly url: string, detail: string, options?: { cause?: unknown }) {
    super('UNAUTHENTICATED', `registry authentication for ${url} failed: ${detail}`, options);
  }
}

/**
 * A registry that is not on loopback while remote registries are disabled
 * (the default: these machines may reach nothing else; see ImageStoreOptions).
 */
export class RemoteRegistryDisabledError extends ImageError {
  override name = 'RemoteRegistryDisabledError';
  constructor(readonly host: string, options?: { cause?: unknown }) {
    super('FAILED_PRECONDITION', `registry ${host} is not on loopback and remote registries are disabled (set WHARF_ALLOW_REMOTE_REGISTRIES=1 or allowRemoteRegistries)`, options);
  }
}

/** A child process (tar) that failed. */
export class ToolError extends ImageError {
  override name = 'ToolError';
  constructor(readonly tool: string, readonly exitCode: number | null, readonly stderr: string, options?: { cause?: unknown }) {
    super('INTERNAL', `${tool} failed (exit ${exitCode}): ${stderr.trim().slice(0, 2000)}`, options);
  }
}

function registryCode(status: number): ImageErrorCode {
  if (status === 404) return 'NOT_FOUND';
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 403) return 'PERMISSION_DENIED';
  if (status >= 500 || status === 429) return 'UNAVAILABLE';
  return 'INVALID_ARGUMENT';
}
