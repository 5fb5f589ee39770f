// Writes pod statuses through pods/<name>/status, only when they differ from
// what the API already holds (ignoring timestamps that change on every
// computation), retrying once against a fresh copy on a conflict.
import { deepCopy, isConflict, isNotFound, type Logger, type Pod, type PodStatus } from '@wharf/api';
import { R, type ApiClient } from '@wharf/client';

function comparable(status: PodStatus | undefined): string {
  if (!status) return '';
  const s = deepCopy(status);
  for (const c of s.conditions ?? []) {
    delete c.lastProbeTime;
    delete c.lastTransitionTime;
  }
  return JSON.stringify(s, Object.keys(flatKeys(s)).sort());
}

function flatKeys(v: unknown, acc: Record<string, true> = {}): Record<string, true> {
  if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      acc[k] = true;
      flatKeys(x, acc);
    }
  }
  return acc;
}

export class StatusManager {
  /**
   * uid → the status this agent last wrote and the resourceVersion it wrote
   * over: while the informer still shows that version, our write is merely not
   * seen yet and need not be repeated. Anything else is compared with what the
   * API holds, so a status someone else changed is put right.
   */
  private readonly written = new Map<string, { want: string; baseRV: string | undefined }>();
  writes = 0;

  constructor(
    private readonly client: ApiClient,
    private readonly log: Logger,
  ) {}

  async set(pod: Pod, status: PodStatus): Promise<Pod | undefined> {
    const uid = pod.metadata.uid!;
    const want = comparable(status);
    const last = this.written.get(uid);
    if (last && last.want === want && last.baseRV === pod.metadata.resourceVersion) return undefined;
    if (comparable(pod.status) === want) return undefined;
    let target = pod;
    for (let i = 0; i < 3; i++) {
      try {
        const updated = await this.client.update<Pod>(R.pods, { ...target, apiVersion: 'v1', kind: 'Pod', status }, { subresource: 'status' });
        this.writes++;
        this.written.set(uid, { want, baseRV: pod.metadata.resourceVersion });
        return updated;
      } catch (err) {
        if (isNotFound(err)) return undefined;
        if (!isConflict(err)) throw err;
        const fresh = await this.client.get<Pod>(R.pods, pod.metadata.namespace, pod.metadata.name!).catch(() => undefined);
        if (!fresh || fresh.metadata.uid !== uid) return undefined;
        if (comparable(fresh.status) === want) return undefined;
        target = fresh;
      }
    }
    this.log.warn('status update kept conflicting', { pod: pod.metadata.name });
    return undefined;
  }

  forget(uid: string): void {
    this.written.delete(uid);
  }
}
