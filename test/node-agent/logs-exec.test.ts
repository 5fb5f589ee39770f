// Logs and exec: the agent's own server (as the apiserver's proxy uses it),
// the apiserver's pods/log and pods/exec, and the real kubectl against them.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startNodeCluster, waitFor, type NodeCluster } from '../harness/node-cluster.js';
import { busybox, containerStatus, create, logs, pod, waitPod } from './helpers.js';

let c: NodeCluster;

beforeAll(async () => {
  c = await startNodeCluster({ agentArgs: ['--crashloop-backoff-base', '1s', '--crashloop-backoff-max', '2s'] });
  await create(c, pod('talker', { containers: [busybox('main', 'for i in 1 2 3; do echo line $i; done; echo oops >&2; while true; do sleep 0.3; echo tick; done')] }));
  await create(c, pod('repeat', { containers: [busybox('main', 'echo run-$(cat /proc/sys/kernel/random/uuid | cut -c1-4); sleep 0.5; exit 1')] }));
  await waitPod(c, 'talker', (x) => x.status?.phase === 'Running', 'Running');
});

afterAll(async () => {
  await c?.cleanup();
});

interface ExecResult {
  stdout: string;
  stderr: string;
  status: any;
}

function execWs(url: string, headers: Record<string, string>, stdin?: string, ca?: string, resize?: { Width: number; Height: number }): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, ['v5.channel.k8s.io', 'v4.channel.k8s.io'], { headers, ...(ca ? { ca } : {}) });
    let stdout = '';
    let stderr = '';
    let status: any;
    ws.on('open', () => {
      if (resize) ws.send(Buffer.concat([Buffer.from([4]), Buffer.from(JSON.stringify(resize))]));
      if (stdin !== undefined) {
        ws.send(Buffer.concat([Buffer.from([0]), Buffer.from(stdin)]));
        ws.send(Buffer.from([255, 0]));
      }
    });
    ws.on('message', (data: Buffer) => {
      const ch = data[0];
      const body = data.subarray(1).toString('utf8');
      if (ch === 1) stdout += body;
      else if (ch === 2) stderr += body;
      else if (ch === 3) status = JSON.parse(body);
    });
    ws.on('close', () => resolve({ stdout, stderr, status }));
    ws.on('error', reject);
  });
}

const q = (cmd: string[], extra = 'stdout=true&stderr=true') => `${cmd.map((x) => `command=${encodeURIComponent(x)}`).join('&')}&${extra}`;

