#!/usr/bin/env node
// Builds the example images into a node's image store (<data-dir>/images),
// from what this machine has: no registry is reachable from here.
//
//   node examples/images/build.mjs [--data-dir /var/lib/wharf] [--force] [--list]
//
// Base images: wharf.example/busybox:1 (Debian's busybox-static) and
// wharf.example/node:20 (the host's node binary, its shared libraries and
// busybox), built through the image store's library (they copy host files).
// Application images (examples/microservices/app) sit on the node image, one
// small layer each, built with `wharf image build`. Idempotent: every image carries a label with a
// hash of its inputs and is rebuilt only when that hash changes, so a second
// run changes nothing; layers are reproducible (same files, same digest).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cp, mkdtemp, readdir, readFile, realpath, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '../..');
const APP = join(REPO, 'examples/microservices/app');
const LABEL = 'org.wharf.example.inputs';
const BUSYBOX = '/bin/busybox';

export const IMAGES = {
  busybox: 'wharf.example/busybox:1',
  node: 'wharf.example/node:20',
  store: 'wharf.example/shop-store:1',
  web: 'wharf.example/shop-web:1',
  api: 'wharf.example/shop-api:1',
  apiV2: 'wharf.example/shop-api:2',
};

/** The application images: which service's code, and which version it reports. */
const APPS = [
  { tag: IMAGES.store, service: 'store', version: '1' },
  { tag: IMAGES.web, service: 'web', version: '1' },
  { tag: IMAGES.api, service: 'api', version: '1' },
  { tag: IMAGES.apiV2, service: 'api', version: '2' },
];

async function fileIdentity(path) {
  const real = await realpath(path);
  const st = await stat(real);
  return `${real}:${st.size}:${st.mtimeMs}`;
}

async function treeHash(dir) {
  const h = createHash('sha256');
  const walk = async (d) => {
    for (const e of (await readdir(d, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else {
        h.update(`${relative(dir, p)}\0`);
        h.update(await readFile(p));
      }
    }
  };
  await walk(dir);
  return h.digest('hex');
}

const sha = (...parts) => createHash('sha256').update(parts.join('\0')).digest('hex');

/** Builds `tag` with `make()` unless the store already has it built from the same inputs. */
async function ensure(store, tag, inputs, force, make) {
  const existing = await store.resolve(tag);
  if (!force && existing?.config.config?.Labels?.[LABEL] === inputs) {
    report('unchanged', tag, existing);
    return existing;
  }
  const image = await make({ [LABEL]: inputs });
  report('built', tag, image);
  return image;
}

function report(what, tag, image) {
  process.stdout.write(`${what.padEnd(9)} ${tag.padEnd(28)} ${image.id.slice(7, 19)}  ${(image.size / 1e6).toFixed(1)} MB\n`);
}

/** The context of an app image: /app/lib and /app/<service>, nothing else. */
async function appContext(service) {
  const ctx = await mkdtemp(join(tmpdir(), 'wharf-example-'));
  await cp(join(APP, 'lib'), join(ctx, 'app/lib'), { recursive: true });
  await cp(join(APP, service), join(ctx, 'app', service), { recursive: true });
  return ctx;
}

export async function buildExampleImages(dataDir, { force = false } = {}) {
  const { ImageStore, buildBusyboxImage, buildNodeImage } = await import(join(REPO, 'runtime/dist/index.js'));
  const store = await ImageStore.open(join(dataDir, 'images'));
  const busyboxId = await fileIdentity(BUSYBOX);
  await ensure(store, IMAGES.busybox, sha('busybox', busyboxId), force, (labels) => buildBusyboxImage(store, IMAGES.busybox, { labels }));
  const node = await ensure(store, IMAGES.node, sha('node', await fileIdentity(process.execPath), busyboxId), force, (labels) =>
    buildNodeImage(store, IMAGES.node, { labels }),
  );
  const libHash = await treeHash(join(APP, 'lib'));
  for (const app of APPS) {
    const inputs = sha('app', node.id, libHash, await treeHash(join(APP, app.service)), app.version);
    await ensure(store, app.tag, inputs, force, async (labels) => {
      const ctx = await appContext(app.service);
      try {
        // The CLI's `wharf image build`, as a user would run it.
        const args = ['image', 'build', '--root', dataDir, '-t', app.tag, '--base', IMAGES.node, '--cmd', JSON.stringify([`/app/${app.service}/server.mjs`]),
          '--env', `SERVICE_NAME=${app.service}`, '--env', `APP_VERSION=${app.version}`, '--workdir', '/app', '--user', '65534:65534', '--expose', '8080/tcp',
          ...Object.entries(labels).flatMap(([k, v]) => ['--label', `${k}=${v}`]), ctx];
        const r = spawnSync(process.execPath, [join(REPO, 'bin/wharf'), ...args], { encoding: 'utf8' });
        if (r.status !== 0) throw new Error(`wharf ${args.join(' ')}: ${r.stderr || r.stdout}`);
        return await store.get(app.tag);
      } finally {
        await rm(ctx, { recursive: true, force: true });
      }
    });
  }
  return store;
}

if (process.argv[1] && (await realpath(process.argv[1])) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: { 'data-dir': { type: 'string', default: process.env.WHARF_DATA_DIR ?? '/var/lib/wharf' }, force: { type: 'boolean' }, list: { type: 'boolean' } },
  });
  if (values.list) {
    for (const tag of Object.values(IMAGES)) process.stdout.write(`${tag}\n`);
  } else {
    await buildExampleImages(values['data-dir'], { force: values.force ?? false });
  }
}
