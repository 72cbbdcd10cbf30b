import type { AppLogin } from '../domain/app-login.js';
import { emptyListQuery } from '../domain/list-query.js';
import type { AuditEntry } from '../ports/audit-log.js';
import type { Clock } from '../ports/clock.js';
import type { Store } from '../ports/store.js';
import type { AuditSource, AuditTrail } from './audit-trail.js';
import { mustFind } from './documents.js';
import { type PersonView, viewPersons } from './person-view.js';

// A person's data as the person may ask for it (right of access): the record with its thumbnails and collections,
// every app login that names the person, and what the audit log says was done with their data. Templates stay on
// the server, as everywhere else: they are keyed derivatives that no one outside the engine can use or read.

export interface PersonExport {
  exportedAt: string;
  person: PersonView;
  appLogins: AppLogin[];
  auditLog: AuditEntry[];
}

/** Enough for any real person's history; an export is one answer, not a paged list. */
const MAX_ROWS = 1000;

export function createPersonExportService(deps: { store: Store; audit: AuditTrail; clock: Clock }) {
  const { store } = deps;
  const all = { page: 1, perPage: MAX_ROWS, offset: 0 };
  return {
    async export(clientId: string, id: string, who?: AuditSource): Promise<PersonExport> {
      const person = await mustFind(store.persons.findById(clientId, id));
      const [[view], logins, entries] = await Promise.all([
        viewPersons(store, clientId, [person]),
        store.appLogins.list(clientId, emptyListQuery({ ...all, where: { person: id } })),
        store.auditLog.list(clientId, emptyListQuery({ ...all, where: { resourceId: id } })),
      ]);
      // Recorded after the history is read, so the export does not list itself.
      await deps.audit.record(clientId, who, 'person.export', { type: 'person', id });
      return {
        exportedAt: deps.clock.now().toISOString(),
        person: view as PersonView,
        appLogins: logins.items,
        auditLog: entries.items,
      };
    },
  };
}

export type PersonExportService = ReturnType<typeof createPersonExportService>;
