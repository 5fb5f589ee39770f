// Served versions and the stored version. Only autoscaling has two served
// versions today (v2 stored, v1 converted); everything else is stored as served.
import { apiVersionOf, convertHpaV1ToV2, convertHpaV2ToV1, type KubeObject, type ResourceInfo } from '@wharf/api';

export function toStorageVersion(info: ResourceInfo, obj: KubeObject): KubeObject {
  if (info.storageVersion === apiVersionOf(info)) {
    obj.apiVersion = info.storageVersion;
    obj.kind = info.kind;
    return obj;
  }
  if (info.kind === 'HorizontalPodAutoscaler' && info.version === 'v1') return convertHpaV1ToV2(obj);
  throw new Error(`no conversion from ${apiVersionOf(info)} to ${info.storageVersion}`);
}

export function fromStorageVersion(info: ResourceInfo, obj: KubeObject): KubeObject {
  if (info.storageVersion === apiVersionOf(info)) return obj;
  if (info.kind === 'HorizontalPodAutoscaler' && info.version === 'v1') return convertHpaV2ToV1(obj);
  throw new Error(`no conversion from ${info.storageVersion} to ${apiVersionOf(info)}`);
}

export function needsConversion(info: ResourceInfo): boolean {
  return info.storageVersion !== apiVersionOf(info);
}
