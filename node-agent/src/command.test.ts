import { describe, expect, it } from 'vitest';
import { parseDurationMs, parseNodeAgentFlags } from './command.js';
import { compileOptions } from './options.js';

describe('node-agent flags', () => {
  it('parses flags into options and compiles defaults', () => {
    const raw = parseNodeAgentFlags([
      '--node-name', 'Node-A', '--cpu', '1500m', '--memory', '2Gi', '--max-pods', '20',
      '--cluster-dns', '10.96.0.10', '--crashloop-backoff-base', '500ms', '--crashloop-backoff-max', '2s',
      '--listen', 'unix:///tmp/agent.sock', '--system-reserved', 'cpu=100m,memory=128Mi', '--node-labels', 'zone=a,tier=edge',
    ]);
    const o = compileOptions(raw);
    expect(o.nodeName).toBe('node-a');
    expect(o.cpuMillis).toBe(1500);
    expect(o.memoryBytes).toBe(2 * 1024 ** 3);
    expect(o.maxPods).toBe(20);
    expect(o.crashLoopBackoffBaseMs).toBe(500);
    expect(o.crashLoopBackoffMaxMs).toBe(2000);
    expect(o.listen).toEqual({ kind: 'unix', path: '/tmp/agent.sock' });
    expect(o.dnsListen).toEqual({ host: '10.96.0.10', port: 53 });
    expect(o.reservedCpuMillis).toBe(100);
    expect(o.labels).toEqual({ zone: 'a', tier: 'edge' });
    expect(compileOptions({}).listen).toEqual({ kind: 'tcp', host: '127.0.0.1', port: 10250 });
  });

  it('rejects unknown flags and bad values', () => {
    expect(() => parseNodeAgentFlags(['--nope'])).toThrow();
    expect(() => parseDurationMs('soon')).toThrow(/invalid duration/);
    expect(() => compileOptions({ crashLoopBackoffBaseMs: 10, crashLoopBackoffMaxMs: 5 })).toThrow(/backoff/);
  });
});
