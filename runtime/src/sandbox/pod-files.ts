// The files every container of a pod bind-mounts: /etc/hostname, /etc/hosts
// (localhost plus the pod's own name and IP) and /etc/resolv.conf from the
// request's DNS config (the host's resolv.conf when the pod gives none).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type * as P from '@wharf/proto';

export async function writePodFiles(dir: string, hostname: string, ip: string | undefined, dns: P.DNSConfig): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(path.join(dir, 'hostname'), `${hostname}\n`);
  const hosts = [
    '127.0.0.1\tlocalhost',
    '::1\tlocalhost ip6-localhost ip6-loopback',
    'fe00::0\tip6-localnet',
    'ff02::1\tip6-allnodes',
    'ff02::2\tip6-allrouters',
    ...(ip ? [`${ip}\t${hostname}`] : []),
  ];
  await fs.writeFile(path.join(dir, 'hosts'), hosts.join('\n') + '\n');
  let resolv: string;
  if (dns.servers.length + dns.searches.length + dns.options.length > 0) {
    resolv = [
      ...(dns.searches.length ? [`search ${dns.searches.join(' ')}`] : []),
      ...dns.servers.map((s) => `nameserver ${s}`),
      ...(dns.options.length ? [`options ${dns.options.join(' ')}`] : []),
    ].join('\n') + '\n';
  } else {
    resolv = await fs.readFile('/etc/resolv.conf', 'utf8').catch(() => '');
  }
  await fs.writeFile(path.join(dir, 'resolv.conf'), resolv);
}
