import type { PGlite, QueryOptions, Transaction } from '@electric-sql/pglite';
import { batchAsOneStatement, inSavepoint, numberPlaceholders, pgParam } from './postgres-sql.js';
import type { Row, SqlDriver, SqlValue } from './sql-driver.js';

// PostgreSQL compiled to WASM, in-process: the test bed for PostgreSQL-only features (pgvector) on machines
// without a server that has them. Values come back in the shapes the `pg` driver gives (see postgres-driver.ts),
// so query code cannot tell the two apart. PGlite runs one statement at a time and holds other callers back while
// a transaction is open, which is what a pooled connection gives the `pg` driver.

const options: QueryOptions = {
  parsers: {
    // int8 (e.g. COUNT(*)) as a JS number, as the pg driver is configured; our counts and ids stay below 2^53.
    20: (v) => Number.parseInt(v, 10),
    // timestamptz as an ISO string, the form every document carries.
    1184: (v) => new Date(v).toISOString(),
  },
};

type Queryable = Pick<Transaction, 'query' | 'exec'>;

function driverOn(q: Queryable, transaction: SqlDriver['transaction'], close: () => Promise<void>): SqlDriver {
  const query = (sql: string, params: readonly SqlValue[] = []) =>
    q.query<Row>(numberPlaceholders(sql), params.map(pgParam), options);
  return {
    dialect: 'postgres',
    all: async <T extends Row>(sql: string, params?: readonly SqlValue[]) => (await query(sql, params)).rows as T[],
    get: async <T extends Row>(sql: string, params?: readonly SqlValue[]) =>
      (await query(sql, params)).rows[0] as T | undefined,
    run: async (sql, params) => (await query(sql, params)).affectedRows ?? 0,
    batch: batchAsOneStatement(query),
    exec: async (script) => {
      await q.exec(script);
    },
    transaction,
    close,
  };
}

export interface PgliteDriverOptions {
  /** Close the PGlite instance when the driver is closed (default true: the driver owns it). */
  closeDatabase?: boolean;
}

/** A SqlDriver (dialect 'postgres') over a PGlite instance; nested transactions are savepoints. */
export function createPgliteDriver(db: PGlite, { closeDatabase = true }: PgliteDriverOptions = {}): SqlDriver {
  const inTransaction = (tx: Transaction, depth: number): SqlDriver =>
    driverOn(
      tx,
      (fn) =>
        inSavepoint(
          (sql) => tx.exec(sql),
          depth + 1,
          () => fn(inTransaction(tx, depth + 1)),
        ),
      async () => {},
    );

  return driverOn(
    db,
    (fn) => db.transaction((tx) => fn(inTransaction(tx, 0))),
    async () => {
      if (closeDatabase && !db.closed) await db.close();
    },
  );
}
