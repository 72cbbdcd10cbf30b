import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/adapters/storage/sql-store.js';
import type { Clock } from '../../src/ports/clock.js';
import { systemClock } from '../../src/ports/clock.js';
import type { Store } from '../../src/ports/store.js';
import { createTestDatabase, postgresSkip } from './postgres.js';

export interface StoreKind {
  name: 'sqlite' | 'postgres';
  /** false, or why this kind is skipped on this machine. */
  skip: string | false;
  /** A database URL for a fresh, empty, migrated-on-open database. */
  freshUrl(): Promise<string>;
  open(clock?: Clock): Promise<Store>;
}

const tempDirs: string[] = [];
process.once('exit', () => {
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
});

export const sqliteKind: StoreKind = {
  name: 'sqlite',
  skip: false,
  async freshUrl() {
    const dir = mkdtempSync(join(tmpdir(), 'facegate-sqlite-'));
    tempDirs.push(dir);
    return `sqlite:${join(dir, 'test.sqlite')}`;
  },
  async open(clock = systemClock) {
    return (await openStore(await this.freshUrl(), clock)).store;
  },
};

export const postgresKind: StoreKind = {
  name: 'postgres',
  skip: postgresSkip(),
  freshUrl: () => createTestDatabase(),
  async open(clock = systemClock) {
    return (await openStore(await this.freshUrl(), clock)).store;
  },
};

/** Every store adapter: one contract, run against each. */
export const storeKinds: StoreKind[] = [sqliteKind, postgresKind];
