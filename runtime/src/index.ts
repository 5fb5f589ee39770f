// @wharf/runtime public entry point.
export { startRuntime, type RuntimeHandle } from './server.js';
export { runRuntimeCommand, RUNTIME_USAGE } from './command.js';
export { compileOptions, type RuntimeOptions, type CompiledOptions } from './options.js';
export { Runtime } from './runtime.js';
export {
  RuntimeError,
  NotFoundError,
  InvalidArgumentError,
  FailedPreconditionError,
  AlreadyExistsError,
  DeadlineExceededError,
  ResourceExhaustedError,
  CommandError,
} from './errors.js';
export { Cgroups, type CgroupVersion, type CgroupUsage } from './cgroups/cgroups.js';
export * from './images/index.js';
