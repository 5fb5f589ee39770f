// The registry of kind schemas: one per served kind (and per version where versions differ).
import { DEPLOYMENT_SCHEMA, REPLICA_SET_SCHEMA } from './apps.js';
import { HPA_V1_SCHEMA, HPA_V2_SCHEMA, SCALE_SCHEMA } from './autoscaling.js';
import { CONFIG_MAP_SCHEMA, SECRET_SCHEMA, SERVICE_ACCOUNT_SCHEMA } from './config.js';
import { ENDPOINT_SLICE_SCHEMA, ENDPOINTS_SCHEMA } from './endpoints.js';
import { EVENT_SCHEMA } from './event.js';
import { LEASE_SCHEMA } from './lease.js';
import { NODE_METRICS_SCHEMA, POD_METRICS_SCHEMA } from './metrics.js';
import { NAMESPACE_SCHEMA } from './namespace.js';
import { NODE_SCHEMA } from './node.js';
import { BINDING_SCHEMA, POD_SCHEMA } from './pod.js';
import type { KindSchema } from './schema.js';
import { SERVICE_SCHEMA } from './service.js';

export const ALL_KIND_SCHEMAS: readonly KindSchema[] = [
  NAMESPACE_SCHEMA,
  POD_SCHEMA,
  BINDING_SCHEMA,
  NODE_SCHEMA,
  SERVICE_SCHEMA,
  ENDPOINTS_SCHEMA,
  CONFIG_MAP_SCHEMA,
  SECRET_SCHEMA,
  EVENT_SCHEMA,
  SERVICE_ACCOUNT_SCHEMA,
  DEPLOYMENT_SCHEMA,
  REPLICA_SET_SCHEMA,
  SCALE_SCHEMA,
  HPA_V2_SCHEMA,
  HPA_V1_SCHEMA,
  LEASE_SCHEMA,
  ENDPOINT_SLICE_SCHEMA,
  POD_METRICS_SCHEMA,
  NODE_METRICS_SCHEMA,
];

/**
 * The schema of a kind. Without a version, the first registered one wins, which
 * for HorizontalPodAutoscaler is v2, the stored version.
 */
export function schemaFor(group: string, kind: string, version?: string): KindSchema | undefined {
  return ALL_KIND_SCHEMAS.find(
    (s) => s.group === group && s.kind === kind && (version === undefined || s.version === undefined || s.version === version),
  );
}
