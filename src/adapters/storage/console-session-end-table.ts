import type { ConsoleSessionEnds } from '../../ports/console-session-ends.js';
import type { SqlDriver } from './sql-driver.js';

// The same SQL on SQLite and PostgreSQL. Ending is one insert that does nothing on a second end, so concurrent
// sign-outs of one session cannot both report that they ended it. Instants are ISO strings, as elsewhere: text
// order on SQLite, timestamptz on PostgreSQL.

export function createConsoleSessionEndTable(db: SqlDriver): ConsoleSessionEnds {
  return {
    async end(clientId, sid, endedAt, expiresAt) {
      const inserted = await db.run(
        `INSERT INTO console_session_ends (client_id, sid, ended_at, expires_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (client_id, sid) DO NOTHING`,
        [clientId, sid, endedAt.toISOString(), expiresAt.toISOString()],
      );
      return inserted > 0;
    },

    async hasEnded(clientId, sid) {
      const row = await db.get('SELECT 1 AS ended FROM console_session_ends WHERE client_id = ? AND sid = ?', [
        clientId,
        sid,
      ]);
      return row !== undefined;
    },

    sweep: (before) => db.run('DELETE FROM console_session_ends WHERE expires_at < ?', [before.toISOString()]),
  };
}
