import type { Client } from '../../domain/client.js';
import type { Collection } from '../../domain/collection.js';
import type { Project } from '../../domain/project.js';
import type { ProjectFlow } from '../../domain/project-flow.js';
import type { ValidationSetup } from '../../ports/store.js';
import { documentFromRow } from './document-table.js';
import type { SqlDriver, SqlValue } from './sql-driver.js';

// Creating a validation reads three documents; as three statements that is three round trips to PostgreSQL, and
// under load each one costs the server a write, a wake-up and a parse. One statement reads them together. The
// flow and the collection are looked up within the project's client, as the separate reads were; the client comes
// along for its token generation, which the session's token carries.

const COLUMNS = 'id, doc, created_at, updated_at, v';

const sql = (scoped: boolean) => `
  WITH p AS (SELECT id, client_id FROM projects WHERE id = ?${scoped ? ' AND client_id = ?' : ''})
  SELECT 'project' AS part, ${COLUMNS} FROM projects WHERE id = (SELECT id FROM p)
  UNION ALL
  SELECT 'flow', ${COLUMNS} FROM project_flows WHERE id = ? AND client_id = (SELECT client_id FROM p)
  UNION ALL
  SELECT * FROM (
    SELECT 'collection', ${COLUMNS} FROM collections
    WHERE project_id = (SELECT id FROM p) AND client_id = (SELECT client_id FROM p)
    ORDER BY created_at, id LIMIT 1
  ) AS first_collection
  UNION ALL
  SELECT 'client', ${COLUMNS} FROM clients WHERE id = (SELECT client_id FROM p)`;

const SCOPED = sql(true);
const UNSCOPED = sql(false);

export function createValidationSetupQuery(db: SqlDriver) {
  return async (clientId: string | null, projectId: string, flowId: string): Promise<ValidationSetup> => {
    const params: SqlValue[] = clientId === null ? [projectId, flowId] : [projectId, clientId, flowId];
    const rows = await db.all(clientId === null ? UNSCOPED : SCOPED, params);
    const setup: ValidationSetup = {};
    for (const row of rows) {
      if (row['part'] === 'project') setup.project = documentFromRow<Project>(row);
      else if (row['part'] === 'flow') setup.projectFlow = documentFromRow<ProjectFlow>(row);
      else if (row['part'] === 'client') setup.client = documentFromRow<Client>(row);
      else setup.collection = documentFromRow<Collection>(row);
    }
    return setup;
  };
}
