import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTemplateCipher } from '../../src/adapters/crypto/template-cipher.js';
import { openStore } from '../../src/adapters/storage/sql-store.js';
import type { Clock } from '../../src/ports/clock.js';
import { systemClock } from '../../src/ports/clock.js';
import type { Store } from '../../src/ports/store.js';
import { createTestDatabase, postgresSkip } from './postgres.js';

/** A cipher with a fresh random key, as a deployment would generate. */
export const testCipher = () => createTemplateCipher([randomBytes(32).toString('hex')]);

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
    return (await openStore(await this.freshUrl(), clock, testCipher())).store;
  },
};

export const postgresKind: StoreKind = {
  name: 'postgres',
  skip: postgresSkip(),
  freshUrl: () => createTestDatabase(),
  async open(clock = systemClock) {
    return (await openStore(await this.freshUrl(), clock, testCipher())).store;
  },
};

/** Every store adapter: one contract, run against each. */
export const storeKinds: StoreKind[] = [sqliteKind, postgresKind];
