import type { BaseDocument, DocumentBody, NewDocument } from '../domain/document.js';
import type { ListQuery, ListResult } from '../domain/list-query.js';

/**
 * Tenant-scoped document storage. Every read and write names the client (tenant): a row of another client is
 * indistinguishable from a missing one.
 */
export interface DocumentRepository<T extends BaseDocument> {
  /** Fields that `where_`, `in_`, `like_`, range filters and `sort` may name. */
  readonly filterable: readonly string[];
  insert(doc: NewDocument<T>): Promise<T>;
  /** `clientId` null reads across tenants: only for public routes and token resolution. */
  findById(clientId: string | null, id: string): Promise<T | undefined>;
  /** Looks up by indexed fields only (the filterable ones), within a tenant or across all when clientId is null. */
  findOne(clientId: string | null, where: Record<string, string | number | boolean | null>): Promise<T | undefined>;
  list(clientId: string | null, query: ListQuery): Promise<ListResult<T>>;
  /**
   * Replaces the body. With `expectedVersion` the write happens only if `__v` still equals it (optimistic
   * concurrency): undefined means the row is missing, foreign, or was changed meanwhile.
   */
  update(clientId: string, id: string, body: DocumentBody<T>, expectedVersion?: number): Promise<T | undefined>;
  delete(clientId: string, id: string): Promise<boolean>;
}
