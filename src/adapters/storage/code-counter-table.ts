import type { CodeCounters } from '../../ports/code-counters.js';
import type { SqlDriver } from './sql-driver.js';

// One statement per hit, the same SQL on SQLite and PostgreSQL: an upsert whose update applies only while the window
// has room (or has passed). PostgreSQL locks the row for the conflicting insert and re-checks the condition on the
// row as committed by the concurrent one; SQLite has one writer at a time. Either way two hits cannot both take the
// last unit. A refused hit changes nothing, so it cannot stretch the window.

export function createCodeCounterTable(db: SqlDriver): CodeCounters {
  return {
    async hit(clientId, key, limit, windowMs, nowMs) {
      const start = nowMs - windowMs;
      const row = await db.get<{ count: number | string; window_start: number | string }>(
        `INSERT INTO code_counters AS c (client_id, name, count, window_start) VALUES (?, ?, 1, ?)
         ON CONFLICT (client_id, name) DO UPDATE SET
           count = CASE WHEN c.window_start <= ? THEN 1 ELSE c.count + 1 END,
           window_start = CASE WHEN c.window_start <= ? THEN excluded.window_start ELSE c.window_start END
         WHERE c.window_start <= ? OR c.count < ?
         RETURNING count, window_start`,
        [clientId, key, nowMs, start, start, start, limit],
      );
      if (row) return { taken: true, count: Number(row.count), windowStartMs: Number(row.window_start) };
      const current = await db.get<{ count: number | string; window_start: number | string }>(
        'SELECT count, window_start FROM code_counters WHERE client_id = ? AND name = ?',
        [clientId, key],
      );
      return {
        taken: false,
        count: Number(current?.count ?? limit),
        windowStartMs: Number(current?.window_start ?? nowMs),
      };
    },

    sweep: (beforeMs) => db.run('DELETE FROM code_counters WHERE window_start < ?', [beforeMs]),

    async release(clientId, key) {
      await db.run('UPDATE code_counters SET count = count - 1 WHERE client_id = ? AND name = ? AND count > 0', [
        clientId,
        key,
      ]);
    },
  };
}
