// Container lifecycle over conmon + runc, with every transition persisted.
// Exits arrive from the ExitMonitor, never from polling.
import { EventEmitter } from 'node:events';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type * as P from '@wharf/proto';
import type { CompiledOptions } from '../options.js';
import { FailedPreconditionError, NotFoundError, RuntimeError } from '../errors.js';
import { newId, nowNs } from '../util/ids.js';
import { KeyedMutex } from '../util/keyed-mutex.js';
import { exists } from '../util/json-file.js';
import type { Cgroups } from '../cgroups/cgroups.js';
import { ensureRootfs, unmountRootfs } from '../oci/rootfs.js';
import type { RecordStore } from '../state/record-store.js';
import type { ContainerRecord, SandboxRecord } from '../state/records.js';
import { startConmon } from './conmon.js';
import { emptyResources, logPathFor, resourceLimits, validateContainerConfig, writeBundle } from './create.js';
import { ExitMonitor } from './exit-monitor.js';
import type { ImageResolver } from './image-resolver.js';
import { Runc } from './runc.js';

export class ContainerManager {
  readonly runc: Runc;
  readonly exits: ExitMonitor;
  readonly mutex = new KeyedMutex();
  private readonly exited = new EventEmitter();
  /** Ids whose exit is being recorded right now → whether another check was asked for meanwhile. */
  private readonly handling = new Map<string, boolean>();
  /** Post-exit cleanups still running, by id. */
  private readonly cleanups = new Map<string, Promise<void>>();

  constructor(
    private readonly options: CompiledOptions,
    readonly store: RecordStore<ContainerRecord>,
    private readonly images: ImageResolver,
    private readonly cgroups: Cgroups,
  ) {
    this.runc = new Runc(options.runcPath, path.join(options.state, 'runc'));
    this.exits = new ExitMonitor(path.join(options.state, 'exits'), (id) => this.noticeExit(id));
    this.exited.setMaxListeners(0);
  }

  private persistDir(id: string): string {
    return path.join(this.options.state, 'conmon', id);
  }

  /** Starts watching exits, then reconciles records with what happened while we were down. */
  async init(): Promise<void> {
    await this.exits.start();
    await this.collectOrphanBundles();
    for (const r of this.store.all()) {
      if (r.phase === 'creating') {
        await this.destroy(r);
        continue;
      }
      if (r.phase === 'stopped') continue;
      if (await this.exits.read(r.id)) {
        await this.handleExit(r.id);
        continue;
      }
      const state = await this.runc.state(r.id);
      if ((!state || state.status === 'stopped') && !alive(r.conmonPid)) {
        // conmon is gone too, without an exit file: the exit code is lost.
        await this.markStopped(r, { exitCode: 255, finishedAt: nowNs() }, 'Error', 'container vanished while the runtime was down');
      }
    }
  }

  stop(): void {
    this.exits.stop();
  }

  /** A runtime killed while writing a bundle (before the first record write) leaves one without a record. */
  private async collectOrphanBundles(): Promise<void> {
    const dir = path.join(this.options.root, 'containers');
    const known = new Set(this.store.all().map((r) => r.id));
    for (const id of await fs.readdir(dir).catch(() => [] as string[])) {
      if (known.has(id)) continue;
      await unmountRootfs(path.join(dir, id));
      await fs.rm(path.join(dir, id), { recursive: true, force: true });
      await fs.rm(this.persistDir(id), { recursive: true, force: true });
    }
  }

  get(id: string): ContainerRecord {
    const r = id ? this.store.get(id) : undefined;
    if (!r) throw new NotFoundError(`container ${JSON.stringify(id)} not found`);
    return r;
  }

  forSandbox(sandboxId: string): ContainerRecord[] {
    return this.store.all().filter((r) => r.sandboxId === sandboxId);
  }

  async create(req: P.CreateContainerRequest, sandbox: SandboxRecord): Promise<ContainerRecord> {
    if (sandbox.phase !== 'ready') throw new FailedPreconditionError(`pod sandbox ${sandbox.id} is not ready`);
    const config = validateContainerConfig(req.config);
    const imageRef = config.image?.image ?? '';
    const image = await this.images.resolve(imageRef);
    if (!image) throw new NotFoundError(`image ${JSON.stringify(imageRef)} not found`);
    const id = newId();
    const record: ContainerRecord = {
      id,
      sandboxId: sandbox.id,
      metadata: config.metadata ?? { name: id, attempt: 0 },
      image: imageRef,
      imageRef: image.repoDigests[0] ?? image.id,
      imageId: image.id,
      labels: config.labels,
      annotations: config.annotations,
      mounts: config.mounts,
      resources: config.linux?.resources ?? emptyResources(),
      logPath: logPathFor(config, sandbox, this.options.root, id),
      tty: config.tty,
      stdin: config.stdin,
      phase: 'creating',
      createdAt: nowNs(),
      startedAt: 0,
      finishedAt: 0,
      exitCode: 0,
      reason: '',
      message: '',
      pid: 0,
      conmonPid: 0,
      cgroupPath: `${sandbox.cgroupParent}/${id}`,
      bundleDir: path.join(this.options.root, 'containers', id),
      layers: image.layers,
    };
    return this.mutex.run(id, async () => {
      try {
        const podPid = this.forSandbox(sandbox.id).find((c) => c.phase === 'running' && c.pid > 0)?.pid;
        await writeBundle({ id, bundleDir: record.bundleDir, config, sandbox, image, cgroupPath: record.cgroupPath, podPid });
        await this.store.put(record);
        await this.launch(record);
        record.phase = 'created';
        await this.store.put(record);
        return record;
      } catch (err) {
        await this.destroy(record);
        throw err;
      }
    });
  }

