// Starts a real `bin/wharf apiserver` process for a test, on a random loopback
// port with a private data directory, and gives the test an HTTPS client that
// trusts the cluster CA and carries the admin token.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO = resolve(import.meta.dirname, '../..');
export const WHARF = join(REPO, 'bin/wharf');

export interface HttpResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json<T = any>(): T;
}

export interface ApiServerProcess {
  url: string;
  port: number;
  token: string;
  ca: string;
  dataDir: string;
  kubeconfig: string;
  store: string;
  proc: ChildProcess;
  /** stderr so far (structured logs). */
  logs(): string;
  request(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<HttpResult>;
  /** SIGTERM and wait for exit. */
  stop(): Promise<number | null>;
  /** SIGKILL and wait for exit. */
  kill(): Promise<void>;
  /** Start again on the same port, data dir and store. */
  restart(): Promise<ApiServerProcess>;
  cleanup(): Promise<void>;
}

export interface StartOptions {
  dataDir?: string;
  store?: string;
  port?: number;
  extraArgs?: string[];
}

function waitForListening(proc: ChildProcess, logs: { text: string }): Promise<{ url: string }> {
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`apiserver did not start in 30 s:\n${logs.text}`)), 30_000);
    const onData = (chunk: Buffer) => {
      logs.text += chunk.toString();
      for (const line of logs.text.split('\n')) {
        if (!line.includes('apiserver listening')) continue;
        try {
          const entry = JSON.parse(line) as { url: string };
          clearTimeout(timer);
          resolvePromise({ url: entry.url });
          return;
        } catch {
          // A partial line: wait for the rest.
        }
      }
    };
    proc.stderr!.on('data', onData);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`apiserver exited with ${code}:\n${logs.text}`));
    });
  });
}

export async function startApiServer(opts: StartOptions = {}): Promise<ApiServerProcess> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'wharf-apiserver-'));
  const store = opts.store ?? `sqlite:${join(dataDir, 'state.db')}`;
  const kubeconfig = join(dataDir, 'kubeconfig');
  const args = [WHARF, 'apiserver', '--listen', `127.0.0.1:${opts.port ?? 0}`, '--data-dir', dataDir, '--store', store, '--write-kubeconfig', kubeconfig, ...(opts.extraArgs ?? [])];
  const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  proc.stdout!.resume();
  const logs = { text: '' };
  const { url } = await waitForListening(proc, logs);
  proc.stderr!.on('data', (c: Buffer) => { logs.text += c.toString(); });
  const port = Number(new URL(url).port);
  const token = readFileSync(join(dataDir, 'admin.token'), 'utf8').trim();
  const ca = readFileSync(join(dataDir, 'pki', 'ca.crt'), 'utf8');
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));

  const request = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpResult> =>
    new Promise((resolveReq, reject) => {
      const payload = body === undefined ? undefined : typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
      const req = httpsRequest(
        {
          host: '127.0.0.1',
          port,
          path,
          method,
          ca,
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': 'application/json',
            accept: 'application/json',
            // Node sends DELETE bodies without framing unless told the length.
            ...(payload !== undefined ? { 'content-length': String(Buffer.byteLength(payload)) } : {}),
            ...headers,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            resolveReq({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) });
          });
        },
      );
      req.on('error', reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });

  const self: ApiServerProcess = {
    url,
    port,
    token,
    ca,
    dataDir,
    kubeconfig,
    store,
    proc,
    logs: () => logs.text,
    request,
    async stop() {
      proc.kill('SIGTERM');
      return exited;
    },
    async kill() {
      proc.kill('SIGKILL');
      await exited;
    },
    restart: () => startApiServer({ dataDir, store, port, ...(opts.extraArgs ? { extraArgs: opts.extraArgs } : {}) }),
    async cleanup() {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGKILL');
        await exited;
      }
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return self;
}
