// Everything needed to turn one container of a pod spec into a running
// runtime container: image per pull policy, environment, mounts, resources,
// labels that identify it after an agent restart, then create and start.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Container, Pod } from '@wharf/api';
import type * as P from '@wharf/proto';
import type { RuntimeClient } from '@wharf/proto';
import { Backoff } from './backoff.js';
import { PULL, QUICK, SLOW } from './util/deadlines.js';
import { buildEnv, expandCommand } from './env.js';
import { CreateContainerError, ImagePullError, RunContainerError } from './errors.js';
import type { NodeAllocatable } from './field-path.js';
import * as L from './labels.js';
import type { ObjectSource } from './object-source.js';
import { linuxResources } from './resources.js';
import type { VolumeManager } from './volumes.js';

export interface StartContext {
  pod: Pod;
  container: Container;
  kind: 'init' | 'app';
  attempt: number;
  sandboxId: string;
  sandboxConfig: P.DeepPartial<P.PodSandboxConfig>;
  podIP: string;
  hostIP: string;
  volumes: Map<string, string>;
}

export function defaultPullPolicy(image: string): 'Always' | 'IfNotPresent' {
  const last = image.split('/').pop() ?? image;
  if (last.includes('@')) return 'IfNotPresent';
  const tag = last.includes(':') ? last.slice(last.lastIndexOf(':') + 1) : '';
  return tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

export class ContainerStarter {
  /** uid/image → time of the last failed pull. */
  private readonly pullFailures = new Map<string, number>();

  constructor(
    private readonly runtime: RuntimeClient,
    private readonly volumes: VolumeManager,
    private readonly objects: ObjectSource,
    private readonly node: NodeAllocatable,
    private readonly pullBackoff: Backoff,
    private readonly onEvent: (pod: Pod, type: 'Normal' | 'Warning', reason: string, message: string) => void,
  ) {}

  /** Pulls (or checks) the image; throws ImagePullError with the Kubernetes reason. */
  async ensureImage(pod: Pod, c: Container, sandboxConfig: P.DeepPartial<P.PodSandboxConfig>): Promise<string> {
    const image = c.image ?? '';
    const policy = c.imagePullPolicy ?? defaultPullPolicy(image);
    const present = (await this.runtime.imageStatus({ image: { image } }, QUICK)).image;
    if (policy === 'Never') {
      if (!present) throw new ImagePullError(`Container image "${image}" is not present with pull policy of Never`, 'ErrImageNeverPull');
      this.onEvent(pod, 'Normal', 'Pulled', `Container image "${image}" already present on machine`);
      return present.id;
    }
    if (policy === 'IfNotPresent' && present) {
      this.onEvent(pod, 'Normal', 'Pulled', `Container image "${image}" already present on machine`);
      return present.id;
    }
    const key = `${pod.metadata.uid}/${image}`;
    const failedAt = this.pullFailures.get(key);
    if (failedAt !== undefined && this.pullBackoff.inBackoffSince(key, failedAt)) {
      throw new ImagePullError(`Back-off pulling image "${image}"`, 'ImagePullBackOff');
    }
    this.onEvent(pod, 'Normal', 'Pulling', `Pulling image "${image}"`);
    try {
      const res = await this.runtime.pullImage({ image: { image }, sandbox_config: sandboxConfig }, PULL);
      this.pullFailures.delete(key);
      this.pullBackoff.reset(key);
      this.onEvent(pod, 'Normal', 'Pulled', `Successfully pulled image "${image}"`);
      return res.image_ref;
    } catch (err) {
      const msg = errorMessage(err);
      if (present) {
        // Always with an unreachable registry: the local copy is the best we have (no registry is reachable from many Wharf nodes).
        this.onEvent(pod, 'Warning', 'Failed', `Failed to pull image "${image}", using the local copy: ${msg}`);
        return present.id;
      }
      this.pullFailures.set(key, Date.now());
      this.pullBackoff.next(key);
      this.onEvent(pod, 'Warning', 'Failed', `Failed to pull image "${image}": ${msg}`);
      throw new ImagePullError(`failed to pull image "${image}": ${msg}`, 'ErrImagePull', { cause: err });
    }
  }

  /** Creates and starts the container; returns its runtime id. */
  async start(ctx: StartContext): Promise<string> {
    const { pod, container: c } = ctx;
    await this.ensureImage(pod, c, ctx.sandboxConfig);
    const env = await buildEnv({ pod, container: c, podIP: ctx.podIP, hostIP: ctx.hostIP, node: this.node, objects: this.objects });
    const mounts = this.volumes.mounts(c, ctx.volumes);
    // The termination message file: a host file the container writes at terminationMessagePath.
    const messageFile = this.volumes.terminationMessageFile(pod.metadata.uid!, c.name, ctx.attempt);
    await fs.mkdir(path.dirname(messageFile), { recursive: true });
    await fs.writeFile(messageFile, '', { mode: 0o666 });
    await fs.chmod(messageFile, 0o666);
    mounts.push({ container_path: c.terminationMessagePath ?? '/dev/termination-log', host_path: messageFile, readonly: false });
    const labels: Record<string, string> = {
      [L.POD_UID]: pod.metadata.uid!,
      [L.POD_NAME]: pod.metadata.name!,
      [L.POD_NAMESPACE]: pod.metadata.namespace ?? 'default',
      [L.CONTAINER_NAME]: c.name,
      [L.CONTAINER_KIND]: ctx.kind,
      [L.MANAGED_BY]: L.MANAGER,
    };
    const config: P.DeepPartial<P.ContainerConfig> = {
      metadata: { name: c.name, attempt: ctx.attempt },
      image: { image: c.image ?? '' },
      command: expandCommand(c.command, env),
      args: expandCommand(c.args, env),
      working_dir: c.workingDir ?? '',
      envs: [...env].map(([key, value]) => ({ key, value })),
      mounts,
      labels,
      annotations: {
        [L.TERMINATION_GRACE]: String(pod.spec?.terminationGracePeriodSeconds ?? 30),
        [L.TERMINATION_MESSAGE_PATH]: c.terminationMessagePath ?? '/dev/termination-log',
      },
      log_path: path.join(c.name, `${ctx.attempt}.log`),
      stdin: c.stdin ?? false,
      stdin_once: c.stdinOnce ?? false,
      tty: c.tty ?? false,
      linux: {
        resources: linuxResources(c),
        security_context: {
          privileged: c.securityContext?.privileged ?? false,
          ...(c.securityContext?.runAsUser !== undefined || pod.spec?.securityContext?.runAsUser !== undefined
            ? { run_as_user: { value: c.securityContext?.runAsUser ?? pod.spec!.securityContext!.runAsUser! } }
            : {}),
          ...(c.securityContext?.runAsGroup !== undefined || pod.spec?.securityContext?.runAsGroup !== undefined
            ? { run_as_group: { value: c.securityContext?.runAsGroup ?? pod.spec!.securityContext!.runAsGroup! } }
            : {}),
          readonly_rootfs: c.securityContext?.readOnlyRootFilesystem ?? false,
          capabilities: { add_capabilities: c.securityContext?.capabilities?.add ?? [], drop_capabilities: c.securityContext?.capabilities?.drop ?? [] },
        },
      },
    };
    let id: string;
    try {
      id = (await this.runtime.createContainer({ pod_sandbox_id: ctx.sandboxId, config, sandbox_config: ctx.sandboxConfig }, SLOW)).container_id;
    } catch (err) {
      throw new CreateContainerError(errorMessage(err), { cause: err });
    }
    this.onEvent(pod, 'Normal', 'Created', `Created container ${c.name}`);
    await this.startCreated(pod, c.name, id);
    return id;
  }

  async startCreated(pod: Pod, name: string, id: string): Promise<void> {
    try {
      await this.runtime.startContainer({ container_id: id }, SLOW);
    } catch (err) {
      throw new RunContainerError(errorMessage(err), { cause: err });
    }
    this.onEvent(pod, 'Normal', 'Started', `Started container ${name}`);
  }
}

export function errorMessage(err: unknown): string {
  if (err && typeof err === 'object' && 'details' in err && typeof (err as { details: unknown }).details === 'string') return (err as { details: string }).details;
  return err instanceof Error ? err.message : String(err);
}
