// The frame every verb runs in: parse the verb's flags plus the global ones,
// answer --help, and turn any thrown error into kubectl's message and exit code.
import { FlagError, flagHelp, parseFlags, type FlagSpec, type ParsedFlags } from '../flags.js';
import { CliError, ReportedError } from './cli-error.js';
import { CliContext, GLOBAL_FLAGS } from './context.js';
import { formatError } from './format-error.js';

export interface VerbSpec {
  usage: string;
  flags: FlagSpec[];
  /** Lets a verb pass unknown args through (e.g. `exec … -- cmd`). */
  run(ctx: CliContext, parsed: ParsedFlags): Promise<number | void>;
}

export async function runVerb(args: string[], spec: VerbSpec): Promise<number> {
  const specs = [...spec.flags, ...GLOBAL_FLAGS.filter((g) => !spec.flags.some((f) => f.name === g.name))];
  let parsed: ParsedFlags;
  try {
    parsed = parseFlags(args, specs);
  } catch (err) {
    if (err instanceof FlagError) {
      process.stderr.write(`error: ${err.message}\nSee 'wharf ${spec.usage.split(' ')[0]} --help' for usage.\n`);
      return 1;
    }
    throw err;
  }
  if (parsed.values['help']) {
    process.stdout.write(`Usage:\n  wharf ${spec.usage}\n\nFlags:\n${flagHelp(specs)}\n`);
    return 0;
  }
  const ctx = new CliContext(parsed.values);
  try {
    const code = await spec.run(ctx, parsed);
    return typeof code === 'number' ? code : 0;
  } catch (err) {
    if (err instanceof ReportedError) return err.exitCode;
    process.stderr.write(`${formatError(err)}\n`);
    return err instanceof CliError ? err.exitCode : 1;
  } finally {
    ctx.close();
  }
}

export function str(values: ParsedFlags['values'], name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

export function strs(values: ParsedFlags['values'], name: string): string[] {
  const v = values[name];
  return Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
}

export function bool(values: ParsedFlags['values'], name: string): boolean {
  return values[name] === true;
}

export function num(values: ParsedFlags['values'], name: string): number | undefined {
  const v = values[name];
  return typeof v === 'number' ? v : undefined;
}
