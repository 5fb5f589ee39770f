// GET /pods/<ns>/<name>/log: the container's CRI log file rendered as
// `kubectl logs` expects it (plain text), optionally followed.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ServerResponse } from 'node:http';
import type { Pod } from '@wharf/api';
import { followLog, formatLine, parseCriLog, selectLines } from './cri-log.js';
import { latestContainers, type RuntimeState } from './runtime-state.js';
import { podLogDir } from './sandbox-config.js';

export class LogRequestError extends Error {
  override readonly name = 'LogRequestError';
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export interface LogParams {
  container?: string | undefined;
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  tailLines?: number | undefined;
  sinceSeconds?: number | undefined;
  sinceTime?: string | undefined;
  limitBytes?: number | undefined;
}

export function parseLogParams(q: URLSearchParams): LogParams {
  const num = (k: string) => (q.has(k) ? Number(q.get(k)) : undefined);
  const bool = (k: string) => q.get(k) === 'true' || q.get(k) === '1';
  return {
    container: q.get('container') ?? undefined,
    follow: bool('follow'),
    previous: bool('previous'),
    timestamps: bool('timestamps'),
    tailLines: num('tailLines'),
    sinceSeconds: num('sinceSeconds'),
    sinceTime: q.get('sinceTime') ?? undefined,
    limitBytes: num('limitBytes'),
  };
}

export function defaultContainer(pod: Pod, requested: string | undefined): string {
  const names = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].map((c) => c.name);
  if (requested) {
    if (!names.includes(requested)) throw new LogRequestError(400, `container ${requested} is not valid for pod ${pod.metadata.name}`);
    return requested;
  }
  const annotated = pod.metadata.annotations?.['kubectl.kubernetes.io/default-container'];
  if (annotated && names.includes(annotated)) return annotated;
  if ((pod.spec?.containers.length ?? 0) === 1 || !pod.spec?.containers.length) return pod.spec?.containers[0]?.name ?? '';
  throw new LogRequestError(400, `a container name must be specified for pod ${pod.metadata.name}, choose one of: [${pod.spec.containers.map((c) => c.name).join(' ')}]`);
}

export async function serveLogs(res: ServerResponse, pod: Pod, params: LogParams, rootDir: string, state: RuntimeState, signal: AbortSignal): Promise<void> {
  const name = defaultContainer(pod, params.container);
  const rp = await state.pod(pod.metadata.uid!);
  const { current, previous } = latestContainers(rp, name);
  const instance = params.previous ? previous : current;
  if (!instance) {
    const msg = params.previous
      ? `previous terminated container "${name}" in pod "${pod.metadata.name}" not found`
      : `container "${name}" in pod "${pod.metadata.name}" is waiting to start: ContainerCreating`;
    throw new LogRequestError(400, msg);
  }
  const file = path.join(podLogDir(rootDir, pod), name, `${instance.attempt}.log`);
  const data = await fs.readFile(file).catch(() => Buffer.alloc(0));
  const { lines } = parseCriLog(data.toString('utf8'));
  const sinceTime = params.sinceSeconds !== undefined ? Date.now() - params.sinceSeconds * 1000 : params.sinceTime ? Date.parse(params.sinceTime) : undefined;
  const selected = selectLines(lines, { tailLines: params.tailLines, sinceTime });
  res.writeHead(200, { 'content-type': 'text/plain', 'transfer-encoding': 'chunked', 'cache-control': 'no-cache' });
  let budget = params.limitBytes ?? Infinity;
  const write = (s: string): boolean => {
    if (budget <= 0) return false;
    const buf = Buffer.from(s);
    const part = buf.length > budget ? buf.subarray(0, budget) : buf;
    budget -= part.length;
    res.write(part);
    return budget > 0;
  };
  for (const l of selected) if (!write(formatLine(l, params.timestamps))) break;
  if (!params.follow || params.previous || budget <= 0) {
    res.end();
    return;
  }
  const done = async () => {
    const fresh = await state.pod(pod.metadata.uid!).catch(() => undefined);
    const c = fresh?.containers.find((x) => x.id === instance.id);
    return !c || c.state !== 'CONTAINER_RUNNING';
  };
  for await (const l of followLog(file, data.length, done, signal)) {
    if (sinceTime !== undefined && Date.parse(l.time) < sinceTime) continue;
    if (!write(formatLine(l, params.timestamps))) break;
  }
  res.end();
}
