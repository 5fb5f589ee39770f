import { describe, expect, it } from 'vitest';
import { parseManifestText } from './manifests.js';

describe('parseManifestText', () => {
  it('splits documents, skips empty ones and expands lists', () => {
    const text = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n---\n${JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'b' } }] })}\n`;
    const objs = parseManifestText(text, 'f.yaml');
    expect(objs.map((o) => [o.document, o.object.kind, o.object.metadata.name])).toEqual([
      [1, 'ConfigMap', 'a'],
      [3, 'Secret', 'b'],
    ]);
  });
  it('names the file, document and line of a syntax error', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n   bad: 1\n';
    expect(() => parseManifestText(text, 'deploy.yaml')).toThrow(/^error parsing deploy\.yaml: document 2: line [89]: /);
  });
  it('rejects duplicate keys and documents without kind', () => {
    expect(() => parseManifestText('apiVersion: v1\nkind: A\nkind: B\n', 'x.yaml')).toThrow(/document 1: line 3/);
    expect(() => parseManifestText('apiVersion: v1\nmetadata: {name: a}\n', 'x.yaml')).toThrow(/kind not set/);
  });
});
