import pg from 'pg';
import { batchAsOneStatement, inSavepoint, numberPlaceholders, pgParam } from './postgres-sql.js';
import type { Row, SqlDriver, SqlValue } from './sql-driver.js';

// int8 (e.g. COUNT(*)) as a JS number; our counts and ids stay far below 2^53.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));
// timestamptz as an ISO string, the form every document carries.
pg.types.setTypeParser(1184, (v) => new Date(v).toISOString());

type Queryable = pg.Pool | pg.PoolClient;

/**
 * Statements are prepared once per connection and then only bound and run: parsing and planning each time was
 * a good part of what a request cost the database. Each connection keeps what it prepared, so only the first
 * statement texts seen get a name; the rest (list queries whose filters vary) run unnamed, as before.
 */
const MAX_PREPARED = 500;
const prepared = new Map<string, string | null>();
function statementName(text: string): string | undefined {
  let name = prepared.get(text);
  if (name === undefined && prepared.size < MAX_PREPARED) {
    name = `facegate_${prepared.size}`;
    prepared.set(text, name);
  }
  return name ?? undefined;
}

/**
 * A prepared `SELECT *` fails once another process has changed the table (a migration during a rolling deploy):
 * the statement's text is then run unnamed from here on, as it was before statements were prepared.
 */
const isStalePlan = (err: unknown) =>
  (err as { code?: string }).code === '0A000' && /cached plan must not change result type/.test(String(err));

function driverOn(q: Queryable, transaction: SqlDriver['transaction'], close: () => Promise<void>): SqlDriver {
  const query = async (sql: string, params: readonly SqlValue[] = []) => {
    const text = numberPlaceholders(sql);
    const name = statementName(text);
    const values = params.map(pgParam);
    if (name === undefined) return q.query({ text, values });
    try {
      return await q.query({ name, text, values });
    } catch (err) {
      if (!isStalePlan(err)) throw err;
      prepared.set(text, null);
      // Inside a transaction the error has aborted it: it fails, and its retry runs unnamed.
      if (!(q instanceof pg.Pool)) throw err;
      return q.query({ text, values });
    }
  };
  return {
    dialect: 'postgres',
    all: async <T extends Row>(sql: string, params?: readonly SqlValue[]) => (await query(sql, params)).rows as T[],
    get: async <T extends Row>(sql: string, params?: readonly SqlValue[]) =>
      (await query(sql, params)).rows[0] as T | undefined,
    run: async (sql, params) => (await query(sql, params)).rowCount ?? 0,
    batch: batchAsOneStatement(query),
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
