// First-start identity: a cluster CA, a serving certificate signed by it and an
// admin bearer token, kept under the data directory. Real kubectl sends no
// credentials over plain http and @kubernetes/client-node refuses http, so
// HTTPS with a CA the kubeconfig embeds is what makes every client work.
//
// The certificates are made with the openssl binary (Debian's openssl, always
// present where apt is): Node can parse X.509 but not issue it, and a
// well-known tool beats a hand-rolled ASN.1 encoder.
import { execFileSync } from 'node:child_process';
import { randomBytes, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, networkInterfaces } from 'node:os';
import { join } from 'node:path';

export interface Pki {
  caCert: string;
  serverCert: string;
  serverKey: string;
  caCertPath: string;
  adminToken: string;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

function hostAddresses(): string[] {
  const out: string[] = [];
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' || a.family === 'IPv6') out.push(a.address.split('%')[0]!);
  }
  return out;
}

/** The subject alternative names the serving certificate must cover. */
export function servingSans(extra: string[]): { dns: string[]; ips: string[] } {
  const dns = new Set(['localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local', hostname()]);
  const ips = new Set(['127.0.0.1', '::1', ...hostAddresses()]);
  for (const san of extra) {
    if (/^[0-9.]+$/.test(san) || san.includes(':')) ips.add(san);
    else dns.add(san);
  }
  return { dns: [...dns], ips: [...ips] };
}

function certCovers(certPem: string, sans: { dns: string[]; ips: string[] }): boolean {
  const names = new X509Certificate(certPem).subjectAltName ?? '';
  const have = new Set(names.split(', '));
  const expand = (ip: string) => (ip.includes(':') ? null : `IP Address:${ip}`);
  return sans.dns.every((d) => have.has(`DNS:${d}`)) && sans.ips.every((ip) => { const e = expand(ip); return e === null || have.has(e); });
}

export function ensurePki(dataDir: string, extraSans: string[] = []): Pki {
  const dir = join(dataDir, 'pki');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const caKey = join(dir, 'ca.key');
  const caCrt = join(dir, 'ca.crt');
  if (!existsSync(caCrt) || !existsSync(caKey)) {
    openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt.tmp', '-days', '3650', '-subj', '/CN=wharf-ca', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign,digitalSignature'], dir);
    writeFileSync(caCrt, readFileSync(join(dir, 'ca.crt.tmp')));
  }
  const sans = servingSans(extraSans);
  const srvCrt = join(dir, 'apiserver.crt');
  const srvKey = join(dir, 'apiserver.key');
  // Re-issue when the host gained a name or address (or a SAN was added by flag).
  if (!existsSync(srvCrt) || !existsSync(srvKey) || !certCovers(readFileSync(srvCrt, 'utf8'), sans)) {
    const altNames = [...sans.dns.map((d) => `DNS:${d}`), ...sans.ips.map((ip) => `IP:${ip}`)].join(',');
    writeFileSync(join(dir, 'apiserver.ext'), `subjectAltName=${altNames}\nextendedKeyUsage=serverAuth,clientAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\nbasicConstraints=CA:FALSE\n`);
    openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'apiserver.key', '-out', 'apiserver.csr', '-subj', '/CN=wharf-apiserver'], dir);
    openssl(['x509', '-req', '-in', 'apiserver.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'apiserver.crt', '-days', '3650', '-extfile', 'apiserver.ext'], dir);
  }
  const tokenPath = join(dataDir, 'admin.token');
  if (!existsSync(tokenPath)) writeFileSync(tokenPath, `${randomBytes(24).toString('hex')}\n`, { mode: 0o600 });
  return {
    caCert: readFileSync(caCrt, 'utf8'),
    serverCert: readFileSync(srvCrt, 'utf8'),
    serverKey: readFileSync(srvKey, 'utf8'),
    caCertPath: caCrt,
    adminToken: readFileSync(tokenPath, 'utf8').trim(),
  };
}

/** A kubeconfig that embeds the CA and the admin token, usable by kubectl and wharf alike. */
export function kubeconfigYaml(server: string, caCert: string, token: string, name = 'wharf'): string {
  const ca = Buffer.from(caCert).toString('base64');
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: ${name}`,
    '  cluster:',
    `    server: ${server}`,
    `    certificate-authority-data: ${ca}`,
    'users:',
    `- name: ${name}-admin`,
    '  user:',
    `    token: ${token}`,
    'contexts:',
    `- name: ${name}`,
    '  context:',
    `    cluster: ${name}`,
    `    user: ${name}-admin`,
    '    namespace: default',
    `current-context: ${name}`,
    'preferences: {}',
    '',
  ].join('\n');
}
