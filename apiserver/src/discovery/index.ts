// Discovery documents: pure functions of the resource table in @wharf/api.
export {
  AGGREGATED_DISCOVERY_CONTENT_TYPE,
  acceptsAggregatedDiscovery,
  aggregatedDiscovery,
  aggregatedDiscoveryContentType,
  negotiateAggregatedDiscovery,
  type AggregatedDiscoveryVersion,
} from './aggregated.js';
export { apiVersions, apiGroupList, apiGroup, findApiGroup, apiResourceList } from './legacy.js';
export type * from './types.js';
