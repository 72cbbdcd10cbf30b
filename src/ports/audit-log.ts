import type { BaseDocument, NewDocument } from '../domain/document.js';
import type { ListQuery, ListResult } from '../domain/list-query.js';

// The audit log: who read face data, enrolled, deleted, renewed a token, rotated a secret or changed settings,
// when and from where. Append-only: the port has no update and no delete, so nothing built on it can rewrite
// history. Entries name resources by id only, never hold face data, and outlive what they name (deleting a person
// keeps the entries about it); they go only with their tenant.

export const auditActorTypes = ['client', 'operator', 'project-login', 'cli', 'system'] as const;
export type AuditActorType = (typeof auditActorTypes)[number];

export interface AuditActor {
  type: AuditActorType;
  /** The client's id for an API token, the person's for an operator; null for the CLI and the system. */
  id: string | null;
  name?: string;
}

export interface AuditEntry extends BaseDocument {
  client: string;
  actor: AuditActor;
  /** `<resource>.<verb>`: person.read, person.create, person.delete, collection.delete, token.renew, … */
  action: string;
  resource: { type: string; id: string | null };
  ip: string | null;
  userAgent: string | null;
}

export type NewAuditEntry = NewDocument<AuditEntry>;

export interface AuditLog {
  /** Fields a list may filter and sort on. */
  readonly filterable: readonly string[];
  /** Appends the entries atomically (one read of a page of persons is one entry per person). */
  append(entries: readonly NewAuditEntry[]): Promise<void>;
  list(clientId: string, query: ListQuery): Promise<ListResult<AuditEntry>>;
}
