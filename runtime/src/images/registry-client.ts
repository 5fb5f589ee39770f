// A client for the OCI distribution API (registry v2) scoped to one
// repository. It handles the auth dance: a 401 carries a `WWW-Authenticate`
// challenge — Bearer (get a token from the realm, anonymously, with basic
// credentials, or with an identity/refresh token) or Basic — and the request is
// retried once with the credential. Plain http is used only for loopback
// registries; everything else is https.
import { Buffer } from 'node:buffer';
import { RegistryAuthError, RegistryError, RemoteRegistryDisabledError } from './errors.js';
import { defaultDomain, isLoopbackHost } from './reference.js';

/**
 * Credentials, as CRI's AuthConfig carries them: a username and password, an
 * identity token (an OAuth2 refresh token exchanged at the token realm), or a
 * registry token (a bearer token sent as is).
 */
export type RegistryAuth = { username: string; password: string } | { identityToken: string } | { registryToken: string };

export interface RegistryRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: Buffer | ReadableStream<Uint8Array>;
  /** Statuses the caller handles itself (404 for "blob absent", …); others throw RegistryError. */
  accept?: number[];
}

interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

export class RegistryClient {
  readonly baseUrl: string;
  private authorization: string | undefined;

  constructor(
    readonly domain: string,
    readonly repository: string,
    private readonly actions: 'pull' | 'pull,push',
    private readonly auth?: RegistryAuth,
    /** When false, every request (token realms and redirects included) must stay on loopback. */
    private readonly allowRemote = false,
  ) {
    const host = domain === defaultDomain ? 'registry-1.docker.io' : domain;
    assertHostAllowed(host, allowRemote);
    this.baseUrl = `${isLoopbackHost(domain) ? 'http' : 'https'}://${host}`;
    if (auth && 'registryToken' in auth) this.authorization = `Bearer ${auth.registryToken}`;
  }

