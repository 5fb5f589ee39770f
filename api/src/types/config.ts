// ConfigMap and Secret: configuration handed to pods.
import type { KubeObject } from '../meta.js';
import type { LocalObjectReference, ObjectReference } from './common.js';

export interface ConfigMap extends KubeObject {
  immutable?: boolean;
  data?: Record<string, string>;
  /** Base64-encoded in JSON. */
  binaryData?: Record<string, string>;
}

export interface Secret extends KubeObject {
  immutable?: boolean;
  /** Base64-encoded values. */
  data?: Record<string, string>;
  /** Write-only plain values, merged into data on write. */
  stringData?: Record<string, string>;
  type?: string;
}

export interface ServiceAccount extends KubeObject {
  secrets?: ObjectReference[];
  imagePullSecrets?: LocalObjectReference[];
  automountServiceAccountToken?: boolean;
}
