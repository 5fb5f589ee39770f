import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

// Tests import workspace packages by name; point those names at the sources so
// unit tests run without a build. End-to-end tests spawn bin/wharf, which runs
// the compiled output, so `make test` builds first.
const packages = ['api', 'client', 'apiserver', 'runtime', 'proto', 'controller-manager', 'node-agent', 'cli'];
const alias = Object.fromEntries(
  packages.map((p) => [`@wharf/${p}`, fileURLToPath(new URL(`./${p}/src/index.ts`, import.meta.url))]),
);

export default defineConfig({
  resolve: { alias },
  test: {
    reporters: ['default'],
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          include: ['*/src/**/*.test.ts'],
          testTimeout: 20_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'e2e',
          include: ['test/**/*.test.ts'],
          // Real processes on a 2-core machine: keep the number of clusters
          // alive at once small so tests measure behaviour, not contention.
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
