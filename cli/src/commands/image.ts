// `wharf image build|import|pull|push|ls|rm|tag|export`: the node's OCI image
// store (<root>/images, the directory the runtime serves from). The store
// locks its index across processes, so this works beside a running runtime.
import { ImageStore, type ResolvedImage } from '@wharf/runtime';
import type { FlagSpec } from '../flags.js';
import { alignRows } from '../printers/table-printer.js';
import { humanDuration } from '../printers/age.js';
import { CliError } from '../verbs/cli-error.js';
import { join } from 'node:path';
import { parseFlags } from '../flags.js';
import { formatError } from '../verbs/format-error.js';

const FLAGS: FlagSpec[] = [
  { name: 'root', type: 'string', default: '/var/lib/wharf', help: 'the data directory whose images/ holds the store' },
  { name: 'tag', short: 't', type: 'string' },
  { name: 'base', type: 'string' },
  { name: 'entrypoint', type: 'string' },
  { name: 'cmd', type: 'string' },
  { name: 'env', short: 'e', type: 'strings' },
  { name: 'workdir', type: 'string' },
  { name: 'user', type: 'string' },
  { name: 'label', type: 'strings' },
  { name: 'expose', type: 'strings' },
  { name: 'as', type: 'string' },
  { name: 'username', type: 'string' },
  { name: 'password', type: 'string' },
  { name: 'quiet', short: 'q', type: 'boolean' },
  { name: 'output', short: 'o', type: 'string' },
  { name: 'help', short: 'h', type: 'boolean' },
];

const USAGE = `Usage:
  wharf image build -t NAME [--base REF] [--entrypoint CMD] [--cmd CMD] [--env K=V] [--workdir DIR] [--user U] [--label K=V] [--expose PORT] DIR
  wharf image import FILE|DIR [-t NAME]
  wharf image pull REF [--username U --password P]
  wharf image push REF [--as NAME] [--username U --password P]
  wharf image ls [-q] [-o json]
  wharf image rm REF...
  wharf image tag SOURCE TARGET
  wharf image export REF DEST

Flags:
  --root DIR   data directory (default /var/lib/wharf); the store is DIR/images
`;

/** `["a","b"]` as JSON, or a shell-like word list. */
function argv(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  const t = text.trim();
  if (t.startsWith('[')) {
    try {
      return JSON.parse(t) as string[];
    } catch {
      throw new CliError(`invalid JSON array: ${text}`);
    }
  }
  return t.split(/\s+/).filter(Boolean);
}

function shortId(id: string): string {
  return id.replace(/^sha256:/, '').slice(0, 13);
}

function size(bytes: number): string {
  if (bytes < 1000) return `${bytes}B`;
  if (bytes < 1e6) return `${(bytes / 1e3).toFixed(1)}kB`;
  if (bytes < 1e9) return `${(bytes / 1e6).toFixed(1)}MB`;
  return `${(bytes / 1e9).toFixed(2)}GB`;
}

function splitTag(name: string): [string, string] {
  const at = name.indexOf('@');
  const base = at < 0 ? name : name.slice(0, at);
  const colon = base.lastIndexOf(':');
  return colon > base.lastIndexOf('/') ? [base.slice(0, colon), base.slice(colon + 1)] : [base, '<none>'];
}

