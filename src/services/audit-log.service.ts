import type { ListQuery } from '../domain/list-query.js';
import type { Store } from '../ports/store.js';

// The read side of the audit log for its tenant (`GET /v2/audit-logs`); there is no write side for tenants.

export function createAuditLogService(deps: { store: Store }) {
  const { auditLog } = deps.store;
  return {
    filterable: auditLog.filterable,
    list: (clientId: string, query: ListQuery) => auditLog.list(clientId, query),
  };
}

export type AuditLogService = ReturnType<typeof createAuditLogService>;
