import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { acquireSnapshotLock } from './snapshot-lock.js';

const lockIn = () => join(mkdtempSync(join(tmpdir(), 'facegate-lock-')), 'index.lock');
/** The pid of a process that has exited. */
const deadPid = (): number =>
  Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString());

test('the first taker owns the lock; a second is refused while the first holds it, and takes it once released', () => {
  const path = lockIn();
  const first = acquireSnapshotLock(path);
  assert.equal(first.owned, true);
  assert.equal(JSON.parse(readFileSync(path, 'utf8')).pid, process.pid);
  const second = acquireSnapshotLock(path);
  assert.equal(second.owned, false);
  assert.equal(second.owner?.pid, process.pid);
  first.release();
  assert.equal(existsSync(path), false);
  const third = acquireSnapshotLock(path);
  assert.equal(third.owned, true);
  third.release();
  rmSync(join(path, '..'), { recursive: true, force: true });
});

test('a lock left by a process that is gone is taken over; one of a live process is not', () => {
  const path = lockIn();
  const pid = deadPid();
  writeFileSync(path, JSON.stringify({ pid, host: hostname(), since: new Date().toISOString() }));
  const taken = acquireSnapshotLock(path);
  assert.equal(taken.owned, true);
  taken.release();
  writeFileSync(path, JSON.stringify({ pid: process.ppid, host: hostname(), since: new Date().toISOString() }));
  assert.equal(acquireSnapshotLock(path).owned, false);
  // Another host's lock is trusted while it is refreshed.
  writeFileSync(path, JSON.stringify({ pid: 1, host: 'elsewhere', since: new Date().toISOString() }));
  assert.equal(acquireSnapshotLock(path, { staleAfterMs: 60_000 }).owned, false);
  const stale = acquireSnapshotLock(path, { staleAfterMs: -1 });
  assert.equal(stale.owned, true);
  stale.release();
  rmSync(join(path, '..'), { recursive: true, force: true });
});
