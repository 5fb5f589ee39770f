// Loads runtime.proto at run time (no generated code to keep in sync): the
// .proto file ships beside dist/ and src/, one directory up from this file.
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

export const RUNTIME_PROTO_PATH = fileURLToPath(new URL('../runtime.proto', import.meta.url));

/** The decoding options every Wharf peer uses; types.ts describes their result. */
export const LOADER_OPTIONS: protoLoader.Options = {
  keepCase: true,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
};

let cached: { runtime: grpc.ServiceClientConstructor; image: grpc.ServiceClientConstructor } | undefined;

function load(): { runtime: grpc.ServiceClientConstructor; image: grpc.ServiceClientConstructor } {
  if (cached) return cached;
  const definition = protoLoader.loadSync(RUNTIME_PROTO_PATH, LOADER_OPTIONS);
  const root = grpc.loadPackageDefinition(definition) as unknown as {
    wharf: { runtime: { v1: { RuntimeService: grpc.ServiceClientConstructor; ImageService: grpc.ServiceClientConstructor } } };
  };
  const v1 = root.wharf.runtime.v1;
  cached = { runtime: v1.RuntimeService, image: v1.ImageService };
  return cached;
}

/** Service definitions for `server.addService`. */
export function runtimeServiceDefinition(): grpc.ServiceDefinition {
  return load().runtime.service;
}

export function imageServiceDefinition(): grpc.ServiceDefinition {
  return load().image.service;
}

export function serviceClientConstructors(): { runtime: grpc.ServiceClientConstructor; image: grpc.ServiceClientConstructor } {
  return load();
}
