// A promise-returning client for both services over one channel. The node
// agent is its main user; the runtime's tests use it too.
import * as grpc from '@grpc/grpc-js';
import { serviceClientConstructors } from './load.js';
import type * as T from './types.js';

type Unary<Req, Res> = (request?: T.DeepPartial<Req>, options?: CallOptions) => Promise<Res>;

export interface CallOptions {
  /** Milliseconds until the call fails with DEADLINE_EXCEEDED. */
  timeoutMs?: number;
}

export interface RuntimeClient {
  version: Unary<T.VersionRequest, T.VersionResponse>;
  status: Unary<T.StatusRequest, T.StatusResponse>;
  runPodSandbox: Unary<T.RunPodSandboxRequest, T.RunPodSandboxResponse>;
  stopPodSandbox: Unary<T.StopPodSandboxRequest, T.Empty>;
  removePodSandbox: Unary<T.RemovePodSandboxRequest, T.Empty>;
  podSandboxStatus: Unary<T.PodSandboxStatusRequest, T.PodSandboxStatusResponse>;
  listPodSandbox: Unary<T.ListPodSandboxRequest, T.ListPodSandboxResponse>;
  createContainer: Unary<T.CreateContainerRequest, T.CreateContainerResponse>;
  startContainer: Unary<T.StartContainerRequest, T.Empty>;
  stopContainer: Unary<T.StopContainerRequest, T.Empty>;
  removeContainer: Unary<T.RemoveContainerRequest, T.Empty>;
  listContainers: Unary<T.ListContainersRequest, T.ListContainersResponse>;
  containerStatus: Unary<T.ContainerStatusRequest, T.ContainerStatusResponse>;
  updateContainerResources: Unary<T.UpdateContainerResourcesRequest, T.Empty>;
  execSync: Unary<T.ExecSyncRequest, T.ExecSyncResponse>;
  containerStats: Unary<T.ContainerStatsRequest, T.ContainerStatsResponse>;
  listContainerStats: Unary<T.ListContainerStatsRequest, T.ListContainerStatsResponse>;
  podSandboxStats: Unary<T.PodSandboxStatsRequest, T.PodSandboxStatsResponse>;
  listImages: Unary<T.ListImagesRequest, T.ListImagesResponse>;
  imageStatus: Unary<T.ImageStatusRequest, T.ImageStatusResponse>;
  pullImage: Unary<T.PullImageRequest, T.PullImageResponse>;
  removeImage: Unary<T.RemoveImageRequest, T.Empty>;
  imageFsInfo: Unary<Record<string, never>, T.ImageFsInfoResponse>;
  /** Opens an interactive exec session (the bidirectional Exec stream). */
  exec(start: T.DeepPartial<T.ExecStart>): ExecSession;
  /** Resolves once the channel is connected (or rejects after timeoutMs). */
  waitForReady(timeoutMs: number): Promise<void>;
  close(): void;
}

export interface ExecSession {
  write(data: Buffer | Uint8Array | string): void;
  closeStdin(): void;
  resize(width: number, height: number): void;
  /** stdout/stderr frames as they arrive; ends after the exit code. */
  output: AsyncIterable<T.ExecServerFrame>;
  /** The process's exit code; rejects with the gRPC error if the call fails. */
  exitCode: Promise<number>;
  /** Cancels the call (the process is killed). */
  stop(): void;
}

const RUNTIME_METHODS = [
  'Version', 'Status', 'RunPodSandbox', 'StopPodSandbox', 'RemovePodSandbox', 'PodSandboxStatus', 'ListPodSandbox',
  'CreateContainer', 'StartContainer', 'StopContainer', 'RemoveContainer', 'ListContainers', 'ContainerStatus',
  'UpdateContainerResources', 'ExecSync', 'ContainerStats', 'ListContainerStats', 'PodSandboxStats',
] as const;
const IMAGE_METHODS = ['ListImages', 'ImageStatus', 'PullImage', 'RemoveImage', 'ImageFsInfo'] as const;

