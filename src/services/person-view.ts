import type { Collection } from '../domain/collection.js';
import type { Person } from '../domain/person.js';
import type { Thumbnail } from '../ports/face-data.js';
import type { Store } from '../ports/store.js';

/** A person as the API shows it: with thumbnails and collections, never templates. */
export interface PersonView extends Person {
  thumbnails: Thumbnail[];
  collections: Array<{ _id: string; id: string; code: string; name: string }>;
}

/** Adds thumbnails and collections to persons, in three queries whatever their number. */
export async function viewPersons(store: Store, clientId: string, persons: readonly Person[]): Promise<PersonView[]> {
  if (persons.length === 0) return [];
  const ids = persons.map((p) => p._id);
  const [thumbs, memberships] = await Promise.all([
    store.faceData.thumbnailsOf(clientId, ids),
    store.faceData.collectionsOf(clientId, ids),
  ]);
  const collectionIds = [...new Set(memberships.map((m) => m.collectionId))];
  const collections = new Map<string, Collection>();
  for (const id of collectionIds) {
    const c = await store.collections.findById(clientId, id);
    if (c) collections.set(id, c);
  }
  return persons.map((p) => ({
    ...p,
    thumbnails: thumbs.get(p._id) ?? [],
    collections: memberships
      .filter((m) => m.personId === p._id)
      .flatMap((m) => {
        const c = collections.get(m.collectionId);
        return c ? [{ _id: c._id, id: c._id, code: c.code, name: c.name }] : [];
      }),
  }));
}