  /** A path under /v2/<repository>/ (or an absolute URL the registry handed out, such as an upload location). */
  url(pathOrUrl: string): string {
    if (/^https?:\/\//.test(pathOrUrl)) return pathOrUrl;
    if (pathOrUrl.startsWith('/')) return this.baseUrl + pathOrUrl;
    return `${this.baseUrl}/v2/${this.repository}/${pathOrUrl}`;
  }

  async fetch(pathOrUrl: string, req: RegistryRequest = {}): Promise<Response> {
    const url = this.url(pathOrUrl);
    let res = await this.send(url, req);
    if (res.status === 401) {
      const challenge = parseChallenge(res.headers.get('www-authenticate') ?? '');
      await res.body?.cancel();
      // A streamed body is gone after the first attempt; callers stream only after auth is settled.
      if (req.body instanceof ReadableStream) throw new RegistryAuthError(url, 'authentication required in the middle of an upload');
      this.authorization = await this.authorize(url, challenge);
      res = await this.send(url, req);
      if (res.status === 401) {
        await res.body?.cancel();
        throw new RegistryAuthError(url, this.auth ? 'credentials rejected' : 'registry requires credentials');
      }
    }
    if (!res.ok && !(req.accept ?? []).includes(res.status)) {
      const detail = await res.text().catch(() => '');
      throw new RegistryError(res.status, `${req.method ?? 'GET'} ${url}`, detail.slice(0, 500) || res.statusText);
    }
    return res;
  }

  private async send(url: string, req: RegistryRequest): Promise<Response> {
    const headers: Record<string, string> = { ...(req.headers ?? {}) };
    if (this.authorization) headers['authorization'] = this.authorization;
    const init: RequestInit & { duplex?: 'half' } = { method: req.method ?? 'GET', headers, redirect: 'manual' };
    if (req.body !== undefined) {
      init.body = req.body;
      if (req.body instanceof ReadableStream) init.duplex = 'half';
    }
    // Redirects are followed by hand so that each hop passes the host check
    // (blob downloads are commonly redirected to a storage service).
    let target = url;
    for (let hop = 0; hop < 5; hop++) {
      const res = await this.guardedFetch(target, init);
      const location = res.headers.get('location');
      if (![301, 302, 303, 307, 308].includes(res.status) || !location || init.method === 'POST' || init.method === 'PUT') return res;
      await res.body?.cancel();
      const next = new URL(location, target);
      // Credentials for the registry are not for whoever it redirects to.
      if (next.origin !== new URL(target).origin) delete headers['authorization'];
      target = next.href;
    }
    throw new RegistryError(0, url, 'too many redirects');
  }

  private guardedFetch(url: string | URL, init: RequestInit): Promise<Response> {
    const u = new URL(url);
    assertHostAllowed(u.host, this.allowRemote);
    return fetch(u, init).catch((err: unknown) => {
      throw new RegistryError(0, `${init.method ?? 'GET'} ${u.href}`, `unreachable: ${(err as Error).message}`, { cause: err });
    });
  }

  private async authorize(url: string, challenge: Challenge | undefined): Promise<string> {
    if (challenge?.scheme === 'basic') {
      if (!this.auth || !('username' in this.auth)) throw new RegistryAuthError(url, 'registry asks for a username and password');
      return `Basic ${Buffer.from(`${this.auth.username}:${this.auth.password}`).toString('base64')}`;
    }
    if (this.auth && 'registryToken' in this.auth) throw new RegistryAuthError(url, 'registry token rejected');
    if (challenge?.scheme !== 'bearer' || !challenge.params['realm']) throw new RegistryAuthError(url, 'unsupported or missing WWW-Authenticate challenge');
    return `Bearer ${await this.fetchToken(challenge.params)}`;
  }

  private async fetchToken(params: Record<string, string>): Promise<string> {
    const realm = new URL(params['realm'] as string);
    if (realm.protocol !== 'https:' && !(realm.protocol === 'http:' && isLoopbackHost(realm.host))) {
      throw new RegistryAuthError(realm.href, 'token realm must use https');
    }
    // Ask for what this client does, whatever scope the challenge happened to name.
    const scope = `repository:${this.repository}:${this.actions}`;
    const service = params['service'];
    let res: Response;
    if (this.auth && 'identityToken' in this.auth) {
      const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: this.auth.identityToken, client_id: 'wharf', scope });
      if (service) form.set('service', service);
      res = await this.guardedFetch(realm, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form });
    } else {
      realm.searchParams.set('scope', scope);
      if (service) realm.searchParams.set('service', service);
      const headers: Record<string, string> = {};
      if (this.auth && 'username' in this.auth) headers['authorization'] = `Basic ${Buffer.from(`${this.auth.username}:${this.auth.password}`).toString('base64')}`;
      res = await this.guardedFetch(realm, { headers });
    }
    if (!res.ok) throw new RegistryAuthError(realm.origin + realm.pathname, `token endpoint answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
    const body = (await res.json()) as { token?: string; access_token?: string };
    const token = body.token ?? body.access_token;
    if (!token) throw new RegistryAuthError(realm.href, 'token endpoint returned no token');
    return token;
  }
}

/** Refuses a non-loopback host unless remote registries are allowed; checked before any request leaves. */
export function assertHostAllowed(host: string, allowRemote: boolean): void {
  if (!allowRemote && !isLoopbackHost(host)) throw new RemoteRegistryDisabledError(host);
}

/** Parses `Bearer realm="https://…",service="…",scope="…"` (quoted or bare values, commas inside quotes). */
export function parseChallenge(header: string): Challenge | undefined {
  const m = /^\s*(\w+)\s*(.*)$/s.exec(header);
  if (!m) return undefined;
  const params: Record<string, string> = {};
  const re = /([\w-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))\s*,?/g;
  for (let p = re.exec(m[2] ?? ''); p; p = re.exec(m[2] ?? '')) {
    params[(p[1] as string).toLowerCase()] = p[2] !== undefined ? p[2].replace(/\\(.)/g, '$1') : (p[3] ?? '');
  }
  return { scheme: (m[1] as string).toLowerCase(), params };
}
