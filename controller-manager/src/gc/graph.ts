// The garbage collector's graph: every monitored object by uid, and for every
// owner uid the dependents that name it (owners may not exist: "virtual" nodes).
import type { KubeObject, ResourceInfo } from '@wharf/api';

export interface GraphNode {
  res: ResourceInfo;
  obj: KubeObject;
}

export class OwnerGraph {
  readonly byUid = new Map<string, GraphNode>();
  private readonly dependents = new Map<string, Set<string>>();

  upsert(res: ResourceInfo, obj: KubeObject): GraphNode | undefined {
    const uid = obj.metadata.uid ?? '';
    const prev = this.byUid.get(uid);
    if (prev) this.unlink(uid, prev.obj);
    this.byUid.set(uid, { res, obj });
    for (const ref of obj.metadata.ownerReferences ?? []) {
      let set = this.dependents.get(ref.uid);
      if (!set) this.dependents.set(ref.uid, (set = new Set()));
      set.add(uid);
    }
    return prev;
  }

  remove(obj: KubeObject): void {
    const uid = obj.metadata.uid ?? '';
    const prev = this.byUid.get(uid);
    if (!prev) return;
    this.unlink(uid, prev.obj);
    this.byUid.delete(uid);
  }

  private unlink(uid: string, obj: KubeObject): void {
    for (const ref of obj.metadata.ownerReferences ?? []) {
      const set = this.dependents.get(ref.uid);
      if (!set) continue;
      set.delete(uid);
      if (set.size === 0) this.dependents.delete(ref.uid);
    }
  }

  dependentsOf(uid: string): GraphNode[] {
    const out: GraphNode[] = [];
    for (const d of this.dependents.get(uid) ?? []) {
      const n = this.byUid.get(d);
      if (n) out.push(n);
    }
    return out;
  }
}

export const FINALIZER_ORPHAN = 'orphan';
export const FINALIZER_FOREGROUND = 'foregroundDeletion';

export function hasFinalizer(obj: KubeObject, f: string): boolean {
  return obj.metadata.finalizers?.includes(f) ?? false;
}
