// Child processes in these tests run the storage layer as plain Node: compile
// apiserver/src/storage on its own (it imports only npm packages and node:*)
// into node_modules/.cache, where `better-sqlite3` and `etcd3` still resolve.
// This keeps the crash tests independent of the rest of the apiserver build.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const root = fileURLToPath(new URL('../../', import.meta.url));
let built: string | undefined;
let outDir: string | undefined;

/** Absolute path of the compiled storage index.js. */
export function compiledStorage(): string {
  if (built) return built;
  const out = join(root, 'node_modules', '.cache', `wharf-storage-${process.pid}`);
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'package.json'), '{"type":"module"}\n');
  const tsconfig = join(out, 'tsconfig.json');
  writeFileSync(
    tsconfig,
    JSON.stringify({
      extends: join(root, 'tsconfig.base.json'),
      compilerOptions: {
        rootDir: join(root, 'apiserver/src/storage'),
        outDir: out,
        composite: false,
        incremental: false,
        declaration: false,
        declarationMap: false,
        sourceMap: false,
        typeRoots: [join(root, 'node_modules/@types')],
      },
      include: [join(root, 'apiserver/src/storage/**/*.ts')],
      exclude: [join(root, 'apiserver/src/storage/**/*.test.ts')],
    }),
  );
  execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', tsconfig], { stdio: 'pipe' });
  outDir = out;
  built = join(out, 'index.js');
  return built;
}

/** Removes the compiled copy. */
export function removeCompiledStorage(): void {
  if (outDir) rmSync(outDir, { recursive: true, force: true });
  built = outDir = undefined;
}