type RawClient = grpc.Client & Record<string, (...args: unknown[]) => unknown>;

function promisify(raw: RawClient, method: string): Unary<unknown, unknown> {
  return (request, options) =>
    new Promise((resolve, reject) => {
      const callOptions: grpc.CallOptions = {};
      if (options?.timeoutMs !== undefined) callOptions.deadline = Date.now() + options.timeoutMs;
      const fn = raw[method];
      if (!fn) throw new Error(`unknown method ${method}`);
      fn.call(raw, request ?? {}, new grpc.Metadata(), callOptions, (err: grpc.ServiceError | null, res: unknown) =>
        err ? reject(err) : resolve(res),
      );
    });
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

/** `endpoint` is `unix:///run/wharf/runtime.sock` or any gRPC target. */
export function createRuntimeClient(endpoint: string): RuntimeClient {
  const ctors = serviceClientConstructors();
  const credentials = grpc.credentials.createInsecure();
  const channelOptions = { 'grpc.max_receive_message_length': 64 * 1024 * 1024 };
  const runtime = new ctors.runtime(endpoint, credentials, channelOptions) as unknown as RawClient;
  const image = new ctors.image(endpoint, credentials, { ...channelOptions, channelOverride: runtime.getChannel() }) as unknown as RawClient;
  const client: Record<string, unknown> = {};
  for (const m of RUNTIME_METHODS) client[lowerFirst(m)] = promisify(runtime, m);
  for (const m of IMAGE_METHODS) client[lowerFirst(m)] = promisify(image, m);
  client.exec = (start: T.DeepPartial<T.ExecStart>) => openExec(runtime, start);
  client.waitForReady = (timeoutMs: number) =>
    new Promise<void>((resolve, reject) => runtime.waitForReady(Date.now() + timeoutMs, (err) => (err ? reject(err) : resolve())));
  client.close = () => {
    image.close();
    runtime.close();
  };
  return client as unknown as RuntimeClient;
}

function openExec(raw: RawClient, start: T.DeepPartial<T.ExecStart>): ExecSession {
  const call = (raw.Exec as (...a: unknown[]) => grpc.ClientDuplexStream<T.ExecClientFrame, T.ExecServerFrame>).call(raw);
  call.write({ start: start as T.ExecStart });
  let settled = false;
  const frames: T.ExecServerFrame[] = [];
  let wake: (() => void) | undefined;
  let finished = false;
  let resolveExit!: (code: number) => void;
  let rejectExit!: (err: unknown) => void;
  const exitCode = new Promise<number>((res, rej) => {
    resolveExit = res;
    rejectExit = rej;
  });
  exitCode.catch(() => undefined);
  call.on('data', (frame: T.ExecServerFrame) => {
    if (frame.frame === 'exit_code') {
      settled = true;
      resolveExit(frame.exit_code ?? 0);
    } else frames.push(frame);
    wake?.();
  });
  const end = (err?: unknown) => {
    finished = true;
    if (!settled) {
      settled = true;
      rejectExit(err ?? new Error('exec stream ended without an exit code'));
    }
    wake?.();
  };
  call.on('error', end);
  call.on('end', () => end());
  const output: AsyncIterable<T.ExecServerFrame> = {
    async *[Symbol.asyncIterator]() {
      for (;;) {
        const next = frames.shift();
        if (next) {
          yield next;
          continue;
        }
        if (finished || settled) return;
        await new Promise<void>((r) => (wake = r));
      }
    },
  };
  return {
    write: (data) => call.write({ stdin: typeof data === 'string' ? Buffer.from(data) : data }),
    closeStdin: () => call.write({ close_stdin: true }),
    resize: (width, height) => call.write({ resize: { width, height } }),
    output,
    exitCode,
    stop: () => call.cancel(),
  };
}
