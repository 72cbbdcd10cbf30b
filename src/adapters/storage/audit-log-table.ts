import { newObjectId } from '../../domain/object-id.js';
import type { AuditEntry, AuditLog } from '../../ports/audit-log.js';
import type { Clock } from '../../ports/clock.js';
import { createDocumentTable } from './document-table.js';
import type { SqlDriver } from './sql-driver.js';

// The audit log over the generic document table, for its list filters; but only its reads are used: entries are
// written here with one INSERT each, in one batch, and nothing here updates or deletes.

/** The filterable fields, flat copies of the nested actor and resource (stored only for the columns). */
interface StoredEntry extends AuditEntry {
  actorType: string;
  actorId: string | null;
  resourceType: string;
  resourceId: string | null;
}

const definition = {
  table: 'audit_logs',
  tenantColumn: 'client_id',
  columns: {
    action: { column: 'action', type: 'text' },
    actorType: { column: 'actor_type', type: 'text' },
    actorId: { column: 'actor_id', type: 'text' },
    resourceType: { column: 'resource_type', type: 'text' },
    resourceId: { column: 'resource_id', type: 'text' },
  },
} as const;

const entryOf = ({ actorType, actorId, resourceType, resourceId, updatedAt, __v, ...entry }: StoredEntry) =>
  ({ ...entry, updatedAt, __v }) as AuditEntry;

export function createAuditLogTable(db: SqlDriver, clock: Clock): AuditLog {
  const documents = createDocumentTable<StoredEntry>(db, definition, clock);
  return {
    filterable: documents.filterable.filter((f) => f !== 'updatedAt'),
    async append(entries) {
      const now = clock.now().toISOString();
      await db.batch(
        entries.map(({ _id, ...e }) => {
          const doc = { ...e, actorType: e.actor.type, actorId: e.actor.id, resourceType: e.resource.type };
          return {
            sql: `INSERT INTO audit_logs (id, client_id, action, actor_type, actor_id, resource_type, resource_id, doc,
              created_at, updated_at, v) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)`,
            params: [
              _id ?? newObjectId(),
              e.client,
              e.action,
              e.actor.type,
              e.actor.id,
              e.resource.type,
              e.resource.id,
              JSON.stringify({ ...doc, resourceId: e.resource.id }),
              now,
              now,
            ],
          };
        }),
      );
    },
    async list(clientId, query) {
      const page = await documents.list(clientId, query);
      return { items: page.items.map(entryOf), total: page.total };
    },
  };
}
