import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTemplateCipher } from '../../src/adapters/crypto/template-cipher.js';
import { migrate } from '../../src/adapters/storage/migrations/migration.js';
import { postgresMigrations } from '../../src/adapters/storage/migrations/postgres.js';
import { createPgliteDriver } from '../../src/adapters/storage/pglite-driver.js';
import { createSqlStore, openStore } from '../../src/adapters/storage/sql-store.js';
import type { Clock } from '../../src/ports/clock.js';
import { systemClock } from '../../src/ports/clock.js';
import type { Store } from '../../src/ports/store.js';
import { createPglite } from './pglite.js';
import { createTestDatabase, postgresSkip } from './postgres.js';

/** A cipher with a fresh random key, as a deployment would generate. */
export const testCipher = () => createTemplateCipher([randomBytes(32).toString('hex')]);

export interface StoreKind {
  name: 'sqlite' | 'postgres' | 'pglite';
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

/**
 * PostgreSQL in WASM (PGlite), in-process, migrated with the PostgreSQL migrations unchanged. It has no URL the
 * service can open, so it serves the store contracts (`open`) but not the HTTP tests (`freshUrl`).
 */
export const pgliteKind: StoreKind = {
  name: 'pglite',
  skip: false,
  freshUrl: () => Promise.reject(new Error('PGlite has no database URL: use open()')),
  async open(clock = systemClock) {
    const driver = createPgliteDriver(await createPglite());
    await migrate(driver, postgresMigrations);
    return createSqlStore(driver, clock, testCipher());
  },
};

/** Every store adapter: one contract, run against each. */
export const storeKinds: StoreKind[] = [sqliteKind, postgresKind];
