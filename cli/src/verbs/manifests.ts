// Reads the objects named by -f: files, directories (recursively with -R),
// `-` for stdin, multi-document YAML and JSON, and List kinds expanded to their
// items. Parse errors name the file, the document and the line.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '@wharf/api';
import { CliError } from './cli-error.js';

export interface ManifestObject {
  /** The file the object came from ("STDIN" for -). */
  source: string;
  /** 1-based document number within the file. */
  document: number;
  object: KubeObject;
}

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

function listFiles(path: string, recursive: boolean): string[] {
  let st;
  try {
    st = statSync(path);
  } catch {
    throw new CliError(`the path "${path}" does not exist`);
  }
  if (!st.isDirectory()) return [path];
  const out: string[] = [];
  for (const entry of readdirSync(path, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = join(path, entry.name);
    if (entry.isDirectory()) {
      if (recursive) out.push(...listFiles(full, true));
    } else if (MANIFEST_EXTENSIONS.has(extname(entry.name))) {
      out.push(full);
    }
  }
  return out;
}

export function readStdin(): string {
  try {
    return readFileSync(0, 'utf8');
  } catch {
    return '';
  }
}

export function readManifests(paths: string[], recursive = false, stdin: () => string = readStdin): ManifestObject[] {
  if (paths.length === 0) throw new CliError('must specify one of -f and -k');
  const out: ManifestObject[] = [];
  for (const p of paths) {
    if (p === '-') {
      out.push(...parseManifestText(stdin(), 'STDIN'));
      continue;
    }
    for (const file of listFiles(p, recursive)) out.push(...parseManifestText(readFileSync(file, 'utf8'), file));
  }
  return out;
}

export function parseManifestText(text: string, source: string): ManifestObject[] {
  const out: ManifestObject[] = [];
  const docs = parseAllDocuments(text, { prettyErrors: true, uniqueKeys: true });
  const list = Array.isArray(docs) ? docs : [docs];
  list.forEach((doc, i) => {
    const document = i + 1;
    const err = doc.errors[0];
    if (err) {
      const line = err.linePos?.[0]?.line;
      const message = err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
      throw new CliError(`error parsing ${source}: document ${document}: ${line !== undefined ? `line ${line}: ` : ''}${message}`);
    }
    const value = doc.toJS() as unknown;
    if (value === null || value === undefined) return;
    if (typeof value !== 'object' || Array.isArray(value)) {
      throw new CliError(`error parsing ${source}: document ${document}: line ${lineOf(doc)}: expected an object, got ${Array.isArray(value) ? 'a list' : typeof value}`);
    }
    for (const object of expandList(value as Record<string, unknown>)) {
      if (!object.kind) throw new CliError(`error validating "${source}": error validating data: kind not set`);
      if (!object.apiVersion) throw new CliError(`error validating "${source}": error validating data: apiVersion not set`);
      object.metadata ??= {};
      out.push({ source, document, object });
    }
  });
  return out;
}

function lineOf(doc: { contents: unknown }): number {
  const range = (doc.contents as { range?: [number] } | null)?.range;
  return range ? range[0] + 1 : 1;
}

function expandList(value: Record<string, unknown>): KubeObject[] {
  const kind = value['kind'];
  if (typeof kind === 'string' && kind.endsWith('List') && Array.isArray(value['items'])) {
    return (value['items'] as Record<string, unknown>[]).flatMap((item) => expandList(item));
  }
  return [value as unknown as KubeObject];
}
