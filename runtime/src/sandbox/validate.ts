// Request checks for RunPodSandbox, so a malformed request fails before
// anything is created.
import type * as P from '@wharf/proto';
import { InvalidArgumentError } from '../errors.js';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const HOSTNAME = /^[A-Za-z0-9]([-A-Za-z0-9.]{0,62})$/;

export function validateSandboxConfig(config: P.PodSandboxConfig | null): {
  metadata: P.PodSandboxMetadata;
  hostname: string;
  namespaceOptions: P.NamespaceOption;
  sysctls: Record<string, string>;
} {
  if (!config) throw new InvalidArgumentError('config is required');
  const metadata = config.metadata;
  if (!metadata?.name) throw new InvalidArgumentError('config.metadata.name is required');
  if (metadata.name.length > 253 || /[\s/\0]/.test(metadata.name)) {
    throw new InvalidArgumentError(`config.metadata.name ${JSON.stringify(metadata.name)} is not a valid name`);
  }
  const hostname = config.hostname || metadata.name.slice(0, 63);
  if (!HOSTNAME.test(hostname)) throw new InvalidArgumentError(`config.hostname ${JSON.stringify(hostname)} is not a valid hostname`);
  for (const s of config.dns_config?.servers ?? []) {
    if (!/^[0-9a-fA-F:.]+$/.test(s)) throw new InvalidArgumentError(`dns server ${JSON.stringify(s)} is not an IP address`);
  }
  for (const s of config.dns_config?.searches ?? []) {
    if (!s.split('.').every((l) => DNS_LABEL.test(l.toLowerCase()))) throw new InvalidArgumentError(`dns search ${JSON.stringify(s)} is not a domain`);
  }
  for (const o of config.dns_config?.options ?? []) {
    if (/[\s\n]/.test(o)) throw new InvalidArgumentError(`dns option ${JSON.stringify(o)} contains whitespace`);
  }
  if (config.log_directory && !config.log_directory.startsWith('/')) {
    throw new InvalidArgumentError('config.log_directory must be absolute');
  }
  const ns = config.linux?.security_context?.namespace_options;
  const namespaceOptions: P.NamespaceOption = {
    network: ns?.network ?? 'POD',
    pid: ns?.pid ?? 'CONTAINER',
    ipc: ns?.ipc ?? 'POD',
    target_id: ns?.target_id ?? '',
  };
  const parent = config.linux?.cgroup_parent ?? '';
  if (parent && (!/^(\/[A-Za-z0-9_.:@-]+)+$/.test(parent) || parent.split('/').includes('..'))) {
    throw new InvalidArgumentError('config.linux.cgroup_parent must be an absolute cgroup path without ..');
  }
  const sysctls = config.linux?.sysctls ?? {};
  for (const [k, v] of Object.entries(sysctls)) {
    // Only namespaced sysctls: they change the pod, never the node.
    if (!/^(net\.[a-z0-9_.-]+|kernel\.(shm[a-z_]+|msg[a-z_]+|sem)|fs\.mqueue\.[a-z_]+)$/.test(k) || k.includes('..')) {
      throw new InvalidArgumentError(`sysctl ${JSON.stringify(k)} is not a namespaced sysctl`);
    }
    if (!/^[\w .:/-]*$/.test(v)) throw new InvalidArgumentError(`sysctl ${k} has an invalid value`);
  }
  return { metadata, hostname, namespaceOptions, sysctls };
}
