#!/usr/bin/env node
// Prints the plain closing line CI reads ("N passed, N failed, N skipped")
// from vitest's JSON report. The exit code stays vitest's own.
import { readFileSync } from 'node:fs';

const path = process.argv[2] ?? '.wharf/vitest.json';
try {
  const r = JSON.parse(readFileSync(path, 'utf8'));
  const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);
} catch (err) {
  console.log(`tests: 0 passed, 1 failed (no report: ${err.message})`);
}
