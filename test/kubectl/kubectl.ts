// Runs the real kubectl against a Wharf apiserver started by the test, with a
// fresh discovery cache per cluster so every run sees the server's current
// discovery documents.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ApiServerProcess } from '../harness/apiserver.js';

export const KUBECTL_1_32 = '/usr/lib/google-cloud-sdk/bin/kubectl.1.32';

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Kubectl {
  (...args: string[]): Promise<KubectlResult>;
  /** Runs with `input` on stdin (for `-f -`). */
  withInput(input: string, ...args: string[]): Promise<KubectlResult>;
  /** Writes `content` to a file in a scratch directory and returns its path. */
  file(name: string, content: string): string;
}

export function kubectlFor(api: ApiServerProcess, binary = KUBECTL_1_32): Kubectl {
  // Inside the server's data directory, so the harness's cleanup removes it too.
  const scratch = mkdtempSync(join(api.dataDir, 'kubectl-'));
  const cacheDir = join(scratch, 'cache');
  const run = (input: string | undefined, args: string[]): Promise<KubectlResult> =>
    new Promise((resolve) => {
      const child = execFile(
        binary,
        ['--kubeconfig', api.kubeconfig, '--cache-dir', cacheDir, ...args],
        { timeout: 60_000, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, KUBECONFIG: api.kubeconfig, HOME: scratch } },
        (err, stdout, stderr) => {
          const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
          resolve({ code, stdout, stderr });
        },
      );
      if (input !== undefined) child.stdin!.end(input);
      else child.stdin!.end();
    });
  const kubectl = ((...args: string[]) => run(undefined, args)) as Kubectl;
  kubectl.withInput = (input, ...args) => run(input, args);
  kubectl.file = (name, content) => {
    const path = join(scratch, name);
    writeFileSync(path, content);
    return path;
  };
  return kubectl;
}

/** Splits `kubectl get` output into rows of whitespace-separated cells (header first). */
export function tableRows(output: string): string[][] {
  return output
    .trim()
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => l.trim().split(/\s{2,}/));
}
