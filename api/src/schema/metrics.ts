// metrics.k8s.io/v1beta1 PodMetrics and NodeMetrics (computed, never stored).
import { list, obj, resourceList, str, time } from './builders.js';
import { defineKind } from './meta.js';
import type { KindSchema } from './schema.js';

const pkg = 'io.k8s.metrics.pkg.apis.metrics.v1beta1';

export const POD_METRICS_SCHEMA: KindSchema = defineKind({
  group: 'metrics.k8s.io',
  version: 'v1beta1',
  kind: 'PodMetrics',
  pkg,
  description: 'PodMetrics sets resource usage metrics of a pod.',
  fields: {
    containers: list(
      obj(
        { name: str('Container name corresponding to the one from pod.spec.containers.'), usage: resourceList('The memory usage is the memory working set.') },
        { description: 'ContainerMetrics sets resource usage metrics of a container.', required: ['name', 'usage'], definitionName: `${pkg}.ContainerMetrics` },
      ),
      'Metrics for all containers are collected within the same time window.',
    ),
    timestamp: time('The following fields define time interval from which metrics were collected from the interval [Timestamp-Window, Timestamp].'),
    window: str('The length of the interval the metrics were collected over, e.g. "10s".'),
  },
  required: ['timestamp', 'window', 'containers'],
});

export const NODE_METRICS_SCHEMA: KindSchema = defineKind({
  group: 'metrics.k8s.io',
  version: 'v1beta1',
  kind: 'NodeMetrics',
  pkg,
  description: 'NodeMetrics sets resource usage metrics of a node.',
  fields: {
    timestamp: time('The following fields define time interval from which metrics were collected from the interval [Timestamp-Window, Timestamp].'),
    usage: resourceList('The memory usage is the memory working set.'),
    window: str('The length of the interval the metrics were collected over, e.g. "10s".'),
  },
  required: ['timestamp', 'window', 'usage'],
});
