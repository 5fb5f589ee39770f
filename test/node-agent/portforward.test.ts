// pods/portforward end to end: `wharf port-forward` inside the cluster's
// network namespace → apiserver → node agent → TCP to the pod's IP, serving a
// busybox httpd's content on a local port.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { REPO } from '../harness/apiserver.js';
import { startNodeCluster, type NodeCluster } from '../harness/node-cluster.js';
import { busybox, create, pod, waitPod } from './helpers.js';

let c: NodeCluster;

beforeAll(async () => {
  c = await startNodeCluster();
  const script = 'mkdir -p /tmp/www && echo served-by-pod > /tmp/www/hello.txt && exec httpd -f -p 8080 -h /tmp/www';
  await create(c, pod('web', { containers: [busybox('main', script)] }));
  await waitPod(c, 'web', (x) => x.status?.phase === 'Running' && !!x.status?.podIP, 'Running');
}, 60_000);

afterAll(async () => {
  await c?.cleanup();
});

/**
 * Runs `port-forward` in the background inside the namespace, fetches through
 * it with busybox wget, then stops it — all in one shell, so nothing outlives
 * the call.
 */
function forwardAndFetch(forwardCmd: string, url: string, times = 1): Promise<{ code: number; stdout: string; stderr: string }> {
  const script = [
    `log=$(mktemp)`,
    `${forwardCmd} >"$log" 2>&1 &`,
    'pf=$!',
    'i=0',
    `while ! grep -q 'Forwarding from' "$log"; do i=$((i+1)); if [ $i -gt 150 ]; then cat "$log" >&2; kill $pf; exit 90; fi; sleep 0.1; done`,
    `rc=0; for n in $(seq ${times}); do busybox wget -qO- ${url} || rc=$?; done`,
    'kill -TERM $pf; wait $pf',
    'cat "$log" >&2; rm -f "$log"',
    'exit $rc',
  ].join('\n');
  return c.run(['sh', '-c', script]);
}

describe('pods/portforward', () => {
  it('the agent bridges a WebSocket to the pod port', async () => {
    const frames = await new Promise<Buffer[]>((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${c.agentPort}/pods/default/web/portforward?ports=8080`, ['v4.channel.k8s.io'], {
        headers: { authorization: `Bearer ${c.proxyToken}` },
      });
      const got: Buffer[] = [];
      ws.on('open', () => ws.send(Buffer.concat([Buffer.from([0]), Buffer.from('GET /hello.txt HTTP/1.0\r\n\r\n')])));
      ws.on('message', (d: Buffer) => got.push(d));
      ws.on('close', () => resolve(got));
      ws.on('error', reject);
    });
    expect(frames[0]).toEqual(Buffer.from([0, 8080 & 0xff, 8080 >> 8]));
    expect(frames[1]).toEqual(Buffer.from([1, 8080 & 0xff, 8080 >> 8]));
    const body = Buffer.concat(frames.slice(2).filter((f) => f[0] === 0).map((f) => f.subarray(1))).toString();
    expect(body).toMatch(/^HTTP\/1\.[01] 200/);
    expect(body).toContain('served-by-pod');
  });

  it('rejects a port-forward without ports', async () => {
    const status = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${c.agentPort}/pods/default/web/portforward`, ['v4.channel.k8s.io'], {
        headers: { authorization: `Bearer ${c.proxyToken}` },
      });
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => resolve(101));
      ws.on('error', () => undefined);
    });
    expect(status).toBe(400);
  });

  it('wharf port-forward serves the pod content on a local port through the apiserver', async () => {
    const wharf = `${process.execPath} ${join(REPO, 'bin/wharf')} port-forward --kubeconfig ${c.api.kubeconfig} pod/web 18080:8080`;
    const r = await forwardAndFetch(wharf, 'http://127.0.0.1:18080/hello.txt');
    expect(r.stderr).toContain('Forwarding from 127.0.0.1:18080 -> 8080');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('served-by-pod\n');
  }, 30_000);
});

describe('pods/portforward with kubectl', () => {
  // kubectl ≥ 1.31 tunnels SPDY through the WebSocket (SPDY/3.1+portforward.k8s.io).
  it('kubectl 1.32 port-forward serves two connections in a row', async (ctx) => {
    const kubectl = '/usr/lib/google-cloud-sdk/bin/kubectl.1.32';
    if (!existsSync(kubectl)) ctx.skip();
    const r = await forwardAndFetch(`${kubectl} --kubeconfig ${c.api.kubeconfig} port-forward pod/web 18081:8080`, 'http://127.0.0.1:18081/hello.txt', 2);
    expect(r.stderr).toContain('Forwarding from 127.0.0.1:18081 -> 8080');
    expect(r.stderr).not.toMatch(/error|fallback/i);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('served-by-pod\nserved-by-pod\n');
  }, 30_000);
});
