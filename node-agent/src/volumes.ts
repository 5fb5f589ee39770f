// Pod volumes on the node: each volume is a directory under
// <root>/pods/<uid>/volumes/<name> that containers bind-mount. Sources that
// follow API objects (configMap, secret, downwardAPI, projected) are rewritten
// on every sync, atomically, so a changed object reaches running containers.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type * as P from '@wharf/proto';
import type { Container, KeyToPath, Pod, Volume } from '@wharf/api';
import { writeAtomically, type PayloadFile } from './atomic-writer.js';
import { ContainerConfigError } from './errors.js';
import { fieldPathValue, resourceFieldValue, type NodeAllocatable } from './field-path.js';
import type { ObjectSource } from './object-source.js';
import { runCommand } from './util/command.js';

export interface VolumeContext {
  pod: Pod;
  podIP: string;
  hostIP: string;
  node: NodeAllocatable;
  objects: ObjectSource;
}

export class VolumeManager {
  constructor(
    private readonly rootDir: string,
    private readonly allowedHostPaths: string[],
  ) {}

  podDir(uid: string): string {
    return path.join(this.rootDir, 'pods', uid);
  }

  volumeDir(uid: string, name: string): string {
    return path.join(this.podDir(uid), 'volumes', name);
  }

  terminationMessageFile(uid: string, container: string, attempt: number): string {
    return path.join(this.podDir(uid), 'containers', container, `${attempt}.termination-log`);
  }

  /** Creates or refreshes every volume of the pod; returns host paths by volume name. */
  async setup(ctx: VolumeContext): Promise<Map<string, string>> {
    const uid = ctx.pod.metadata.uid!;
    const out = new Map<string, string>();
    for (const v of ctx.pod.spec?.volumes ?? []) out.set(v.name, await this.setupOne(ctx, uid, v));
    return out;
  }

  private async setupOne(ctx: VolumeContext, uid: string, v: Volume): Promise<string> {
    if (v.hostPath) return this.hostPath(v);
    const dir = this.volumeDir(uid, v.name);
    if (v.emptyDir) {
      await fs.mkdir(dir, { recursive: true, mode: 0o777 });
      await fs.chmod(dir, 0o777);
      if (v.emptyDir.medium === 'Memory' && !(await isMountPoint(dir))) {
        const size = v.emptyDir.sizeLimit ? [`-o`, `size=${v.emptyDir.sizeLimit.replace(/i$/, '')}`] : [];
        const r = await runCommand('mount', ['-t', 'tmpfs', ...size, 'tmpfs', dir]);
        if (r.code !== 0) throw new ContainerConfigError(`emptyDir ${v.name}: mount tmpfs: ${r.stderr.trim()}`);
      }
      return dir;
    }
    const payload = await this.payload(ctx, v);
    if (payload) {
      await writeAtomically(dir, payload);
      return dir;
    }
    throw new ContainerConfigError(`volume ${JSON.stringify(v.name)}: unsupported volume type`);
  }

  private async hostPath(v: Volume): Promise<string> {
    const p = path.resolve(v.hostPath!.path);
    const allowed = this.allowedHostPaths.some((a) => p === a || p.startsWith(a.endsWith('/') ? a : `${a}/`));
    if (!allowed) throw new ContainerConfigError(`hostPath ${p} is not allowed on this node (see --allowed-host-paths)`);
    const type = v.hostPath!.type ?? '';
    if (type === 'DirectoryOrCreate') await fs.mkdir(p, { recursive: true });
    if (type === 'FileOrCreate') await fs.writeFile(p, '', { flag: 'a' });
    if (type === 'Directory' || type === 'File') {
      const st = await fs.stat(p).catch(() => undefined);
      if (!st || (type === 'Directory' ? !st.isDirectory() : !st.isFile())) throw new ContainerConfigError(`hostPath ${p} is not a ${type.toLowerCase()}`);
    }
    return p;
  }

