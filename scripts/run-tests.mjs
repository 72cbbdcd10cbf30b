#!/usr/bin/env node
// Runs every compiled *.test.js under the given roots (default: all of dist) with node's own test runner.
// Node 20's --test takes no globs, so the file list is built here.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const roots = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const passThrough = process.argv.slice(2).filter((a) => a.startsWith('--'));
const found = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (name.endsWith('.test.js')) found.push(path);
  }
};
for (const root of roots.length ? roots : ['dist/src', 'dist/test']) walk(root);
found.sort();
if (found.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
const r = spawnSync(
  process.execPath,
  ['--test', '--test-concurrency=1', '--test-reporter=spec', ...passThrough, ...found],
  { stdio: 'inherit' },
);
process.exit(r.status ?? 1);
