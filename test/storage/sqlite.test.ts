import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { openSqliteStorage } from '../../apiserver/src/storage/index.js';
import { runStorageConformance } from './conformance.js';

const dir = mkdtempSync(join(tmpdir(), 'wharf-sqlite-conformance-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

runStorageConformance('sqlite', () =>
  openSqliteStorage({ path: join(dir, `store-${++n}.db`), compactInterval: 0, checkpointInterval: 0 }),
);
