// The agent's view of the runtime, grouped by pod uid. Sandboxes and
// containers are listed (cheap), container statuses are fetched only when a
// container is new or its state changed, so a relist of an idle node costs two
// calls. The PLEG and the pod workers share one instance.
import type * as P from '@wharf/proto';
import type { RuntimeClient } from '@wharf/proto';
import { CONTAINER_NAME, MANAGED_BY, MANAGER, POD_UID } from './labels.js';
import { QUICK } from './util/deadlines.js';

export interface RuntimeContainer {
  id: string;
  name: string;
  attempt: number;
  sandboxId: string;
  state: P.ContainerState;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  status: P.ContainerStatus;
}

export interface RuntimePod {
  uid: string;
  /** Newest first. */
  sandboxes: P.PodSandbox[];
  /** Newest attempt first. */
  containers: RuntimeContainer[];
}

const EMPTY_STATUS_KEY = '';
const GRPC_NOT_FOUND = 5;

export class RuntimeState {
  /** containerId → last fetched status, with the listed state it was fetched for. */
  private readonly statuses = new Map<string, { key: string; status: P.ContainerStatus }>();
  private pods = new Map<string, RuntimePod>();

  constructor(private readonly runtime: RuntimeClient) {}

  /** Lists everything the agent owns; returns the pods whose runtime state changed since the last relist. */
  async relist(): Promise<{ pods: Map<string, RuntimePod>; changed: Set<string> }> {
    const [sandboxes, containers] = await Promise.all([
      this.runtime.listPodSandbox({ filter: { label_selector: { [MANAGED_BY]: MANAGER } } }, QUICK),
      this.runtime.listContainers({ filter: { label_selector: { [MANAGED_BY]: MANAGER } } }, QUICK),
    ]);
    const next = await this.group(sandboxes.items, containers.containers);
    const changed = new Set<string>();
    for (const [uid, pod] of next) if (fingerprint(this.pods.get(uid)) !== fingerprint(pod)) changed.add(uid);
    for (const uid of this.pods.keys()) if (!next.has(uid)) changed.add(uid);
    const live = new Set(containers.containers.map((c) => c.id));
    for (const id of this.statuses.keys()) if (!live.has(id)) this.statuses.delete(id);
    this.pods = next;
    return { pods: next, changed };
  }

  /** A fresh view of one pod, straight from the runtime. */
  async pod(uid: string): Promise<RuntimePod> {
    const [sandboxes, containers] = await Promise.all([
      this.runtime.listPodSandbox({ filter: { label_selector: { [POD_UID]: uid } } }, QUICK),
      this.runtime.listContainers({ filter: { label_selector: { [POD_UID]: uid } } }, QUICK),
    ]);
    const grouped = await this.group(sandboxes.items, containers.containers);
    const pod = grouped.get(uid) ?? { uid, sandboxes: [], containers: [] };
    this.pods.set(uid, pod);
    return pod;
  }

  cached(uid: string): RuntimePod | undefined {
    return this.pods.get(uid);
  }

  all(): Map<string, RuntimePod> {
    return this.pods;
  }

  forget(containerId: string): void {
    this.statuses.delete(containerId);
  }

  private async group(sandboxes: P.PodSandbox[], containers: P.Container[]): Promise<Map<string, RuntimePod>> {
    const out = new Map<string, RuntimePod>();
    const get = (uid: string): RuntimePod => {
      let p = out.get(uid);
      if (!p) out.set(uid, (p = { uid, sandboxes: [], containers: [] }));
      return p;
    };
    for (const s of sandboxes) {
      const uid = s.labels[POD_UID] ?? s.metadata?.uid;
      if (uid) get(uid).sandboxes.push(s);
    }
    const withStatus = await Promise.all(
      containers.map(async (c): Promise<RuntimeContainer | undefined> => {
        const uid = c.labels[POD_UID];
        if (!uid) return undefined;
        const status = await this.status(c);
        if (!status) return undefined;
        return {
          id: c.id,
          name: c.labels[CONTAINER_NAME] ?? c.metadata?.name ?? '',
          attempt: c.metadata?.attempt ?? 0,
          sandboxId: c.pod_sandbox_id,
          state: status.state,
          labels: c.labels,
          annotations: c.annotations,
          status,
        };
      }),
    );
    for (const c of withStatus) if (c) get(c.labels[POD_UID]!).containers.push(c);
    for (const p of out.values()) {
      p.sandboxes.sort((a, b) => b.created_at - a.created_at);
      p.containers.sort((a, b) => b.attempt - a.attempt || b.status.created_at - a.status.created_at);
    }
    return out;
  }

  private async status(c: P.Container): Promise<P.ContainerStatus | undefined> {
    const key = c.state ?? EMPTY_STATUS_KEY;
    const cached = this.statuses.get(c.id);
    // An exited container never changes again; a running one can only change state.
    if (cached && cached.key === key) return cached.status;
    try {
      const res = await this.runtime.containerStatus({ container_id: c.id }, QUICK);
      if (!res.status) return undefined;
      this.statuses.set(c.id, { key: res.status.state, status: res.status });
      return res.status;
    } catch (err) {
      // Removed between the list and the status call. Any other failure must fail
      // the whole view: a container missing from it would be created again.
      if ((err as { code?: number }).code === GRPC_NOT_FOUND) return undefined;
      throw err;
    }
  }
}

function fingerprint(p: RuntimePod | undefined): string {
  if (!p) return '';
  return [
    ...p.sandboxes.map((s) => `${s.id}:${s.state}`),
    ...p.containers.map((c) => `${c.id}:${c.state}:${c.status.exit_code}`),
  ].join(',');
}

/** The newest container instance of a name, and the one before it. */
export function latestContainers(pod: RuntimePod, name: string): { current?: RuntimeContainer; previous?: RuntimeContainer } {
  const all = pod.containers.filter((c) => c.name === name);
  return { ...(all[0] ? { current: all[0] } : {}), ...(all[1] ? { previous: all[1] } : {}) };
}

/** The sandbox a pod's containers should run in: its newest one, if still ready. */
export function readySandbox(pod: RuntimePod): P.PodSandbox | undefined {
  const s = pod.sandboxes[0];
  return s && s.state === 'SANDBOX_READY' ? s : undefined;
}
