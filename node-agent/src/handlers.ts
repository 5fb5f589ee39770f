// The three ways Kubernetes checks or pokes a container — exec, httpGet,
// tcpSocket — shared by probes and lifecycle hooks. Network checks dial the
// pod IP from the node, as the kubelet does.
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { Container, HTTPGetAction, IntOrString, TCPSocketAction } from '@wharf/api';
import type { RuntimeClient } from '@wharf/proto';

export interface HandlerResult {
  ok: boolean;
  message: string;
}

export interface ActionTarget {
  runtime: RuntimeClient;
  containerId: string;
  container: Container;
  podIP: string;
}

export interface Action {
  exec?: { command?: string[] };
  httpGet?: HTTPGetAction;
  tcpSocket?: TCPSocketAction;
  sleep?: { seconds: number };
}

export function resolvePort(port: IntOrString, container: Container): number {
  if (typeof port === 'number') return port;
  if (/^\d+$/.test(port)) return Number(port);
  const found = container.ports?.find((p) => p.name === port);
  if (!found) throw new Error(`port ${JSON.stringify(port)} not found in container ${container.name}`);
  return found.containerPort;
}

export async function runAction(action: Action, target: ActionTarget, timeoutMs: number): Promise<HandlerResult> {
  try {
    if (action.exec) return await execAction(action.exec.command ?? [], target, timeoutMs);
    if (action.httpGet) return await httpGetAction(action.httpGet, target, timeoutMs);
    if (action.tcpSocket) return await tcpAction(action.tcpSocket, target, timeoutMs);
    if (action.sleep) {
      await new Promise((r) => setTimeout(r, Math.min(action.sleep!.seconds * 1000, timeoutMs)));
      return { ok: true, message: '' };
    }
    return { ok: false, message: 'no handler' };
  } catch (err) {
    return { ok: false, message: err instanceof Error ? err.message : String(err) };
  }
}

async function execAction(cmd: string[], t: ActionTarget, timeoutMs: number): Promise<HandlerResult> {
  const res = await t.runtime.execSync(
    { container_id: t.containerId, cmd, timeout: Math.max(1, Math.ceil(timeoutMs / 1000)) },
    { timeoutMs: timeoutMs + 2000 },
  );
  const output = Buffer.concat([res.stdout, res.stderr]).toString('utf8').slice(0, 1024);
  return res.exit_code === 0 ? { ok: true, message: output } : { ok: false, message: `command ${JSON.stringify(cmd)} exited with ${res.exit_code}: ${output}` };
}

function httpGetAction(a: HTTPGetAction, t: ActionTarget, timeoutMs: number): Promise<HandlerResult> {
  const port = resolvePort(a.port, t.container);
  const host = a.host || t.podIP;
  const scheme = a.scheme ?? 'HTTP';
  const headers: Record<string, string> = { 'user-agent': 'kube-probe/1.32', accept: '*/*' };
  for (const h of a.httpHeaders ?? []) headers[h.name.toLowerCase()] = h.value;
  return new Promise((resolve) => {
    const mod = scheme === 'HTTPS' ? https : http;
    const req = mod.request(
      { host, port, path: a.path || '/', method: 'GET', headers, timeout: timeoutMs, ...(scheme === 'HTTPS' ? { rejectUnauthorized: false } : {}) },
      (res) => {
        res.resume();
        const code = res.statusCode ?? 0;
        resolve(code >= 200 && code < 400 ? { ok: true, message: '' } : { ok: false, message: `HTTP probe failed with statuscode: ${code}` });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`Get "${scheme.toLowerCase()}://${host}:${port}${a.path ?? '/'}": context deadline exceeded`)));
    req.on('error', (err) => resolve({ ok: false, message: err.message }));
    req.end();
  });
}

function tcpAction(a: TCPSocketAction, t: ActionTarget, timeoutMs: number): Promise<HandlerResult> {
  const port = resolvePort(a.port, t.container);
  const host = a.host || t.podIP;
  return new Promise((resolve) => {
    const sock = net.connect({ host, port });
    const timer = setTimeout(() => {
      sock.destroy();
      resolve({ ok: false, message: `dial tcp ${host}:${port}: i/o timeout` });
    }, timeoutMs);
    sock.once('connect', () => {
      clearTimeout(timer);
      sock.destroy();
      resolve({ ok: true, message: '' });
    });
    sock.once('error', (err) => {
      clearTimeout(timer);
      resolve({ ok: false, message: err.message });
    });
  });
}
