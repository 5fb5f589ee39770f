// Public exports of api/src/types (re-exported by api/src/index.ts).
export type * from './common.js';
export type * from './namespace.js';
export type * from './container.js';
export type * from './volume.js';
export type * from './affinity.js';
export type * from './pod.js';
export type * from './node.js';
export type * from './service.js';
export type * from './endpoints.js';
export type * from './config.js';
export type * from './event.js';
export type * from './lease.js';
export type * from './apps.js';
export type * from './autoscaling.js';
export type * from './metrics.js';
