import pg from 'pg';
import type { Clock } from '../../ports/clock.js';
import type { IndexChange, IndexChangeLog } from '../../ports/index-change-log.js';
import type { SqlDriver } from './sql-driver.js';

const CHANNEL = 'facegate_index_changes';

export function createIndexChangeTable(db: SqlDriver, clock: Clock, databaseUrl: string | null): IndexChangeLog {
  return {
    async append(c) {
      const row = await db.get<{ id: number }>(
        'INSERT INTO index_changes (op, collection_id, keys, created_at) VALUES (?, ?, ?, ?) RETURNING id',
        [c.op, c.collection, c.keys.join(','), clock.now().toISOString()],
      );
      const id = Number(row?.id);
      if (db.dialect === 'postgres') await db.get('SELECT pg_notify(?, ?)', [CHANNEL, String(id)]);
      return id;
    },
    async since(after, limit) {
      const rows = await db.all(
        'SELECT id, op, collection_id, keys FROM index_changes WHERE id > ? ORDER BY id LIMIT ?',
        [after, limit],
      );
      return rows.map(
        (r): IndexChange => ({
          id: Number(r['id']),
          op: r['op'] as IndexChange['op'],
          collection: (r['collection_id'] as string | null) ?? null,
          keys: String(r['keys'])
            .split(',')
            .filter(Boolean)
            .map((k) => BigInt(k)),
        }),
      );
    },
    async latest() {
      const row = await db.get<{ id: number | null }>('SELECT MAX(id) AS id FROM index_changes');
      return Number(row?.id ?? 0);
    },
    async subscribe(onChange) {
      if (db.dialect !== 'postgres' || !databaseUrl) return null;
      // LISTEN needs a connection of its own, outside the pool.
      const client = new pg.Client({ connectionString: databaseUrl });
      client.on('error', () => undefined);
      await client.connect();
      client.on('notification', () => onChange());
      await client.query(`LISTEN ${CHANNEL}`);
      return async () => {
        await client.end().catch(() => undefined);
      };
    },
  };
}
