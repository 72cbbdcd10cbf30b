import type { SqlValue } from './sql-driver.js';

// What both PostgreSQL drivers (the `pg` server driver and PGlite) share.

const numbered = new Map<string, string>();

/** Query text is shared with SQLite, which uses `?`: number the placeholders once per statement text. */
export function numberPlaceholders(sql: string): string {
  let out = numbered.get(sql);
  if (out === undefined) {
    let n = 0;
    out = sql.replace(/\?/g, () => `$${++n}`);
    numbered.set(sql, out);
  }
  return out;
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