describe('node agent: logs and exec', () => {
  it('serves logs with tailLines, timestamps and previous', async () => {
    await waitFor('three lines', async () => ((await logs(c, 'talker')).includes('line 3') ? true : undefined));
    const all = await logs(c, 'talker');
    expect(all.startsWith('line 1\nline 2\nline 3\noops\n')).toBe(true);
    const tail = await logs(c, 'talker', '?tailLines=1');
    expect(tail.split('\n').filter(Boolean)).toHaveLength(1);
    const stamped = await logs(c, 'talker', '?tailLines=2&timestamps=true');
    for (const l of stamped.split('\n').filter(Boolean)) expect(l).toMatch(/^\d{4}-\d\d-\d\dT\S+ (tick|oops|line \d)$/);
    const p = await waitPod(c, 'repeat', (x) => containerStatus(x, 'main')?.restartCount >= 1, 'restarted once');
    expect(containerStatus(p, 'main').restartCount).toBeGreaterThanOrEqual(1);
    const previous = await logs(c, 'repeat', '?previous=true');
    expect(previous).toMatch(/^run-[0-9a-f]{4}\n$/);
  });

  it('follows a log until the client goes away', async () => {
    const r = await fetch(`http://127.0.0.1:${c.agentPort}/pods/default/talker/log?follow=true&tailLines=0`, { headers: { authorization: `Bearer ${c.proxyToken}` } });
    const reader = r.body!.getReader();
    let text = '';
    while ((text.match(/tick/g) ?? []).length < 2) text += Buffer.from((await reader.read()).value!).toString();
    await reader.cancel();
    expect(text.startsWith('tick\n')).toBe(true);
  });

  it('rejects callers without the proxy token', async () => {
    const r = await fetch(`http://127.0.0.1:${c.agentPort}/pods/default/talker/log`);
    expect(r.status).toBe(401);
    const s = await fetch(`http://127.0.0.1:${c.agentPort}/stats/summary`);
    expect(s.status).toBe(401);
  });

  it('execs over v5.channel.k8s.io with stdin, stdout, stderr and the exit status', async () => {
    const auth = { authorization: `Bearer ${c.proxyToken}` };
    const base = `ws://127.0.0.1:${c.agentPort}/pods/default/talker/exec`;
    const ok = await execWs(`${base}?${q(['sh', '-c', 'cat; echo err >&2'], 'stdin=true&stdout=true&stderr=true')}`, auth, 'from stdin\n');
    expect(ok.stdout).toBe('from stdin\n');
    expect(ok.stderr).toBe('err\n');
    expect(ok.status).toEqual({ metadata: {}, status: 'Success' });
    const failed = await execWs(`${base}?${q(['sh', '-c', 'exit 7'])}`, auth);
    expect(failed.status.status).toBe('Failure');
    expect(failed.status.reason).toBe('NonZeroExitCode');
    expect(failed.status.details.causes).toEqual([{ reason: 'ExitCode', message: '7' }]);
    const tty = await execWs(`${base}?${q(['sh', '-c', 'test -t 1 && echo tty'], 'stdout=true&tty=true')}`, auth);
    // A terminal ends lines with \r\n; the runtime's terminal may also echo a stray ^@ as input ends.
    expect(tty.stdout.replace(/\^@|\r/g, '')).toBe('tty\n');
    const sized = await execWs(`${base}?${q(['sh', '-c', 'sleep 0.5; stty size'], 'stdin=true&stdout=true&tty=true')}`, auth, '', undefined, { Width: 100, Height: 40 });
    expect(sized.stdout).toContain('40 100');
  });

  it('serves a stats summary with node, pod and container CPU and memory', async () => {
    const r = await c.agentGet('/stats/summary');
    expect(r.status).toBe(200);
    const s = r.json();
    expect(s.node.nodeName).toBe('node-1');
    expect(s.node.memory.workingSetBytes).toBeGreaterThan(0);
    const talker = s.pods.find((p: any) => p.podRef.name === 'talker');
    expect(talker.podRef.namespace).toBe('default');
    expect(talker.cpu.usageCoreNanoSeconds).toBeGreaterThan(0);
    expect(talker.memory.workingSetBytes).toBeGreaterThan(0);
    expect(talker.containers.map((x: any) => x.name)).toEqual(['main']);
  });

  it('pods/log and pods/exec through the apiserver, and kubectl logs/exec', async (ctx) => {
    const viaApi = await c.request('GET', '/api/v1/namespaces/default/pods/talker/log');
    if (viaApi.status === 404 && viaApi.text.includes('pods/log')) ctx.skip();
    expect(viaApi.status).toBe(200);
    expect(viaApi.text).toContain('line 2\n');
    const wsUrl = `wss://127.0.0.1:${c.api.port}/api/v1/namespaces/default/pods/talker/exec?${q(['sh', '-c', 'cat; exit 3'], 'stdin=true&stdout=true&stderr=true')}`;
    const viaWs = await execWs(wsUrl, { authorization: `Bearer ${c.api.token}` }, 'piped\n', c.api.ca);
    expect(viaWs.stdout).toBe('piped\n');
    expect(viaWs.status.details.causes[0].message).toBe('3');
    if (!existsSync('/usr/bin/kubectl')) return;
    const kubectl = (args: string[], input?: string) =>
      new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
        const p = spawn('/usr/bin/kubectl', ['--kubeconfig', c.api.kubeconfig, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
        let out = '';
        let err = '';
        p.stdout.on('data', (d) => (out += d));
        p.stderr.on('data', (d) => (err += d));
        p.on('close', (code) => resolve({ code, out, err }));
        p.stdin.end(input ?? '');
      });
    const kl = await kubectl(['logs', 'talker', '--tail=2']);
    expect(kl.code).toBe(0);
    expect(kl.out.split('\n').filter(Boolean)).toHaveLength(2);
    const ke = await kubectl(['exec', '-i', 'talker', '--', 'sh', '-c', 'cat | tr a-z A-Z'], 'shout\n');
    expect(ke.err).toBe('');
    expect(ke.out).toBe('SHOUT\n');
    const kx = await kubectl(['exec', 'talker', '--', 'sh', '-c', 'exit 4']);
    expect(kx.code).toBe(4);
  });

  it('kubectl logs -f streams new lines through the apiserver', async (ctx) => {
    if (!existsSync('/usr/bin/kubectl')) ctx.skip();
    const p = spawn('/usr/bin/kubectl', ['--kubeconfig', c.api.kubeconfig, 'logs', '-f', '--tail=0', 'talker'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    const got = await waitFor('two followed lines', () => ((out.match(/tick/g) ?? []).length >= 2 ? out : undefined), 20_000);
    p.kill('SIGTERM');
    expect(got.startsWith('tick\n')).toBe(true);
  });

  it("kubectl exec -it: a terminal in the container, sized like the caller's, and its exit code back", async (ctx) => {
    if (!existsSync('/usr/bin/kubectl')) ctx.skip();
    // script(1) gives kubectl the terminal that -it needs; the sleep lets kubectl's first resize arrive.
    const cmd = `stty rows 40 cols 100; /usr/bin/kubectl --kubeconfig ${c.api.kubeconfig} exec -it talker -- sh -c 'sleep 1; stty size; tty; exit 5'`;
    const r = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const p = spawn('script', ['-qec', cmd, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
      let out = '';
      p.stdout.on('data', (d) => (out += d));
      p.stderr.on('data', (d) => (out += d));
      p.on('close', (code) => resolve({ code, out }));
      setTimeout(() => p.stdin.end(), 3000);
    });
    // The caller's terminal size (set on script's pty) reached the container through the resize channel.
    expect(r.out).toContain('40 100');
    expect(r.out).toMatch(/\/dev\/pts\/\d+/);
    expect(r.out).toContain('command terminated with exit code 5');
    expect(r.code).toBe(5);
  });
});