export async function run(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (!sub || sub === '--help' || sub === '-h' || sub === 'help') {
    process.stdout.write(USAGE);
    return sub ? 0 : 1;
  }
  let parsed;
  try {
    parsed = parseFlags(rest, FLAGS);
  } catch (err) {
    process.stderr.write(`error: ${(err as Error).message}\n`);
    return 1;
  }
  const { values: v, positional } = parsed;
  if (v['help']) {
    process.stdout.write(USAGE);
    return 0;
  }
  try {
    const store = await ImageStore.open(join(v['root'] as string, 'images'));
    const auth = v['username'] ? { username: v['username'] as string, password: (v['password'] as string | undefined) ?? '' } : undefined;
    switch (sub) {
      case 'build': {
        const [context] = positional;
        if (!context || !v['tag']) throw new CliError('image build needs -t NAME and a context directory');
        const labels = Object.fromEntries(((v['label'] as string[] | undefined) ?? []).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
        const started = Date.now();
        const image = await store.build({
          tag: v['tag'] as string,
          context,
          ...(v['base'] ? { base: v['base'] as string } : {}),
          ...(argv(v['entrypoint'] as string | undefined) ? { entrypoint: argv(v['entrypoint'] as string)! } : {}),
          ...(argv(v['cmd'] as string | undefined) ? { cmd: argv(v['cmd'] as string)! } : {}),
          ...(v['env'] ? { env: v['env'] as string[] } : {}),
          ...(v['workdir'] ? { workdir: v['workdir'] as string } : {}),
          ...(v['user'] ? { user: v['user'] as string } : {}),
          ...(Object.keys(labels).length ? { labels } : {}),
          ...(v['expose'] ? { exposedPorts: v['expose'] as string[] } : {}),
        });
        process.stdout.write(`Successfully built ${shortId(image.id)} ${image.repoTags[0] ?? ''} (${size(image.size)}, ${humanDuration(Date.now() - started)})\n`);
        return 0;
      }
      case 'import': {
        const [path] = positional;
        if (!path) throw new CliError('image import needs a file or directory');
        const images = await store.import(path, v['tag'] ? { tag: v['tag'] as string } : {});
        for (const image of images) process.stdout.write(`Loaded image: ${image.repoTags[0] ?? image.id}\n`);
        return 0;
      }
      case 'pull': {
        const [ref] = positional;
        if (!ref) throw new CliError('image pull needs a reference');
        const seen = new Set<string>();
        const image = await store.pull(ref, {
          ...(auth ? { auth } : {}),
          onProgress: (p) => {
            if (v['quiet'] || p.kind !== 'layer' || p.status === 'downloading' || seen.has(p.digest)) return;
            seen.add(p.digest);
            process.stdout.write(`${p.digest.slice(7, 19)}: ${p.status === 'exists' ? 'Already exists' : 'Pull complete'}\n`);
          },
        });
        process.stdout.write(`Digest: ${image.repoDigests[0]?.split('@')[1] ?? image.manifestDigest}\n${image.repoTags[0] ?? ref}\n`);
        return 0;
      }
      case 'push': {
        const [ref] = positional;
        if (!ref) throw new CliError('image push needs a reference');
        const seen = new Set<string>();
        const res = await store.push(ref, {
          ...(auth ? { auth } : {}),
          ...(v['as'] ? { as: v['as'] as string } : {}),
          onProgress: (p) => {
            if (v['quiet'] || p.status === 'uploading' || seen.has(p.digest)) return;
            seen.add(p.digest);
            process.stdout.write(`${p.digest.slice(7, 19)}: ${p.status === 'exists' ? 'Layer already exists' : 'Pushed'}\n`);
          },
        });
        process.stdout.write(`${v['as'] ?? ref}: digest: ${res.digest}\n`);
        return 0;
      }
      case 'ls':
      case 'list': {
        const images = (await store.list()).sort((a, b) => (a.repoTags[0] ?? '').localeCompare(b.repoTags[0] ?? ''));
        if (v['output'] === 'json') {
          process.stdout.write(`${JSON.stringify(images.map(({ layers: _l, config, ...rest }) => ({ ...rest, config: config.config ?? {} })), null, 2)}\n`);
          return 0;
        }
        if (v['quiet']) {
          for (const id of new Set(images.map((i) => i.id))) process.stdout.write(`${id}\n`);
          return 0;
        }
        const rows = [['IMAGE', 'TAG', 'IMAGE ID', 'SIZE']];
        for (const image of images) {
          const names = image.repoTags.length ? image.repoTags : ['<none>:<none>'];
          for (const n of names) rows.push([...splitTag(n), shortId(image.id), size(image.size)]);
        }
        process.stdout.write(alignRows(rows));
        return 0;
      }
      case 'rm':
      case 'remove': {
        if (positional.length === 0) throw new CliError('image rm needs at least one reference');
        let failed = false;
        // remove() drops every name of an image, so resolve all references first.
        const resolved = new Map<string, ResolvedImage | Error>();
        for (const ref of positional) resolved.set(ref, await store.get(ref).catch((err: Error) => err));
        const removed = new Set<string>();
        for (const ref of positional) {
          try {
            const image = resolved.get(ref);
            if (image instanceof Error || !image) throw image;
            if (!removed.has(image.id)) await store.remove(ref);
            removed.add(image.id);
            process.stdout.write(`Deleted: ${ref}\n`);
          } catch (err) {
            failed = true;
            process.stderr.write(`${formatError(err)}\n`);
          }
        }
        await store.gc().catch(() => undefined);
        return failed ? 1 : 0;
      }
      case 'tag': {
        const [source, target] = positional;
        if (!source || !target) throw new CliError('image tag needs SOURCE and TARGET');
        await store.tag(source, target);
        return 0;
      }
      case 'export': {
        const [ref, dest] = positional;
        if (!ref || !dest) throw new CliError('image export needs REF and DEST');
        await store.export(ref, dest);
        return 0;
      }
      default:
        throw new CliError(`unknown image subcommand "${sub}"\n${USAGE}`);
    }
  } catch (err) {
    process.stderr.write(`${formatError(err)}\n`);
    return 1;
  }
}
