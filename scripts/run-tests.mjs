#!/usr/bin/env node
// Runs every compiled *.test.js under the given roots (default: all of dist) with node's own test runner.
// Node 20's --test takes no globs, so the file list is built here. One throwaway PostgreSQL cluster is started
// for the whole run (when the binaries exist) and handed to the tests through FACEGATE_TEST_POSTGRES_URL.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const roots = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const passThrough = process.argv.slice(2).filter((a) => a.startsWith('--'));
const found = [];
const walk = (dir) => {
  if (!statSync(dir).isDirectory()) {
    found.push(dir);
    return;
  }
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

const env = { ...process.env };
let server;
if (!env.FACEGATE_TEST_POSTGRES_URL) {
  const pgHelper = await import('../dist/test/helpers/postgres.js');
  const reason = pgHelper.postgresUnavailableReason();
  if (reason) {
    if (env.CI) {
      console.error(`CI requires PostgreSQL: ${reason}`);
      process.exit(1);
    }
    console.warn(`PostgreSQL tests will be skipped: ${reason}`);
  } else {
    server = await pgHelper.startPostgres();
    env.FACEGATE_TEST_POSTGRES_URL = server.url;
  }
}

const r = spawnSync(
  process.execPath,
  // --test-force-exit: a test file whose tests have all finished ends even if something it opened is left running, so
  // a leak fails nothing silently but can no longer hang the whole run (and CI) at that file.
  ['--test', '--test-concurrency=1', '--test-force-exit', '--test-reporter=spec', ...passThrough, ...found],
  { stdio: 'inherit', env },
);
server?.stop();
process.exit(r.status ?? 1);
