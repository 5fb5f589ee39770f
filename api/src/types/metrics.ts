// metrics.k8s.io/v1beta1: resource usage computed on request, never stored.
import type { KubeObject } from '../meta.js';
import type { ResourceList } from './common.js';

export interface ContainerMetrics {
  name: string;
  usage: ResourceList;
}

export interface PodMetrics extends KubeObject {
  timestamp: string;
  /** A duration such as "10s". */
  window: string;
  containers: ContainerMetrics[];
}

export interface NodeMetrics extends KubeObject {
  timestamp: string;
  window: string;
  usage: ResourceList;
}
