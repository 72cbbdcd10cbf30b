import pg from 'pg';
import { inSavepoint, numberPlaceholders, pgParam } from './postgres-sql.js';
import type { Row, SqlDriver, SqlValue } from './sql-driver.js';

// int8 (e.g. COUNT(*)) as a JS number; our counts and ids stay far below 2^53.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));
// timestamptz as an ISO string, the form every document carries.
pg.types.setTypeParser(1184, (v) => new Date(v).toISOString());

type Queryable = pg.Pool | pg.PoolClient;

function driverOn(q: Queryable, transaction: SqlDriver['transaction'], close: () => Promise<void>): SqlDriver {
  const query = async (sql: string, params: readonly SqlValue[] = []) =>
    q.query({ text: numberPlaceholders(sql), values: params.map(pgParam) });
  return {
    dialect: 'postgres',
    all: async <T extends Row>(sql: string, params?: readonly SqlValue[]) => (await query(sql, params)).rows as T[],
    get: async <T extends Row>(sql: string, params?: readonly SqlValue[]) =>
      (await query(sql, params)).rows[0] as T | undefined,
    run: async (sql, params) => (await query(sql, params)).rowCount ?? 0,
    exec: async (script) => {
      await q.query(script);
    },
    transaction,
    close,
  };
}

export function createPostgresDriver(connectionString: string, options: { max?: number } = {}): SqlDriver {
  const pool = new pg.Pool({ connectionString, max: options.max ?? 10 });
  // An idle client's error (server restart) must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);

  const inClient = (client: pg.PoolClient, depth: number): SqlDriver =>
    driverOn(
      client,
      (fn) =>
        inSavepoint(
          (sql) => client.query(sql),
          depth + 1,
          () => fn(inClient(client, depth + 1)),
        ),
      async () => {},
    );

  return driverOn(
    pool,
    async (fn) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const out = await fn(inClient(client, 0));
        await client.query('COMMIT');
        return out;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    () => pool.end(),
  );
}
