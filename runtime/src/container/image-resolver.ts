// What the container side needs from the image store: only the resolution of
// a reference to unpacked layers and the image's runtime defaults.
export interface ImageRuntimeConfig {
  User?: string;
  Env?: string[];
  Entrypoint?: string[] | null;
  Cmd?: string[] | null;
  WorkingDir?: string;
}

export interface ResolvedImageRef {
  id: string;
  repoTags: string[];
  repoDigests: string[];
  /** Snapshot directories, lowest layer first. */
  layers: string[];
  config: { config?: ImageRuntimeConfig };
}

export interface ImageResolver {
  resolve(ref: string): Promise<ResolvedImageRef | undefined>;
}
