// A small flag parser with kubectl's conventions: --flag value, --flag=value,
// boolean --flag, short aliases, repeated flags, and `--` ending flags.
export interface FlagSpec {
  name: string;
  short?: string;
  type: 'string' | 'boolean' | 'number' | 'strings';
  help?: string;
  default?: string | boolean | number | string[];
}

export interface ParsedFlags {
  values: Record<string, string | boolean | number | string[] | undefined>;
  positional: string[];
  /** Arguments after `--`. */
  rest: string[];
}

export class FlagError extends Error {
  override name = 'FlagError';
}

export function parseFlags(argv: string[], specs: FlagSpec[]): ParsedFlags {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const byShort = new Map(specs.filter((s) => s.short).map((s) => [s.short!, s]));
  const values: ParsedFlags['values'] = {};
  for (const s of specs) if (s.default !== undefined) values[s.name] = Array.isArray(s.default) ? [...s.default] : s.default;
  const positional: string[] = [];
  let rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      rest = argv.slice(i + 1);
      break;
    }
    let spec: FlagSpec | undefined;
    let inline: string | undefined;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      inline = eq < 0 ? undefined : arg.slice(eq + 1);
      spec = byName.get(name);
      if (!spec) throw new FlagError(`unknown flag: --${name}`);
    } else if (arg.startsWith('-') && arg.length > 1 && !/^-\d/.test(arg)) {
      const name = arg.slice(1, 2);
      spec = byShort.get(name);
      if (!spec) throw new FlagError(`unknown shorthand flag: '${name}' in ${arg}`);
      inline = arg.length > 2 ? arg.slice(2).replace(/^=/, '') : undefined;
      if (spec.type === 'boolean' && inline !== undefined && !['true', 'false'].includes(inline)) {
        // -it: a cluster of boolean shorthands.
        for (const ch of arg.slice(1)) {
          const s = byShort.get(ch);
          if (!s || s.type !== 'boolean') throw new FlagError(`unknown shorthand flag: '${ch}' in ${arg}`);
          values[s.name] = true;
        }
        continue;
      }
    } else {
      positional.push(arg);
      continue;
    }
    if (spec.type === 'boolean') {
      values[spec.name] = inline === undefined ? true : inline === 'true';
      continue;
    }
    let value = inline;
    if (value === undefined) {
      value = argv[++i];
      if (value === undefined) throw new FlagError(`flag needs an argument: --${spec.name}`);
    }
    if (spec.type === 'number') {
      const n = Number(value);
      if (!Number.isFinite(n)) throw new FlagError(`invalid argument "${value}" for "--${spec.name}" flag: not a number`);
      values[spec.name] = n;
    } else if (spec.type === 'strings') {
      const prev = values[spec.name];
      const list = Array.isArray(prev) && prev !== spec.default ? prev : [];
      values[spec.name] = [...list, ...value.split(',').filter(Boolean)];
    } else {
      values[spec.name] = value;
    }
  }
  return { values, positional, rest };
}

export function flagHelp(specs: FlagSpec[]): string {
  return specs
    .map((s) => `  ${s.short ? `-${s.short}, ` : '    '}--${s.name}${s.type === 'boolean' ? '' : ` ${s.type}`}  ${s.help ?? ''}`)
    .join('\n');
}
