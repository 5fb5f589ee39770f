import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ImageStore, DigestMismatchError, ImageFormatError } from '../../runtime/src/images/index.js';
import { craftImage, inMergedView, readJsonFile, run, sha256, tempDir, writeOciLayout, type CraftedImage } from './helpers.js';

let dir: { path: string; cleanup: () => Promise<void> };
let store: ImageStore;
let crafted: CraftedImage;
let layout: string;

beforeAll(async () => {
  dir = await tempDir('import');
  store = await ImageStore.open(join(dir.path, 'store'));
  crafted = await craftImage(
    [{ 'bin/hello': 'hello v1\n', 'etc/os-release': 'ID=wharf\n' }, { 'bin/hello': 'hello v2\n', 'etc/.wh.os-release': null }],
    { Cmd: ['/bin/hello'], Env: ['A=1'] },
  );
  layout = join(dir.path, 'layout');
  await writeOciLayout(layout, crafted, 'wharf.test/crafted:v1');
});
afterAll(async () => dir.cleanup());

describe('import', () => {
  it('imports an OCI layout directory under its containerd name annotation', async () => {
    const [image] = await store.import(layout);
    expect(image?.id).toBe(crafted.configDigest);
    expect(image?.repoTags).toEqual(['wharf.test/crafted:v1']);
    expect(image?.repoDigests).toEqual([`wharf.test/crafted@${crafted.manifestDigest}`]);
    expect(image?.config.config?.Cmd).toEqual(['/bin/hello']);
    const merged = await inMergedView(image?.layers ?? [], 'cat bin/hello; ls etc');
    expect(merged).toBe('hello v2\n');
  });

  it('imports a tar of an OCI layout, naming it with the tag option', async () => {
    const tarball = join(dir.path, 'layout.tar');
    await run('tar', ['-C', layout, '-cf', tarball, '.']);
    const [image] = await store.import(tarball, { tag: 'other/name:2' });
    expect(image?.id).toBe(crafted.configDigest);
    expect(image?.repoTags.sort()).toEqual(['docker.io/other/name:2', 'wharf.test/crafted:v1']);
  });

  it('imports a docker save tarball made by skopeo', async () => {
    const archive = join(dir.path, 'docker.tar');
    await run('skopeo', ['copy', '--quiet', `oci:${layout}:v1`, `docker-archive:${archive}:saved/app:3`]);
    const manifest = JSON.parse((await run('tar', ['-xOf', archive, 'manifest.json'])).stdout) as Array<{ RepoTags: string[]; Layers: string[] }>;
    expect(manifest[0]?.RepoTags).toEqual(['docker.io/saved/app:3']);

    const fresh = await ImageStore.open(join(dir.path, 'store-docker'));
    const [image] = await fresh.import(archive);
    expect(image?.repoTags).toEqual(['docker.io/saved/app:3']);
    // Same filesystem content, same diff ids, whatever compression the archive used.
    expect(image?.config.rootfs.diff_ids).toEqual(crafted.layers.map((l) => sha256(l.tar)));
    expect(await inMergedView(image?.layers ?? [], 'cat bin/hello; ls etc')).toBe('hello v2\n');
  });

  it('rejects a layout whose blob was tampered with, naming nothing', async () => {
    const bad = join(dir.path, 'tampered');
    await writeOciLayout(bad, crafted, 'wharf.test/tampered:v1');
    const layerPath = join(bad, 'blobs/sha256', sha256(crafted.layers[1]!.gz).slice(7));
    const bytes = await readFile(layerPath);
    bytes[bytes.length - 5] ^= 0xff;
    await writeFile(layerPath, bytes);
    const fresh = await ImageStore.open(join(dir.path, 'store-tampered'));
    await expect(fresh.import(bad)).rejects.toThrow(DigestMismatchError);
    expect(await fresh.list()).toEqual([]);
  });

  it('refuses archives without a name, and paths that escape the archive', async () => {
    const nameless = join(dir.path, 'nameless');
    await writeOciLayout(nameless, crafted);
    await expect(store.import(nameless)).rejects.toThrow(ImageFormatError);

    const evil = join(dir.path, 'evil');
    await mkdir(evil);
    await writeFile(join(evil, 'manifest.json'), JSON.stringify([{ Config: '../../../../etc/passwd', RepoTags: ['evil:1'], Layers: [] }]));
    await expect(store.import(evil)).rejects.toThrow(/escapes the archive/);

    const junk = join(dir.path, 'junk');
    await mkdir(junk);
    await expect(store.import(junk)).rejects.toThrow(ImageFormatError);
  });
});

describe('export', () => {
  it('exports an OCI layout that skopeo reads and that imports back to the same image', async () => {
    const out = join(dir.path, 'exported');
    await store.export('wharf.test/crafted:v1', out);
    const index = await readJsonFile<{ manifests: Array<{ digest: string; annotations: Record<string, string> }> }>(join(out, 'index.json'));
    expect(index.manifests).toHaveLength(1);
    expect(index.manifests[0]?.digest).toBe(crafted.manifestDigest);
    expect(index.manifests[0]?.annotations['io.containerd.image.name']).toBe('wharf.test/crafted:v1');
    const inspected = JSON.parse((await run('skopeo', ['inspect', '--raw', `oci:${out}:v1`])).stdout) as { config: { digest: string } };
    expect(inspected.config.digest).toBe(crafted.configDigest);

    const tarball = join(dir.path, 'exported.tar');
    await store.export(crafted.configDigest, tarball, { name: 'roundtrip/img:x' });
    const fresh = await ImageStore.open(join(dir.path, 'store-roundtrip'));
    const [image] = await fresh.import(tarball);
    expect(image?.id).toBe(crafted.configDigest);
    expect(image?.repoTags).toEqual(['docker.io/roundtrip/img:x']);
  });
});
