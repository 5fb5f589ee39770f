// metrics.k8s.io inside the apiserver: scraper, shaping and the router seam.
export { MetricsApi, type MetricsApiOptions } from './metrics-api.js';
export { registerMetricsApi, serveMetricsApi } from './serve.js';
export { MetricsScraper, ScrapeError, fetchSummary, endpointOf, isNodeReady, type StatsSummary, type PodPoint, type NodePoint, type NodeEndpoint } from './scraper.js';
export { podMetricsOf, nodeMetricsOf, METRICS_API_VERSION } from './shape.js';
export { formatNanoCores, formatWorkingSet, formatWindow, rateBetween, CounterRates } from './rates.js';