  private async payload(ctx: VolumeContext, v: Volume): Promise<Map<string, PayloadFile> | undefined> {
    const ns = ctx.pod.metadata.namespace ?? 'default';
    const out = new Map<string, PayloadFile>();
    const addKeys = (data: Record<string, Buffer>, items: KeyToPath[] | undefined, mode: number, what: string) => {
      if (!items) {
        for (const [k, d] of Object.entries(data)) out.set(k, { data: d, mode });
        return;
      }
      for (const it of items) {
        const d = data[it.key];
        if (!d) throw new ContainerConfigError(`${what}: key ${JSON.stringify(it.key)} not found`);
        out.set(it.path, { data: d, mode: it.mode ?? mode });
      }
    };
    const configMap = async (name: string, items: KeyToPath[] | undefined, optional: boolean | undefined, mode: number) => {
      const cm = await ctx.objects.configMap(ns, name);
      if (!cm) {
        if (optional) return;
        throw new ContainerConfigError(`configmap "${name}" not found`);
      }
      const data: Record<string, Buffer> = {};
      for (const [k, s] of Object.entries(cm.data ?? {})) data[k] = Buffer.from(s);
      for (const [k, s] of Object.entries(cm.binaryData ?? {})) data[k] = Buffer.from(s, 'base64');
      addKeys(data, items, mode, `configmap ${name}`);
    };
    const secret = async (name: string, items: KeyToPath[] | undefined, optional: boolean | undefined, mode: number) => {
      const s = await ctx.objects.secret(ns, name);
      if (!s) {
        if (optional) return;
        throw new ContainerConfigError(`secret "${name}" not found`);
      }
      const data: Record<string, Buffer> = {};
      for (const [k, b] of Object.entries(s.data ?? {})) data[k] = Buffer.from(b, 'base64');
      addKeys(data, items, mode, `secret ${name}`);
    };
    const downward = (items: NonNullable<Volume['downwardAPI']>['items'], mode: number) => {
      for (const it of items ?? []) {
        let value: string;
        if (it.fieldRef) value = fieldPathValue(ctx.pod, it.fieldRef.fieldPath, ctx.podIP, ctx.hostIP);
        else if (it.resourceFieldRef) value = resourceFieldValue(ctx.pod, undefined as Container | undefined, it.resourceFieldRef, ctx.node);
        else continue;
        out.set(it.path, { data: Buffer.from(value), mode: it.mode ?? mode });
      }
    };
    if (v.configMap) await configMap(v.configMap.name ?? '', v.configMap.items, v.configMap.optional, v.configMap.defaultMode ?? 0o644);
    else if (v.secret) await secret(v.secret.secretName ?? '', v.secret.items, v.secret.optional, v.secret.defaultMode ?? 0o644);
    else if (v.downwardAPI) downward(v.downwardAPI.items, v.downwardAPI.defaultMode ?? 0o644);
    else if (v.projected) {
      const mode = v.projected.defaultMode ?? 0o644;
      for (const src of v.projected.sources ?? []) {
        if (src.configMap) await configMap(src.configMap.name ?? '', src.configMap.items, src.configMap.optional, mode);
        if (src.secret) await secret(src.secret.name ?? '', src.secret.items, src.secret.optional, mode);
        if (src.downwardAPI) downward(src.downwardAPI.items, mode);
      }
    } else return undefined;
    return out;
  }

  /** The container's mounts: each volumeMount resolved to a host path. */
  mounts(container: Container, volumes: Map<string, string>): P.DeepPartial<P.Mount>[] {
    return (container.volumeMounts ?? []).map((m) => {
      const host = volumes.get(m.name);
      if (host === undefined) throw new ContainerConfigError(`volumeMount ${JSON.stringify(m.name)}: no such volume`);
      if (m.subPath && !safeSubPath(m.subPath)) throw new ContainerConfigError(`invalid subPath ${JSON.stringify(m.subPath)}`);
      return { container_path: m.mountPath, host_path: m.subPath ? path.join(host, m.subPath) : host, readonly: m.readOnly ?? false };
    });
  }

  /** Unmounts memory-backed volumes and deletes the pod's directory. */
  async cleanup(uid: string): Promise<void> {
    const base = path.join(this.podDir(uid), 'volumes');
    const entries = await fs.readdir(base).catch(() => [] as string[]);
    for (const e of entries) {
      const dir = path.join(base, e);
      if (await isMountPoint(dir)) await runCommand('umount', ['-l', dir]);
    }
    await fs.rm(this.podDir(uid), { recursive: true, force: true });
  }

  /** Pod uids that still have a directory: for orphan cleanup after a restart. */
  async knownPods(): Promise<string[]> {
    return fs.readdir(path.join(this.rootDir, 'pods')).catch(() => []);
  }
}

function safeSubPath(p: string): boolean {
  return !path.isAbsolute(p) && !p.split('/').includes('..');
}

async function isMountPoint(dir: string): Promise<boolean> {
  const info = await fs.readFile('/proc/self/mountinfo', 'utf8');
  return info.split('\n').some((l) => l.split(' ')[4] === dir);
}
