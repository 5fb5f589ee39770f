// Serves the runtime over gRPC on a unix socket. Stopping (or SIGTERM) stops
// serving only: containers belong to their conmon and keep running, and a
// new runtime picks them up from the persisted state.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { imageServiceDefinition, runtimeServiceDefinition } from '@wharf/proto';
import { compileOptions, type CompiledOptions, type RuntimeOptions } from './options.js';
import { Runtime } from './runtime.js';
import { imageHandlers } from './service/image-service.js';
import { runtimeHandlers } from './service/runtime-service.js';
import { createLogger } from './util/logger.js';

export interface RuntimeHandle {
  options: CompiledOptions;
  runtime: Runtime;
  /** Stops accepting calls, lets running calls finish (up to graceMs), then closes. */
  stop(graceMs?: number): Promise<void>;
}

export async function startRuntime(raw: RuntimeOptions = {}): Promise<RuntimeHandle> {
  const options = compileOptions(raw);
  const log = createLogger('runtime', options.log);
  const runtime = await Runtime.open(options);
  const server = new grpc.Server({ 'grpc.max_receive_message_length': 64 * 1024 * 1024 });
  server.addService(runtimeServiceDefinition(), runtimeHandlers(runtime, log));
  server.addService(imageServiceDefinition(), imageHandlers(runtime, log));
  await fs.mkdir(path.dirname(options.socketPath), { recursive: true });
  // A socket file left by a killed predecessor would make bind fail.
  await fs.rm(options.socketPath, { force: true });
  await new Promise<void>((resolve, reject) =>
    server.bindAsync(`unix://${options.socketPath}`, grpc.ServerCredentials.createInsecure(), (err) => (err ? reject(err) : resolve())),
  );
  await fs.chmod(options.socketPath, 0o660);
  log.info('serving', { socket: options.socketPath, cgroupVersion: runtime.cgroups.version, podCIDR: options.podCidr.text });
  let stopped: Promise<void> | undefined;
  return {
    options,
    runtime,
    stop(graceMs = 5000) {
      stopped ??= new Promise<void>((resolve) => {
        const timer = setTimeout(() => server.forceShutdown(), graceMs);
        timer.unref();
        server.tryShutdown(() => {
          clearTimeout(timer);
          runtime.close();
          void fs.rm(options.socketPath, { force: true }).finally(resolve);
        });
      });
      return stopped;
    },
  };
}
