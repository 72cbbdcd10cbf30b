import type { SqlDriver } from '../sql-driver.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

// Two service processes may start at once on one PostgreSQL database: the advisory lock makes the second wait
// and then find the migrations applied. SQLite's BEGIN IMMEDIATE serialises the same way.
const PG_MIGRATION_LOCK = 7_460_231;

export async function migrate(db: SqlDriver, migrations: readonly Migration[]): Promise<number> {
  await db.exec(
    `CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at text NOT NULL)`,
  );
  return db.transaction(async (tx) => {
    if (tx.dialect === 'postgres') await tx.get('SELECT pg_advisory_xact_lock(?)', [PG_MIGRATION_LOCK]);
    const applied = new Set(
      (await tx.all<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => r.version),
    );
    let count = 0;
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
      if (applied.has(m.version)) continue;
      await tx.exec(m.sql);
      await tx.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [
        m.version,
        m.name,
        new Date().toISOString(),
      ]);
      count++;
    }
    return count;
  });
}
