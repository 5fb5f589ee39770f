// ExecSync (output, exit code, timeout) and the bidirectional Exec stream
// (stdin, exit code, tty with resize).
import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExecSession } from '@wharf/proto';
import { runPod, startRuntimeEnv, type RuntimeEnv } from './harness.js';

let env: RuntimeEnv;
let id: string;
beforeAll(async () => {
  env = await startRuntimeEnv();
  ({ containerId: id } = await runPod(env, ['sleep', '1000'], { name: 'exec' }));
});
afterAll(async () => {
  await env?.cleanup();
});

async function collect(session: ExecSession): Promise<{ stdout: string; stderr: string; code: number }> {
  let stdout = '';
  let stderr = '';
  for await (const f of session.output) {
    if (f.frame === 'stdout') stdout += f.stdout!.toString();
    if (f.frame === 'stderr') stderr += f.stderr!.toString();
  }
  return { stdout, stderr, code: await session.exitCode };
}

describe('exec', () => {
  it('ExecSync returns stdout, stderr and the exit code', async () => {
    const r = await env.client.execSync({ container_id: id, cmd: ['sh', '-c', 'echo out; echo err >&2; exit 7'], timeout: 10 });
    expect(r.stdout.toString()).toBe('out\n');
    expect(r.stderr.toString()).toBe('err\n');
    expect(r.exit_code).toBe(7);
  });

  it('ExecSync runs with the container environment and cwd', async () => {
    const { containerId } = await runPod(env, ['sleep', '1000'], {
      name: 'exec-env',
      container: { envs: [{ key: 'GREETING', value: 'hi there' }], working_dir: '/tmp' },
    });
    const r = await env.client.execSync({ container_id: containerId, cmd: ['sh', '-c', 'echo "$GREETING in $(pwd)"'], timeout: 10 });
    expect(r.stdout.toString()).toBe('hi there in /tmp\n');
  });

  it('ExecSync times out with DEADLINE_EXCEEDED and kills the process', async () => {
    await expect(env.client.execSync({ container_id: id, cmd: ['sleep', '30'], timeout: 1 })).rejects.toMatchObject({
      code: status.DEADLINE_EXCEEDED,
    });
    const ps = await env.client.execSync({ container_id: id, cmd: ['ps', '-o', 'args'], timeout: 10 });
    expect(ps.stdout.toString()).not.toContain('sleep 30');
  });

  it('Exec streams stdin to the process and its output back', async () => {
    const session = env.client.exec({ container_id: id, cmd: ['sh', '-c', 'tr a-z A-Z; echo done >&2; exit 3'], stdin: true });
    session.write('hello ');
    session.write('exec\n');
    session.closeStdin();
    const r = await collect(session);
    expect(r).toEqual({ stdout: 'HELLO EXEC\n', stderr: 'done\n', code: 3 });
  });

  it('Exec without stdin reports the exit code', async () => {
    const r = await collect(env.client.exec({ container_id: id, cmd: ['sh', '-c', 'echo one; exit 0'] }));
    expect(r).toEqual({ stdout: 'one\n', stderr: '', code: 0 });
  });

  it('Exec with a tty gives the process a terminal that follows resizes', async () => {
    const session = env.client.exec({ container_id: id, cmd: ['sh', '-c', 'tty; read line; stty size; exit 4'], stdin: true, tty: true });
    let out = '';
    const reader = (async () => {
      for await (const f of session.output) if (f.frame === 'stdout') out += f.stdout!.toString();
    })();
    for (let i = 0; i < 100 && !out.includes('/dev/pts/'); i++) await new Promise((r) => setTimeout(r, 50));
    expect(out).toMatch(/\/dev\/pts\/\d+/);
    session.resize(100, 40);
    await new Promise((r) => setTimeout(r, 300));
    session.write('go\r');
    expect(await session.exitCode).toBe(4);
    await reader;
    expect(out).toContain('40 100');
  });

  it('kills the exec\'d process when the client cancels the stream', async () => {
    const session = env.client.exec({ container_id: id, cmd: ['sleep', '31'] });
    for (let i = 0; i < 100; i++) {
      const ps = await env.client.execSync({ container_id: id, cmd: ['ps', '-o', 'args'], timeout: 10 });
      if (ps.stdout.toString().includes('sleep 31')) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    session.stop();
    await expect(session.exitCode).rejects.toMatchObject({ code: status.CANCELLED });
    let gone = false;
    for (let i = 0; i < 100 && !gone; i++) {
      const ps = await env.client.execSync({ container_id: id, cmd: ['ps', '-o', 'args'], timeout: 10 });
      gone = !ps.stdout.toString().includes('sleep 31');
      if (!gone) await new Promise((r) => setTimeout(r, 50));
    }
    expect(gone).toBe(true);
  });

  it('refuses exec in a container that is not running', async () => {
    const { containerId } = await runPod(env, ['true'], { name: 'exec-done' });
    for (let i = 0; i < 100; i++) {
      const s = await env.client.containerStatus({ container_id: containerId });
      if (s.status?.state === 'CONTAINER_EXITED') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await expect(env.client.execSync({ container_id: containerId, cmd: ['true'], timeout: 5 })).rejects.toMatchObject({
      code: status.FAILED_PRECONDITION,
    });
    const session = env.client.exec({ container_id: containerId, cmd: ['true'] });
    await expect(session.exitCode).rejects.toMatchObject({ code: status.FAILED_PRECONDITION });
  });
});
