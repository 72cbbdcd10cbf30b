import type { PurgeCounts, RetentionStore } from '../../ports/retention.js';
import type { SqlDriver, SqlValue } from './sql-driver.js';

// The retention purge in SQL. Children first (app logins and webhook events name their validation), all in one
// transaction per project, so a purge that fails midway leaves nothing half deleted.

const tables = {
  appLogins: 'app_logins',
  livenessSessions: 'liveness_sessions',
  biometricValidations: 'biometric_validations',
  emailValidations: 'email_validations',
  phoneValidations: 'phone_validations',
} as const;

async function purge(tx: SqlDriver, scope: string, params: readonly SqlValue[]): Promise<PurgeCounts> {
  const webhookEvents = await tx.run(
    `DELETE FROM webhook_outbox WHERE resource_id IN (SELECT id FROM biometric_validations t WHERE ${scope})`,
    params,
  );
  const counts = { webhookEvents } as PurgeCounts;
  for (const [key, table] of Object.entries(tables) as Array<[keyof typeof tables, string]>) {
    counts[key] = await tx.run(`DELETE FROM ${table} WHERE id IN (SELECT id FROM ${table} t WHERE ${scope})`, params);
  }
  return counts;
}

export function createRetentionQuery(db: SqlDriver): RetentionStore {
  return {
    purgeProject: (clientId, projectId, before) =>
      db.transaction((tx) =>
        purge(tx, 't.client_id = ? AND t.project_id = ? AND t.created_at < ?', [clientId, projectId, before]),
      ),
    async purgeOrphans(before) {
      const orphaned =
        't.client_id = ? AND t.created_at < ? AND NOT EXISTS (SELECT 1 FROM projects p WHERE p.id = t.project_id)';
      const clients = await db.all<{ client_id: string }>(
        `SELECT DISTINCT client_id FROM biometric_validations t
         WHERE t.created_at < ? AND NOT EXISTS (SELECT 1 FROM projects p WHERE p.id = t.project_id)
         UNION SELECT DISTINCT client_id FROM email_validations t
         WHERE t.created_at < ? AND NOT EXISTS (SELECT 1 FROM projects p WHERE p.id = t.project_id)
         UNION SELECT DISTINCT client_id FROM phone_validations t
         WHERE t.created_at < ? AND NOT EXISTS (SELECT 1 FROM projects p WHERE p.id = t.project_id)`,
        [before, before, before],
      );
      const out: Array<{ clientId: string; counts: PurgeCounts }> = [];
      for (const { client_id: clientId } of clients) {
        out.push({ clientId, counts: await db.transaction((tx) => purge(tx, orphaned, [clientId, before])) });
      }
      return out;
    },
  };
}
