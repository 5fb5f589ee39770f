// Controller ownerReferences: how owned objects map back to their owner.
import { controllerRef, type KubeObject, type OwnerReference } from '@wharf/api';

export function ownerRefTo(owner: KubeObject, apiVersion: string, kind: string): OwnerReference {
  return { apiVersion, kind, name: owner.metadata.name ?? '', uid: owner.metadata.uid ?? '', controller: true, blockOwnerDeletion: true };
}

/** The owner's key if obj is controlled by an object of `kind`. */
export function controllerKeyOf(obj: KubeObject, kind: string): string | undefined {
  const ref = controllerRef(obj);
  if (!ref || ref.kind !== kind) return undefined;
  return `${obj.metadata.namespace}/${ref.name}`;
}

export function isControlledBy(obj: KubeObject, owner: KubeObject): boolean {
  const ref = controllerRef(obj);
  return !!ref && ref.uid === owner.metadata.uid;
}

/** Merge patch that adopts obj: sets a controller ref, guarded by the obj's uid via the RV-free form Kubernetes uses. */
export function adoptPatch(obj: KubeObject, ref: OwnerReference): Record<string, unknown> {
  const refs = (obj.metadata.ownerReferences ?? []).filter((r) => r.uid !== ref.uid);
  return { metadata: { ownerReferences: [...refs, ref], uid: obj.metadata.uid, resourceVersion: obj.metadata.resourceVersion } };
}

/** Merge patch that releases obj from the owner with this uid. */
export function releasePatch(obj: KubeObject, ownerUid: string): Record<string, unknown> {
  const refs = (obj.metadata.ownerReferences ?? []).filter((r) => r.uid !== ownerUid);
  return { metadata: { ownerReferences: refs.length ? refs : null, uid: obj.metadata.uid, resourceVersion: obj.metadata.resourceVersion } };
}
