import { randomUUID } from 'node:crypto';
import type { Collection } from '../domain/collection.js';
import type { ListQuery } from '../domain/list-query.js';
import { isObjectId } from '../domain/object-id.js';
import { AppError } from '../errors.js';
import type { Store } from '../ports/store.js';
import type { VectorIndex } from '../ports/vector-index.js';
import type { CollectionCreate, CollectionUpdate } from '../schemas/collection.schema.js';
import type { AuditSource, AuditTrail } from './audit-trail.js';
import { bodyOf, mustFind, patched } from './documents.js';

export function createCollectionService(deps: { store: Store; index: VectorIndex; audit: AuditTrail }) {
  const { store, index } = deps;

  const requireProject = async (clientId: string, projectId: string | null | undefined) => {
    if (projectId && !(await store.projects.findById(clientId, projectId))) {
      throw new AppError('namedProjectNotFound');
    }
  };

  /** Anywhere a collection is named, its `_id` and its UUID `code` both work. */
  const find = (clientId: string, ref: string): Promise<Collection | undefined> =>
    isObjectId(ref) ? store.collections.findById(clientId, ref) : store.collections.findOne(clientId, { code: ref });

  return {
    /** The fields a list may filter and sort on. */
    filterable: store.collections.filterable,

    find,

    /** Like `find`, but a missing or foreign collection is Verifik's 404 `invalid_collection`. */
    resolve: (clientId: string, ref: string) => mustFind(find(clientId, ref), 'invalidCollection'),

    async create(clientId: string, input: CollectionCreate, who?: AuditSource): Promise<Collection> {
      await requireProject(clientId, input.project);
      const c = await store.collections.insert({ client: clientId, ...input, code: randomUUID(), deleted: false });
      await deps.audit.record(clientId, who, 'collection.create', { type: 'collection', id: c._id });
      return c;
    },

    get: (clientId: string, ref: string) => mustFind(find(clientId, ref)),

    list: (clientId: string, query: ListQuery) => store.collections.list(clientId, query),

    async update(clientId: string, ref: string, input: CollectionUpdate, who?: AuditSource): Promise<Collection> {
      const current = await mustFind(find(clientId, ref));
      await requireProject(clientId, input.project);
      const updated = await mustFind(
        store.collections.update(clientId, current._id, patched(bodyOf(current), input), current.__v),
        'conflict',
      );
      await deps.audit.record(clientId, who, 'collection.update', { type: 'collection', id: current._id });
      return updated;
    },

    /**
     * Deletes the collection with the face data only it holds: persons in no other collection are deleted (their
     * templates and thumbnails with them); persons also in another collection just leave this one.
     */
    async delete(clientId: string, ref: string, who?: AuditSource): Promise<Collection> {
      const current = await mustFind(find(clientId, ref));
      const deletedPersons = await store.transaction(async (tx) => {
        const members = await tx.faceData.membersOf(clientId, current._id);
        const memberships = await tx.faceData.collectionsOf(clientId, members);
        const deleted: string[] = [];
        for (const person of members) {
          if (!memberships.some((m) => m.personId === person && m.collectionId !== current._id)) {
            await tx.persons.delete(clientId, person);
            deleted.push(person);
          }
        }
        await tx.collections.delete(clientId, current._id);
        return deleted;
      });
      await index.dropCollection(current._id);
      await deps.audit.record(clientId, who, 'collection.delete', { type: 'collection', id: current._id });
      await deps.audit.record(
        clientId,
        who,
        'person.delete',
        deletedPersons.map((id) => ({ type: 'person', id })),
      );
      return current;
    },
  };
}

export type CollectionService = ReturnType<typeof createCollectionService>;
