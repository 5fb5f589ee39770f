// `wharf edit`: the object as YAML in $EDITOR; on save it is written back with
// its resourceVersion (so concurrent changes conflict), and on an error the
// file is reopened with the failure at the top, as kubectl does.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ApiError, type KubeObject } from '@wharf/api';
import type { FlagSpec } from '../flags.js';
import { hideManagedFields, toJson, toYaml } from '../printers/object-printer.js';
import { CliError } from '../verbs/cli-error.js';
import type { CliContext } from '../verbs/context.js';
import { pluralName, qualifiedName } from '../verbs/resource-args.js';
import { runVerb, str } from '../verbs/run-verb.js';
import { resolveTargets } from '../verbs/targets.js';

const FLAGS: FlagSpec[] = [
  { name: 'output', short: 'o', type: 'string', help: 'yaml (default) or json in the editor' },
  { name: 'subresource', type: 'string' },
];

const HEADER = `# Please edit the object below. Lines beginning with a '#' will be ignored,
# and an empty file will abort the edit. If an error occurs while saving this file will be
# reopened with the relevant failures.
#
`;

export function run(args: string[]): Promise<number> {
  return runVerb(args, { usage: 'edit (RESOURCE/NAME | -f FILENAME) [flags]', flags: FLAGS, run: edit });
}

function editorCommand(): string {
  return process.env['KUBE_EDITOR'] || process.env['EDITOR'] || 'vi';
}

async function edit(ctx: CliContext, { values, positional }: { values: Record<string, unknown>; positional: string[] }): Promise<number> {
  const v = values as Parameters<typeof str>[0];
  const json = str(v, 'output') === 'json';
  const targets = await resolveTargets(ctx, positional);
  const dir = mkdtempSync(join(tmpdir(), 'wharf-edit-'));
  try {
    for (const t of targets) {
      const live = hideManagedFields(await ctx.api.get<KubeObject>(t.info, t.namespace, t.name));
      const file = join(dir, `${t.name}${json ? '.json' : '.yaml'}`);
      const render = (obj: unknown) => (json ? toJson(obj) : toYaml(obj));
      let original = render(live);
      let content = `${HEADER}${original}`;
      let lastErrorContent: string | undefined;
      for (;;) {
        writeFileSync(file, content);
        const res = spawnSync('sh', ['-c', `${editorCommand()} "$1"`, 'editor', file], { stdio: 'inherit' });
        if (res.status !== 0) throw new CliError(`there was a problem with the editor "${editorCommand()}"`);
        const edited = readFileSync(file, 'utf8');
        const body = edited.split('\n').filter((l) => !l.startsWith('#')).join('\n');
        if (body.trim() === '') {
          process.stdout.write('Edit cancelled, no changes made.\n');
          break;
        }
        if (body.trim() === original.trim()) {
          process.stdout.write('Edit cancelled, no changes made.\n');
          break;
        }
        if (lastErrorContent !== undefined && edited === lastErrorContent) {
          const keep = join(tmpdir(), `wharf-edit-${process.pid}${json ? '.json' : '.yaml'}`);
          writeFileSync(keep, edited);
          throw new CliError(`Edit cancelled, no valid changes were saved.\nA copy of your changes has been stored to "${keep}"`);
        }
        let obj: KubeObject;
        try {
          obj = parseYaml(body) as KubeObject;
          if (!obj || typeof obj !== 'object') throw new Error('the edited file is not an object');
        } catch (err) {
          content = `${HEADER}# The edited file had a syntax error: ${(err as Error).message.split('\n')[0]}\n#\n${body}`;
          lastErrorContent = content;
          continue;
        }
        try {
          await ctx.api.update(t.info, t.namespace, t.name, obj, { fieldManager: 'wharf-edit' });
          process.stdout.write(`${qualifiedName(t.info, t.name)} edited\n`);
          break;
        } catch (err) {
          if (!(err instanceof ApiError)) throw err;
          const causes = err.details.causes?.length ? err.details.causes.map((c) => `# * ${c.field ? `${c.field}: ` : ''}${c.message ?? ''}`).join('\n') : `# * ${err.message}`;
          content = `${HEADER}# ${pluralName(t.info)} "${t.name}" was not valid:\n${causes}\n#\n${body}`;
          if (err.code === 409) {
            // Someone else changed it: reopen on the fresh object, keeping nothing stale.
            original = render(hideManagedFields(await ctx.api.get<KubeObject>(t.info, t.namespace, t.name)));
          }
          lastErrorContent = content;
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return 0;
}
