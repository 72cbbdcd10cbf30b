import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Row, SqlDriver, SqlValue } from './sql-driver.js';

// better-sqlite3 is synchronous, but our transactions are async functions: while one is open, another
// request's statement must not slip into it. A promise chain serialises transactions against every other
// statement; statements inside the transaction use the handle given to the callback and skip the queue.

const toParam = (v: SqlValue): unknown => (typeof v === 'boolean' ? (v ? 1 : 0) : v);

export function createSqliteDriver(file: string): SqlDriver {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma('synchronous = NORMAL');
  db.defaultSafeIntegers(false);

  const statements = new Map<string, Database.Statement>();
  const prepare = (sql: string): Database.Statement => {
    let s = statements.get(sql);
    if (!s) {
      s = db.prepare(sql);
      statements.set(sql, s);
    }
    return s;
  };

  let queue: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(fn: () => Promise<T> | T): Promise<T> => {
    const next = queue.then(fn, fn);
    queue = next.catch(() => undefined);
    return next;
  };

  const direct = {
    all: (sql: string, params: readonly SqlValue[] = []) => prepare(sql).all(...params.map(toParam)) as Row[],
    get: (sql: string, params: readonly SqlValue[] = []) => prepare(sql).get(...params.map(toParam)) as Row | undefined,
    run: (sql: string, params: readonly SqlValue[] = []) => prepare(sql).run(...params.map(toParam)).changes,
  };

  let depth = 0;
  const inTx: SqlDriver = {
    dialect: 'sqlite',
    all: async <T extends Row>(sql: string, params?: readonly SqlValue[]) => direct.all(sql, params) as T[],
    get: async <T extends Row>(sql: string, params?: readonly SqlValue[]) => direct.get(sql, params) as T | undefined,
    run: async (sql, params) => direct.run(sql, params),
    batch: (statements) =>
      inTx.transaction(async (tx) => {
        for (const s of statements) await tx.run(s.sql, s.params);
      }),
    exec: async (script) => {
      db.exec(script);
    },
    transaction: async (fn) => {
      // A nested transaction becomes a savepoint, so that its failure rolls back only its own work.
      const name = `sp${++depth}`;
      db.exec(`SAVEPOINT ${name}`);
      try {
        const out = await fn(inTx);
        db.exec(`RELEASE ${name}`);
        return out;
      } catch (err) {
        db.exec(`ROLLBACK TO ${name}; RELEASE ${name}`);
        throw err;
      } finally {
        depth--;
      }
    },
    close: async () => {},
  };

  return {
    dialect: 'sqlite',
    all: <T extends Row>(sql: string, params?: readonly SqlValue[]) => exclusive(() => direct.all(sql, params) as T[]),
    get: <T extends Row>(sql: string, params?: readonly SqlValue[]) =>
      exclusive(() => direct.get(sql, params) as T | undefined),
    run: (sql, params) => exclusive(() => direct.run(sql, params)),
    // Synchronous statements in one transaction: no other request can interleave, and there is no round trip to save.
    batch: (statements) =>
      exclusive(() => {
        db.transaction(() => {
          for (const s of statements) direct.run(s.sql, s.params);
        }).immediate();
      }),
    exec: (script) =>
      exclusive(() => {
        db.exec(script);
      }),
    transaction: (fn) =>
      exclusive(async () => {
        prepare('BEGIN IMMEDIATE').run();
        try {
          const out = await fn(inTx);
          prepare('COMMIT').run();
          return out;
        } catch (err) {
          if (db.inTransaction) db.exec('ROLLBACK');
          throw err;
        }
      }),
    close: () =>
      exclusive(() => {
        statements.clear();
        if (db.open) db.close();
      }),
  };
}
