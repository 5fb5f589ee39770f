// Authentication is a chain of authenticators; the first that recognises the
// request names the user. Today: static bearer tokens (the admin token and any
// in <data-dir>/tokens.csv, in Kubernetes' token-file format). Node and user
// identities with roles slot in as further authenticators.
import { existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { timingSafeEqual } from 'node:crypto';

export interface UserInfo {
  name: string;
  uid: string;
  groups: string[];
}

export interface Authenticator {
  authenticate(req: IncomingMessage): UserInfo | undefined;
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class TokenAuthenticator implements Authenticator {
  private readonly tokens: Array<{ token: string; user: UserInfo }> = [];

  add(token: string, user: UserInfo): void {
    this.tokens.push({ token, user });
  }

  /** Kubernetes' static token file: token,user,uid,"group1,group2". */
  loadFile(path: string): void {
    if (!existsSync(path)) return;
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      const trimmed = line.trim();
      if (!trimmed || trimmed.startsWith('#')) continue;
      const [token, name, uid, groups] = trimmed.split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/);
      if (!token || !name) continue;
      this.add(token, { name, uid: uid ?? name, groups: (groups ?? '').replace(/"/g, '').split(',').filter(Boolean) });
    }
  }

  authenticate(req: IncomingMessage): UserInfo | undefined {
    const header = req.headers.authorization;
    if (!header?.startsWith('Bearer ')) return undefined;
    const presented = header.slice(7).trim();
    return this.tokens.find((t) => sameToken(t.token, presented))?.user;
  }
}

export class AuthenticatorChain implements Authenticator {
  constructor(private readonly chain: Authenticator[]) {}
  authenticate(req: IncomingMessage): UserInfo | undefined {
    for (const a of this.chain) {
      const user = a.authenticate(req);
      if (user) return user;
    }
    return undefined;
  }
}
