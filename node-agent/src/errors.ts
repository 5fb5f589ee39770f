// Typed failures of a pod sync. Each maps to the waiting reason Kubernetes
// shows for the container it stopped.
export class ContainerConfigError extends Error {
  override readonly name = 'ContainerConfigError';
  readonly reason = 'CreateContainerConfigError';
}

export class ImagePullError extends Error {
  override readonly name = 'ImagePullError';
  constructor(
    message: string,
    readonly reason: 'ErrImagePull' | 'ErrImageNeverPull' | 'ImagePullBackOff' = 'ErrImagePull',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export class CreateContainerError extends Error {
  override readonly name = 'CreateContainerError';
  readonly reason = 'CreateContainerError';
}

export class RunContainerError extends Error {
  override readonly name = 'RunContainerError';
  readonly reason = 'RunContainerError';
}

export class HookError extends Error {
  override readonly name = 'HookError';
}