  /** conmon → runc create; resolves once the container process exists. */
  private async launch(record: ContainerRecord): Promise<void> {
    const persistDir = this.persistDir(record.id);
    await fs.mkdir(persistDir, { recursive: true });
    await fs.mkdir(path.dirname(record.logPath), { recursive: true });
    const started = await startConmon({
      conmonPath: this.options.conmonPath,
      runcPath: this.options.runcPath,
      runcRoot: this.runc.root,
      id: record.id,
      bundleDir: record.bundleDir,
      logPath: record.logPath,
      exitDir: this.exits.dir,
      persistDir,
      stdin: record.stdin,
      tty: record.tty,
    });
    record.pid = started.pid;
    record.conmonPid = Number(await fs.readFile(path.join(persistDir, 'conmon.pid'), 'utf8').catch(() => '0')) || 0;
    started.syncPipe.on('close', () => this.noticeExit(record.id));
  }

  start(id: string): Promise<void> {
    return this.mutex.run(id, async () => {
      const r = this.get(id);
      if (r.phase === 'running') throw new FailedPreconditionError(`container ${id} is already running`);
      if (r.phase === 'creating') throw new FailedPreconditionError(`container ${id} is still being created`);
      if (r.phase === 'stopped') {
        // A restart: a fresh runc container on the same bundle, so the
        // rootfs writes of the previous run survive, as with `docker start`.
        await this.releaseRunc(r);
        await ensureRootfs(r.bundleDir, r.layers ?? []);
        await this.exits.clear(id);
        await fs.rm(path.join(this.persistDir(id), 'oom'), { force: true });
        await fs.rm(path.join(r.bundleDir, 'oom'), { force: true });
        Object.assign(r, { phase: 'creating', exitCode: 0, reason: '', message: '', finishedAt: 0, startedAt: 0 });
        await this.store.put(r);
        try {
          await this.launch(r);
        } catch (err) {
          await this.markStopped(r, { exitCode: 128, finishedAt: nowNs() }, 'Error', (err as Error).message);
          throw err;
        }
      }
      r.phase = 'running';
      r.startedAt = nowNs();
      await this.store.put(r);
      try {
        await this.runc.start(id);
      } catch (err) {
        // The exit (if the process already died) may have been recorded meanwhile.
        const current = this.get(id);
        if (current.phase !== 'stopped') {
          await this.runc.kill(id, 'KILL');
          await this.waitForExit(id, 5000);
        }
        throw new RuntimeError(`starting container ${id}: ${(err as Error).message}`, { cause: err });
      }
    });
  }

  /** SIGTERM, then SIGKILL after `timeoutSec`. Stopping a stopped container is a no-op. */
  stopContainer(id: string, timeoutSec: number): Promise<void> {
    return this.mutex.run(id, () => this.stopUnlocked(this.get(id), timeoutSec));
  }

  private async stopUnlocked(r: ContainerRecord, timeoutSec: number): Promise<void> {
    if (r.phase === 'stopped' || r.phase === 'creating') return;
    if (await this.exits.read(r.id)) return this.handleExit(r.id);
    if (timeoutSec > 0 && (await this.runc.kill(r.id, 'TERM'))) {
      if (await this.waitForExit(r.id, timeoutSec * 1000)) return;
    }
    await this.runc.kill(r.id, 'KILL', true);
    if (!(await this.waitForExit(r.id, 10_000))) throw new RuntimeError(`container ${r.id} did not exit after SIGKILL`);
  }

