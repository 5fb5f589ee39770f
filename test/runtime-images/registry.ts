// A real distribution registry (Debian's docker-registry) on a loopback port
// for the pull/push tests, with optional token auth served by a small token
// issuer that signs JWTs with a throwaway certificate the registry trusts.
import { spawn, type ChildProcess } from 'node:child_process';
import { createPrivateKey, createSign, randomBytes, X509Certificate } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { join } from 'node:path';
import { run, tempDir } from './helpers.js';

export interface Registry {
  /** "127.0.0.1:<port>" — the registry part of image names. */
  host: string;
  storage: string;
  stop(): Promise<void>;
}

export interface TokenAuth {
  username: string;
  password: string;
  identityToken: string;
}

async function freePort(): Promise<number> {
  const srv = createNetServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

export interface RegistryAuthConfig {
  /** Bearer tokens from a token issuer the test runs. */
  token?: TokenAuth;
  /** Basic auth from an htpasswd file (bcrypt via libxcrypt's crypt, through perl). */
  basic?: { username: string; password: string };
}

export async function startRegistry(authConfig: RegistryAuthConfig = {}): Promise<Registry> {
  const dir = await tempDir('registry');
  const port = await freePort();
  let tokenServer: Server | undefined;
  let authYaml = '';
  const auth = authConfig.token;
  if (authConfig.basic) {
    const salt = randomBytes(16).toString('base64').replace(/[^A-Za-z0-9]/g, '.').slice(0, 22);
    const { stdout: hash } = await run('perl', ['-e', 'print crypt($ARGV[0], $ARGV[1])', authConfig.basic.password, `$2b$05$${salt}`]);
    if (!hash.startsWith('$2b$')) throw new Error(`crypt() did not produce bcrypt: ${hash}`);
    await writeFile(join(dir.path, 'htpasswd'), `${authConfig.basic.username}:${hash}\n`);
    authYaml = `auth:\n  htpasswd:\n    realm: wharf-test\n    path: ${join(dir.path, 'htpasswd')}\n`;
  }
  if (auth) {
    const { server, realm, certPath } = await startTokenServer(dir.path, auth);
    tokenServer = server;
    authYaml = `auth:\n  token:\n    realm: ${realm}\n    service: wharf-test-registry\n    issuer: wharf-test-issuer\n    rootcertbundle: ${certPath}\n`;
  }
  const config = join(dir.path, 'config.yml');
  await writeFile(config, [
    'version: 0.1',
    'log:\n  level: error\n  accesslog:\n    disabled: true',
    `storage:\n  filesystem:\n    rootdirectory: ${join(dir.path, 'data')}\n  delete:\n    enabled: true`,
    `http:\n  addr: 127.0.0.1:${port}`,
    authYaml,
  ].join('\n'));
  const child: ChildProcess = spawn('/usr/bin/docker-registry', ['serve', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  for (let i = 0; ; i++) {
    const res = await fetch(`http://127.0.0.1:${port}/v2/`).catch(() => undefined);
    if (res && (res.status === 200 || res.status === 401)) break;
    if (child.exitCode !== null || i > 200) throw new Error(`docker-registry did not start: ${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    host: `127.0.0.1:${port}`,
    storage: join(dir.path, 'data'),
    async stop() {
      child.kill('SIGTERM');
      await exited;
      await new Promise((r) => (tokenServer ? tokenServer.close(r) : r(undefined)));
      await dir.cleanup();
    },
  };
}

function b64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

/** Issues registry tokens (RS256 JWTs with an x5c chain) to basic-auth users and refresh-token holders. */
async function startTokenServer(dir: string, auth: TokenAuth): Promise<{ server: Server; realm: string; certPath: string }> {
  const keyPath = join(dir, 'token.key');
  const certPath = join(dir, 'token.crt');
  await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyPath, '-out', certPath, '-days', '1', '-subj', '/CN=wharf-test-token']);
  const key = createPrivateKey(await readFile(keyPath));
  const certDer = new X509Certificate(await readFile(certPath)).raw;

  const issue = (subject: string, scope: string | null): string => {
    const access = [];
    const m = scope ? /^repository:([^:]+):(.+)$/.exec(scope) : null;
    if (m) access.push({ type: 'repository', name: m[1], actions: (m[2] as string).split(',') });
    const now = Math.floor(Date.now() / 1000);
    const header = b64url(JSON.stringify({ typ: 'JWT', alg: 'RS256', x5c: [certDer.toString('base64')] }));
    const claims = b64url(JSON.stringify({
      iss: 'wharf-test-issuer', sub: subject, aud: 'wharf-test-registry', exp: now + 300, nbf: now - 10, iat: now,
      jti: randomBytes(8).toString('hex'), access,
    }));
    const signature = createSign('RSA-SHA256').update(`${header}.${claims}`).sign(key);
    return `${header}.${claims}.${b64url(signature)}`;
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const deny = () => {
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end('{"errors":[{"code":"UNAUTHORIZED"}]}');
      };
      if (req.method === 'POST') {
        const form = new URLSearchParams(body);
        if (form.get('grant_type') !== 'refresh_token' || form.get('refresh_token') !== auth.identityToken) return deny();
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ access_token: issue(auth.username, form.get('scope')) }));
      }
      const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '');
      const [user, pass] = basic ? Buffer.from(basic[1] as string, 'base64').toString().split(':') : [];
      if (user !== auth.username || pass !== auth.password) return deny();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ token: issue(user, url.searchParams.get('scope')) }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return { server, realm: `http://127.0.0.1:${port}/token`, certPath };
}
