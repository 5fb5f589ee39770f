// Public exports of api/src/strategy (re-exported by api/src/index.ts).
export { strategyFor } from './registry.js';
export type { KindStrategy } from './registry.js';
export {
  convertHpaV1ToV2,
  convertHpaV2ToV1,
  HPA_METRICS_ANNOTATION,
  HPA_CURRENT_METRICS_ANNOTATION,
  HPA_CONDITIONS_ANNOTATION,
  HPA_BEHAVIOR_ANNOTATION,
} from './hpa-convert.js';
export { defaultHpaBehavior, DEFAULT_CPU_UTILIZATION as HPA_DEFAULT_CPU_UTILIZATION } from './hpa.js';
export { scaleFromObject, applyScaleToObject, validateScale } from './scale.js';
export { podQosClass } from './pod-defaults.js';
export { keepNamespaceFinalizers } from './cluster-kinds.js';
export { NODE_PORT_RANGE as SERVICE_NODE_PORT_RANGE } from './service.js';
// quantity.ts has no sub-index of its own; it is published through this one.
export {
  parseQuantity,
  parseExactQuantity,
  milli,
  formatCpu,
  formatMemory,
  canonicalQuantity,
  compareQuantities,
  isValidQuantity,
  QuantityParseError,
} from '../quantity.js';
export type { ExactQuantity } from '../quantity.js';
// The one-walk decoding check every write runs before its strategy; schema/index.ts
// is not this folder's to change, so it is published through this index too.
export { findDecodingProblems, type DecodingProblems } from '../schema/unknown-fields.js';
