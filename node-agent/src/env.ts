// A container's environment in Kubernetes' order: service variables first,
// then envFrom sources, then env entries (each may refer to those before it
// with $(VAR)); later definitions win.
import type { Container, Pod, Service } from '@wharf/api';
import { ContainerConfigError } from './errors.js';
import { expand } from './expand.js';
import { fieldPathValue, resourceFieldValue, type NodeAllocatable } from './field-path.js';
import type { ObjectSource } from './object-source.js';

export interface EnvContext {
  pod: Pod;
  container: Container;
  podIP: string;
  hostIP: string;
  node: NodeAllocatable;
  objects: ObjectSource;
}

const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

export async function buildEnv(ctx: EnvContext): Promise<Map<string, string>> {
  const { pod, container, objects } = ctx;
  const ns = pod.metadata.namespace ?? 'default';
  const env = new Map<string, string>();
  // enableServiceLinks: false still keeps the apiserver's own service, as in Kubernetes.
  const links = pod.spec?.enableServiceLinks !== false;
  const services = (await objects.services(ns)).filter((s) => links || (s.metadata.namespace === 'default' && s.metadata.name === 'kubernetes'));
  for (const [k, v] of serviceEnv(services)) env.set(k, v);
  for (const from of container.envFrom ?? []) {
    const prefix = from.prefix ?? '';
    if (from.configMapRef) {
      const cm = await objects.configMap(ns, from.configMapRef.name ?? '');
      if (!cm) {
        if (from.configMapRef.optional) continue;
        throw new ContainerConfigError(`configmap "${from.configMapRef.name}" not found`);
      }
      for (const [k, v] of Object.entries(cm.data ?? {})) if (ENV_NAME.test(prefix + k)) env.set(prefix + k, v);
    }
    if (from.secretRef) {
      const secret = await objects.secret(ns, from.secretRef.name ?? '');
      if (!secret) {
        if (from.secretRef.optional) continue;
        throw new ContainerConfigError(`secret "${from.secretRef.name}" not found`);
      }
      for (const [k, v] of Object.entries(secret.data ?? {})) if (ENV_NAME.test(prefix + k)) env.set(prefix + k, Buffer.from(v, 'base64').toString('utf8'));
    }
  }
  for (const e of container.env ?? []) {
    if (e.valueFrom === undefined) {
      env.set(e.name, expand(e.value ?? '', (n) => env.get(n)));
      continue;
    }
    const value = await valueFrom(ctx, ns, e.name, e.valueFrom);
    if (value !== undefined) env.set(e.name, value);
  }
  return env;
}

async function valueFrom(ctx: EnvContext, ns: string, name: string, src: NonNullable<Container['env']>[number]['valueFrom'] & object): Promise<string | undefined> {
  if (src.fieldRef) return fieldPathValue(ctx.pod, src.fieldRef.fieldPath, ctx.podIP, ctx.hostIP);
  if (src.resourceFieldRef) return resourceFieldValue(ctx.pod, ctx.container, src.resourceFieldRef, ctx.node);
  if (src.configMapKeyRef) {
    const ref = src.configMapKeyRef;
    const cm = await ctx.objects.configMap(ns, ref.name ?? '');
    const v = cm?.data?.[ref.key];
    if (v === undefined) {
      if (ref.optional) return undefined;
      throw new ContainerConfigError(cm ? `couldn't find key ${ref.key} in ConfigMap ${ns}/${ref.name}` : `configmap "${ref.name}" not found`);
    }
    return v;
  }
  if (src.secretKeyRef) {
    const ref = src.secretKeyRef;
    const secret = await ctx.objects.secret(ns, ref.name ?? '');
    const v = secret?.data?.[ref.key];
    if (v === undefined) {
      if (ref.optional) return undefined;
      throw new ContainerConfigError(secret ? `couldn't find key ${ref.key} in Secret ${ns}/${ref.name}` : `secret "${ref.name}" not found`);
    }
    return Buffer.from(v, 'base64').toString('utf8');
  }
  throw new ContainerConfigError(`env ${name}: valueFrom has no source`);
}

/** Docker-links-style variables for every service with a cluster IP. */
export function serviceEnv(services: Service[]): Map<string, string> {
  const env = new Map<string, string>();
  for (const svc of services) {
    const ip = svc.spec?.clusterIP;
    if (!ip || ip === 'None') continue;
    const name = (svc.metadata.name ?? '').toUpperCase().replace(/-/g, '_');
    const ports = svc.spec?.ports ?? [];
    env.set(`${name}_SERVICE_HOST`, ip);
    const first = ports[0];
    if (!first) continue;
    env.set(`${name}_SERVICE_PORT`, String(first.port));
    for (const p of ports) if (p.name) env.set(`${name}_SERVICE_PORT_${p.name.toUpperCase().replace(/-/g, '_')}`, String(p.port));
    const proto = (first.protocol ?? 'TCP').toLowerCase();
    env.set(`${name}_PORT`, `${proto}://${ip}:${first.port}`);
    for (const p of ports) {
      const pr = (p.protocol ?? 'TCP');
      const base = `${name}_PORT_${p.port}_${pr}`;
      env.set(base, `${pr.toLowerCase()}://${ip}:${p.port}`);
      env.set(`${base}_PROTO`, pr.toLowerCase());
      env.set(`${base}_PORT`, String(p.port));
      env.set(`${base}_ADDR`, ip);
    }
  }
  return env;
}

/** command and args after $(VAR) expansion against the container's final environment. */
export function expandCommand(list: string[] | undefined, env: Map<string, string>): string[] {
  return (list ?? []).map((s) => expand(s, (n) => env.get(n)));
}
