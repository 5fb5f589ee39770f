import { describe, expect, it } from 'vitest';
import { Spawner } from './spawner.js';

describe.runIf(Spawner.available())('Spawner', () => {
  const spawner = new Spawner();

  it('runs programs with arguments passed byte for byte, stdin, stdout, stderr and exit codes', async () => {
    const args = ['', 'two words', 'new\nline', "quote'\"$HOME", 'ünïcode', '-'];
    const r = await spawner.run('/bin/sh', ['-c', 'for a in "$@"; do printf "[%s]" "$a"; done; cat; echo err >&2; exit 3', 'sh', ...args], 'from stdin');
    expect(r.stdout.toString()).toBe(`${args.map((a) => `[${a}]`).join('')}from stdin`);
    expect(r.stderr.toString()).toBe('err\n');
    expect(r.code).toBe(3);
    expect(r.signal).toBeNull();
  });

  it('reports a signal and a missing program', async () => {
    const killed = await spawner.run('/bin/sh', ['-c', 'kill -TERM $$']);
    expect(killed).toMatchObject({ code: null, signal: 'SIGTERM' });
    const missing = await spawner.run('/no/such/program', []);
    expect(missing.code).toBe(127);
    expect(missing.stderr.toString()).toContain('/no/such/program');
  });

  it('runs many at once', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => spawner.run('/bin/echo', [String(i)])));
    expect(results.map((r) => r.stdout.toString().trim())).toEqual(Array.from({ length: 20 }, (_, i) => String(i)));
  });

  it('relays a sync pipe on fd 3 until its writer closes it', async () => {
    const { exited, sync } = spawner.runWithSyncPipe('/bin/sh', ['-c', 'echo "$_OCI_SYNCPIPE" >&3; (sleep 0.2; echo late >&3) &']);
    const chunks: string[] = [];
    sync.on('data', (d: Buffer) => chunks.push(d.toString()));
    const closed = new Promise((r) => sync.once('close', r));
    expect((await exited).code).toBe(0);
    await closed;
    expect(chunks.join('')).toBe('3\nlate\n');
    spawner.stop();
  });
});