  /** Resolves true once the container is stopped, false on timeout. */
  waitForExit(id: string, timeoutMs: number): Promise<boolean> {
    const r = this.store.get(id);
    if (!r || r.phase === 'stopped') return Promise.resolve(true);
    return new Promise((resolve) => {
      const onExit = () => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.exited.off(id, onExit);
        resolve(this.store.get(id)?.phase === 'stopped');
      }, timeoutMs);
      this.exited.once(id, onExit);
      // The exit may have landed before we subscribed.
      this.noticeExit(id);
    });
  }

  remove(id: string, force = false): Promise<void> {
    return this.mutex.run(id, async () => {
      const r = this.get(id);
      if (r.phase === 'running' && !force) {
        throw new FailedPreconditionError(`container ${id} is running; stop it before removing it`);
      }
      if (r.phase !== 'stopped') await this.stopUnlocked(r, 0);
      await this.destroy(r);
    });
  }

  /** Removes every trace of a container; each step tolerates earlier partial teardown. */
  private async destroy(r: ContainerRecord): Promise<void> {
    await this.releaseRunc(r);
    await unmountRootfs(r.bundleDir);
    await fs.rm(r.bundleDir, { recursive: true, force: true });
    await fs.rm(this.persistDir(r.id), { recursive: true, force: true });
    await this.exits.clear(r.id);
    await this.cgroups.remove(r.cgroupPath);
    await this.store.delete(r.id);
  }

  /** Event-driven entry to handleExit: a failure is logged, never an unhandled rejection. */
  private noticeExit(id: string): void {
    this.handleExit(id).catch((err: unknown) =>
      process.stderr.write(`${JSON.stringify({ level: 'error', component: 'runtime', msg: 'recording exit failed', id, error: String(err) })}\n`),
    );
  }

  /** Records an exit if conmon has written one. Idempotent; never takes the id's lock (stop waits inside it). */
  async handleExit(id: string): Promise<void> {
    const r = this.store.get(id);
    if (!r || (r.phase !== 'running' && r.phase !== 'created')) return;
    if (this.handling.has(id)) {
      this.handling.set(id, true);
      return;
    }
    this.handling.set(id, false);
    try {
      const exit = await this.exits.read(id);
      if (!exit) return;
      const oom =
        (await exists(path.join(this.persistDir(id), 'oom'))) || (await this.cgroups.oomKills(r.cgroupPath)) > 0;
      const reason = oom ? 'OOMKilled' : exit.exitCode === 0 ? 'Completed' : 'Error';
      await this.markStopped(r, exit, reason, oom ? 'the container exceeded its memory limit' : '');
      // runc's record and cgroup go after the exit is visible; a restart or
      // removal that follows waits for this (releaseRunc) first.
      // A failed cleanup is retried by releaseRunc/destroy (runc delete, cgroup removal).
      const cleanup = this.cleanupStopped(r)
        .catch(() => undefined)
        .finally(() => this.cleanups.delete(id));
      this.cleanups.set(id, cleanup);
      await cleanup;
    } finally {
      const again = this.handling.get(id);
      this.handling.delete(id);
      if (again) this.noticeExit(id);
    }
  }

  /**
   * What `runc delete` does for a container whose init has died, without
   * starting a Go binary: its process tree died with the PID namespace, so
   * only the state directory and the cgroup remain.
   */
  private async cleanupStopped(r: ContainerRecord): Promise<void> {
    await fs.rm(path.join(this.runc.root, r.id), { recursive: true, force: true });
    await this.cgroups.remove(r.cgroupPath);
  }

  /** Makes sure runc no longer knows the container, whatever state it was left in. */
  private async releaseRunc(r: ContainerRecord): Promise<void> {
    await this.cleanups.get(r.id);
    if (await exists(path.join(this.runc.root, r.id))) await this.runc.delete(r.id, true);
  }

  private async markStopped(r: ContainerRecord, exit: { exitCode: number; finishedAt: number }, reason: string, message: string): Promise<void> {
    if (r.phase === 'stopped') return;
    r.phase = 'stopped';
    r.exitCode = exit.exitCode;
    // The exit time comes from the exit file's mtime, which the kernel stamps
    // with a coarse clock that can lag Date.now() by a tick: a container that
    // exits at once could appear to finish before it started.
    r.finishedAt = Math.max(exit.finishedAt, r.startedAt);
    if (!r.startedAt) r.startedAt = exit.finishedAt;
    r.reason = reason;
    r.message = message;
    r.pid = 0;
    if (this.store.get(r.id) === r) await this.store.put(r);
    this.exited.emit(r.id);
  }

  async update(id: string, resources: P.LinuxContainerResources | null): Promise<void> {
    return this.mutex.run(id, async () => {
      const r = this.get(id);
      if (!resources) return;
      if (r.phase === 'running' || r.phase === 'created') await this.runc.update(id, resourceLimits(resources));
      r.resources = resources;
      await this.store.put(r);
    });
  }

  list(filter: P.ContainerFilter | null): ContainerRecord[] {
    return this.store.all().filter((r) => {
      if (!filter) return true;
      if (filter.id && !r.id.startsWith(filter.id)) return false;
      if (filter.pod_sandbox_id && r.sandboxId !== filter.pod_sandbox_id) return false;
      if (filter.state && toContainerState(r) !== filter.state.state) return false;
      for (const [k, v] of Object.entries(filter.label_selector ?? {})) if (r.labels[k] !== v) return false;
      return true;
    });
  }
}

function alive(pid: number): boolean {
  if (pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function toContainerState(r: ContainerRecord): P.ContainerState {
  switch (r.phase) {
    case 'created':
      return 'CONTAINER_CREATED';
    case 'running':
      return 'CONTAINER_RUNNING';
    case 'stopped':
      return 'CONTAINER_EXITED';
    default:
      return 'CONTAINER_UNKNOWN';
  }
}
