import type { SqlValue, Statement } from './sql-driver.js';

// What both PostgreSQL drivers (the `pg` server driver and PGlite) share.

const numbered = new Map<string, string>();
/** List queries vary with their filters; past this many texts the rest are numbered each time, not remembered. */
const MAX_NUMBERED = 2000;

/** Query text is shared with SQLite, which uses `?`: number the placeholders once per statement text. */
export function numberPlaceholders(sql: string): string {
  let out = numbered.get(sql);
  if (out === undefined) {
    let n = 0;
    out = sql.replace(/\?/g, () => `$${++n}`);
    if (numbered.size < MAX_NUMBERED) numbered.set(sql, out);
  }
  return out;
}

/**
 * Write statements as one: all but the last become data-modifying CTEs (`WITH w0 AS (…), w1 AS (…) <last>`).
 * PostgreSQL runs every one of them, in one snapshot, and a single statement is atomic without BEGIN and COMMIT.
 * The `?` placeholders stay in the order of the parameters, so they are numbered as for any other statement.
 */
export function asOneStatement(statements: readonly Statement[]): Statement {
  if (statements.length === 1 && statements[0]) return statements[0];
  const last = statements.length - 1;
  const ctes = statements.slice(0, last).map((s, i) => `w${i} AS (${s.sql})`);
  return {
    sql: `WITH ${ctes.join(', ')} ${statements[last]?.sql ?? ''}`,
    params: statements.flatMap((s) => s.params),
  };
}

export const pgParam = (v: SqlValue): unknown => (typeof v === 'bigint' ? v.toString() : v);

/** Runs `fn` in a savepoint, so that a nested transaction's failure rolls back only its own work. */
export async function inSavepoint<T>(
  exec: (sql: string) => Promise<unknown>,
  depth: number,
  fn: () => Promise<T>,
): Promise<T> {
  const name = `sp${depth}`;
  await exec(`SAVEPOINT ${name}`);
  try {
    const out = await fn();
    await exec(`RELEASE SAVEPOINT ${name}`);
    return out;
  } catch (err) {
    await exec(`ROLLBACK TO SAVEPOINT ${name}`);
    throw err;
  }
}

/** `SqlDriver.batch` of a PostgreSQL driver: the statements sent as one (see asOneStatement). */
export const batchAsOneStatement =
  (query: (sql: string, params: readonly SqlValue[]) => Promise<unknown>) =>
  async (statements: readonly Statement[]): Promise<void> => {
    if (statements.length === 0) return;
    const one = asOneStatement(statements);
    await query(one.sql, one.params);
  };
