// Runs the helper programs the runtime drives (runc, ip, mount, unshare).
import { spawn } from 'node:child_process';
import { CommandError } from '../errors.js';
import { sharedSpawner } from './spawner.js';

export interface CommandResult {
  stdout: Buffer;
  stderr: Buffer;
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface CommandOptions {
  input?: string | Buffer;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export async function runCommand(file: string, args: string[], options: CommandOptions = {}): Promise<CommandResult> {
  const spawner = options.env || options.cwd ? undefined : sharedSpawner();
  if (spawner) {
    try {
      return await spawner.run(file, args, options.input ?? '');
    } catch {
      // The helper died under us; spawn directly this time.
    }
  }
  return spawnDirect(file, args, options);
}

function spawnDirect(file: string, args: string[], options: CommandOptions): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      env: options.env ?? process.env,
      cwd: options.cwd,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (d: Buffer) => out.push(d));
    child.stderr?.on('data', (d: Buffer) => err.push(d));
    child.on('error', (e) => reject(new CommandError(file, null, e.message, { cause: e })));
    child.on('close', (code, signal) =>
      resolve({ stdout: Buffer.concat(out), stderr: Buffer.concat(err), code, signal }),
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

/** Like runCommand, but a non-zero exit becomes a CommandError. Returns stdout. */
export async function runChecked(file: string, args: string[], options: CommandOptions = {}): Promise<string> {
  const res = await runCommand(file, args, options);
  if (res.code !== 0) {
    throw new CommandError(`${file} ${args.slice(0, 3).join(' ')}`, res.code, res.stderr.toString() || res.stdout.toString());
  }
  return res.stdout.toString();
}
