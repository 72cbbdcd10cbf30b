// Which process of those sharing one data directory owns the HNSW snapshot (`<dataDir>/index`): the first to take
// `<dataDir>/index.lock`. The owner loads, rebuilds and saves the snapshot; every other process (a second server
// from the same checkout, a CLI command while the server runs) keeps its in-process index in a private scratch
// directory, built from the database, and never writes the snapshot. All of them stay current through the
// database's index change log, so the answers are the same; only the start-up cost differs.
//
// The lock file holds the owner's pid, host name and start time. It is stale, and taken over, when its process is
// gone: on this host when the pid no longer exists (or is our own: a restarted container that got the same pid),
// on another host (a shared volume) when the owner has not refreshed the file's time for `staleAfterMs`.

import { closeSync, openSync, readFileSync, rmSync, statSync, utimesSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';

export interface SnapshotOwner {
  pid: number;
  host: string;
  since: string;
}

export interface SnapshotLock {
  /** True when this process owns the snapshot directory. */
  readonly owned: boolean;
  /** Who does, when another process does (as read from the lock file). */
  readonly owner: SnapshotOwner | undefined;
  /** Gives the lock up (deletes the file if it is still ours). Idempotent. */
  release(): void;
}

export interface SnapshotLockOptions {
  /** How often the owner refreshes the lock file's time. */
  heartbeatMs?: number;
  /** A lock of another host not refreshed for this long is stale. */
  staleAfterMs?: number;
}

/** Lock files this process holds: our own pid in a lock file is stale only when it is not one of these. */
const heldHere = new Set<string>();

const HEARTBEAT_MS = 10_000;
const STALE_AFTER_MS = 120_000;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOwner(path: string): SnapshotOwner | undefined {
  try {
    const o = JSON.parse(readFileSync(path, 'utf8')) as Partial<SnapshotOwner>;
    if (typeof o.pid === 'number' && typeof o.host === 'string' && typeof o.since === 'string') {
      return { pid: o.pid, host: o.host, since: o.since };
    }
  } catch {
    // Missing, or half written by a process that is creating it right now.
  }
  return undefined;
}

function mtimeMs(path: string): number | undefined {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}

export function acquireSnapshotLock(path: string, options: SnapshotLockOptions = {}): SnapshotLock {
  const staleAfter = options.staleAfterMs ?? STALE_AFTER_MS;
  const me: SnapshotOwner = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  const content = `${JSON.stringify(me)}\n`;

  const isStale = (owner: SnapshotOwner | undefined): boolean => {
    const touched = mtimeMs(path);
    if (touched === undefined) return true;
    // Unparseable: a writer between create and write, unless it has been so for long.
    if (owner === undefined) return Date.now() - touched > 5_000;
    if (owner.host === me.host) return owner.pid === me.pid ? !heldHere.has(path) : !alive(owner.pid);
    return Date.now() - touched > staleAfter;
  };

  let owner: SnapshotOwner | undefined;
  let owned = false;
  for (let attempt = 0; attempt < 3 && !owned; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      try {
        writeSync(fd, content);
      } finally {
        closeSync(fd);
      }
      owned = true;
      heldHere.add(path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      owner = readOwner(path);
      if (!isStale(owner)) break;
      // Re-read just before removing, so that a lock another process took over meanwhile is left alone.
      if (JSON.stringify(readOwner(path)) !== JSON.stringify(owner)) continue;
      rmSync(path, { force: true });
    }
  }
  if (!owned) {
    return { owned: false, owner: owner ?? readOwner(path), release: () => undefined };
  }
  const heartbeat = setInterval(() => {
    try {
      const now = new Date();
      utimesSync(path, now, now);
    } catch {
      // Deleted under us (an operator): we keep the snapshot until we exit; the next process takes a new lock.
    }
  }, options.heartbeatMs ?? HEARTBEAT_MS).unref();
  let released = false;
  return {
    owned: true,
    owner: me,
    release() {
      if (released) return;
      released = true;
      heldHere.delete(path);
      clearInterval(heartbeat);
      const current = readOwner(path);
      if (current?.pid === me.pid && current.host === me.host && current.since === me.since) {
        rmSync(path, { force: true });
      }
    },
  };
}
