// `wharf config view|get-contexts|current-context|use-context|set-context`:
// reads and rewrites the kubeconfig file that the global flags select,
// keeping everything it does not touch.
import { readFileSync, writeFileSync } from 'node:fs';
import { parseDocument, stringify } from 'yaml';
import type { FlagSpec } from '../flags.js';
import { TabWriter } from '../printers/tab-writer.js';
import { sortKeys, toJson } from '../printers/object-printer.js';
import { CliError } from '../verbs/cli-error.js';
import type { CliContext } from '../verbs/context.js';
import { bool, runVerb, str } from '../verbs/run-verb.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type J = Record<string, any>;

const FLAGS: FlagSpec[] = [
  { name: 'raw', type: 'boolean' },
  { name: 'minify', type: 'boolean' },
  { name: 'flatten', type: 'boolean' },
  { name: 'output', short: 'o', type: 'string' },
  { name: 'current', type: 'boolean' },
  { name: 'cluster', type: 'string' },
  { name: 'user', type: 'string' },
  { name: 'no-headers', type: 'boolean' },
];

export function run(args: string[]): Promise<number> {
  // `--namespace` after `set-context` is the context's namespace, not a global flag: parsed the same way.
  return runVerb(args, { usage: 'config view|get-contexts|current-context|use-context|set-context [flags]', flags: FLAGS, run: config });
}

function load(path: string): J {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new CliError(`cannot read kubeconfig ${path}`);
  }
  return (parseDocument(text).toJS() ?? {}) as J;
}

function save(path: string, doc: J): void {
  writeFileSync(path, stringify(doc, { indentSeq: false, lineWidth: 0 }), { mode: 0o600 });
}

async function config(ctx: CliContext, { values, positional }: { values: Record<string, unknown>; positional: string[] }): Promise<number> {
  const v = values as Parameters<typeof str>[0];
  const path = ctx.kubeconfigPath;
  const [sub, arg] = positional;
  const doc = load(path);
  switch (sub) {
    case 'view': {
      let view = structuredClone(doc);
      if (bool(v, 'minify')) {
        const current = str(v, 'context') ?? view['current-context'];
        const c = (view['contexts'] ?? []).find((x: J) => x.name === current);
        if (!c) throw new CliError(`current-context must exist in order to minify`);
        view = { ...view, 'current-context': current, contexts: [c], clusters: (view['clusters'] ?? []).filter((x: J) => x.name === c.context.cluster), users: (view['users'] ?? []).filter((x: J) => x.name === c.context.user) };
      }
      if (!bool(v, 'raw')) redact(view);
      const ordered = { apiVersion: view['apiVersion'] ?? 'v1', clusters: view['clusters'] ?? null, contexts: view['contexts'] ?? null, 'current-context': view['current-context'] ?? '', kind: view['kind'] ?? 'Config', preferences: view['preferences'] ?? {}, users: view['users'] ?? null };
      process.stdout.write(str(v, 'output') === 'json' ? toJson(ordered) : stringify(sortKeys(ordered), { indentSeq: false, lineWidth: 0 }));
      return 0;
    }
    case 'current-context':
      if (!doc['current-context']) throw new CliError('current-context is not set');
      process.stdout.write(`${doc['current-context']}\n`);
      return 0;
    case 'get-contexts': {
      const tw = new TabWriter(3);
      if (str(v, 'output') === 'name') {
        for (const c of doc['contexts'] ?? []) process.stdout.write(`${c.name}\n`);
        return 0;
      }
      const contexts = ((doc['contexts'] ?? []) as J[]).filter((c) => !arg || c.name === arg);
      if (arg && contexts.length === 0) throw new CliError(`context ${arg} not found`);
      if (!bool(v, 'no-headers')) tw.write('CURRENT\tNAME\tCLUSTER\tAUTHINFO\tNAMESPACE');
      for (const c of contexts) tw.write(`${c.name === doc['current-context'] ? '*' : ''}\t${c.name}\t${c.context?.cluster ?? ''}\t${c.context?.user ?? ''}\t${c.context?.namespace ?? ''}`);
      process.stdout.write(`${tw.toString()}\n`);
      return 0;
    }
    case 'use-context':
    case 'use': {
      if (!arg) throw new CliError('empty context names are not allowed');
      if (!((doc['contexts'] ?? []) as J[]).some((c) => c.name === arg)) throw new CliError(`no context exists with the name: "${arg}"`);
      doc['current-context'] = arg;
      save(path, doc);
      process.stdout.write(`Switched to context "${arg}".\n`);
      return 0;
    }
    case 'set-context': {
      const name = bool(v, 'current') ? doc['current-context'] : arg;
      if (!name) throw new CliError(bool(v, 'current') ? 'no current context is set' : 'you must specify a non-empty context name or --current');
      doc['contexts'] ??= [];
      let entry = (doc['contexts'] as J[]).find((c) => c.name === name);
      const created = !entry;
      if (!entry) {
        entry = { name, context: {} };
        doc['contexts'].push(entry);
      }
      entry['context'] ??= {};
      if (str(v, 'namespace') !== undefined) entry['context'].namespace = str(v, 'namespace');
      if (str(v, 'cluster') !== undefined) entry['context'].cluster = str(v, 'cluster');
      if (str(v, 'user') !== undefined) entry['context'].user = str(v, 'user');
      save(path, doc);
      process.stdout.write(`Context "${name}" ${created ? 'created' : 'modified'}.\n`);
      return 0;
    }
    default:
      throw new CliError(`unknown config subcommand "${sub ?? ''}": expected view, get-contexts, current-context, use-context or set-context`);
  }
}

function redact(view: J): void {
  for (const c of view['clusters'] ?? []) for (const k of ['certificate-authority-data']) if (c.cluster?.[k]) c.cluster[k] = 'DATA+OMITTED';
  for (const u of view['users'] ?? []) {
    for (const k of ['client-certificate-data', 'client-key-data']) if (u.user?.[k]) u.user[k] = 'DATA+OMITTED';
    for (const k of ['token', 'password']) if (u.user?.[k]) u.user[k] = 'REDACTED';
  }
}
