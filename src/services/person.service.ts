import type { Collection } from '../domain/collection.js';
import { emptyListQuery, type ListQuery } from '../domain/list-query.js';
import { identityKey, type Person } from '../domain/person.js';
import { AppError } from '../errors.js';
import type { FaceEngine, FaceSample } from '../ports/face-engine.js';
import type { Store } from '../ports/store.js';
import type { VectorIndex } from '../ports/vector-index.js';
import type { AuditSource, AuditTrail } from './audit-trail.js';
import type { CollectionService } from './collection.service.js';
import { bodyOf, mustFind, patched } from './documents.js';
import type { ImageReader } from './image-input.js';
import { type PersonView, viewPersons } from './person-view.js';

export interface PersonInput {
  name: string;
  images: string[];
  gender?: 'M' | 'F' | null | undefined;
  date_of_birth?: string | null | undefined;
  nationality?: string | null | undefined;
  collections: string[];
  notes?: string | null | undefined;
  email?: string | null | undefined;
  phone?: string | null | undefined;
  identifier?: string | null | undefined;
}

export interface PersonUpdate {
  name?: string | undefined;
  gender?: 'M' | 'F' | null | undefined;
  date_of_birth?: string | null | undefined;
  nationality?: string | null | undefined;
  notes?: string | null | undefined;
  collections?: string[] | undefined;
}

const isUniqueViolation = (err: unknown) => /unique|duplicate key/i.test(String((err as Error)?.message));

export function createPersonService(deps: {
  store: Store;
  engine: FaceEngine;
  index: VectorIndex;
  collections: CollectionService;
  readImage: ImageReader;
  audit: AuditTrail;
}) {
  const { store, engine, index } = deps;

  const view = async (clientId: string, person: Person): Promise<PersonView> =>
    (await viewPersons(store, clientId, [person]))[0] as PersonView;

  const alreadySet = async (clientId: string, holderId: string) => {
    const holder = await store.persons.findById(clientId, holderId);
    return new AppError('personAlreadyEnrolled', {
      ...(holder ? { data: await view(clientId, holder) } : {}),
    });
  };

  const resolveCollections = async (clientId: string, refs: readonly string[]): Promise<Collection[]> => {
    const unique = [...new Set(refs)];
    const found = await Promise.all(unique.map((ref) => deps.collections.resolve(clientId, ref)));
    return [...new Map(found.map((c) => [c._id, c])).values()];
  };

  const addToIndex = async (
    collectionIds: readonly string[],
    personId: string,
    ids: readonly bigint[],
    samples: readonly Float32Array[],
  ) => {
    const entries = ids.map((key, i) => ({ key, personId, vector: samples[i] as Float32Array }));
    for (const c of collectionIds) await index.add(c, entries);
  };

  /** Reads and analyses enrolment images: each must pass the quality gates with exactly one face. */
  const analyseImages = async (images: readonly string[]): Promise<FaceSample[]> =>
    Promise.all(
      images.map(async (img, i) => {
        const image = await deps.readImage(img, `images[${i}]`);
        return engine.analyse(image, { thumbnail: true }).catch((err: unknown) => {
          throw inImage(err, `images[${i}]`);
        });
      }),
    );

  const service = {
    /** The fields a list may filter and sort on. */
    filterable: store.persons.filterable,
    view,

    /** Enrols a person analysed already (the onboarding flow analyses once for liveness, search and enrolment). */
    async enrol(
      clientId: string,
      input: Omit<PersonInput, 'images'>,
      samples: readonly FaceSample[],
      who?: AuditSource,
    ): Promise<PersonView> {
      const collections = await resolveCollections(clientId, input.collections);
      if (collections.length === 0) throw new AppError('missingParameter', { message: 'missing collections' });
      const key = identityKey(input.name, input.date_of_birth ?? null);
      if (key) {
        for (const c of collections) {
          const holder = await store.faceData.findByIdentity(c._id, key);
          if (holder) throw await alreadySet(clientId, holder);
        }
      }
      let created: { person: Person; ids: bigint[] };
      try {
        created = await store.transaction(async (tx) => {
          const person = await tx.persons.insert({
            client: clientId,
            name: input.name,
            gender: input.gender ?? null,
            date_of_birth: input.date_of_birth ?? null,
            nationality: input.nationality ?? null,
            notes: input.notes ?? null,
            email: input.email ?? null,
            phone: input.phone ?? null,
            identifier: input.identifier ?? null,
            status: 'active',
            deleted: false,
          });
          const ids = await tx.faceData.addTemplates(
            samples.map((s) => ({
              personId: person._id,
              clientId,
              modelId: engine.modelId,
              template: s.template,
              norm: s.templateNorm,
              thumbnail: s.thumbnail ?? null,
            })),
          );
          for (const c of collections) {
            const holder = await tx.faceData.addMembership(clientId, person._id, c._id, key);
            if (holder) throw await alreadySet(clientId, holder);
          }
          return { person, ids };
        });
      } catch (err) {
        // Two enrolments of the same identity raced past the check above: the unique index decided.
        if (key && isUniqueViolation(err)) {
          for (const c of collections) {
            const holder = await store.faceData.findByIdentity(c._id, key);
            if (holder) throw await alreadySet(clientId, holder);
          }
        }
        throw err;
      }
      await addToIndex(
        collections.map((c) => c._id),
        created.person._id,
        created.ids,
        samples.map((s) => s.template),
      );
      await deps.audit.record(clientId, who, 'person.create', { type: 'person', id: created.person._id });
      return view(clientId, created.person);
    },

    async create(clientId: string, input: PersonInput, who?: AuditSource): Promise<PersonView> {
      // Collections first: a wrong collection is a cheap error, analysing images is not.
      await resolveCollections(clientId, input.collections);
      return service.enrol(clientId, input, await analyseImages(input.images), who);
    },

    /** A read of face data (thumbnails): recorded before it is answered. */
    async get(clientId: string, id: string, who?: AuditSource): Promise<PersonView> {
      const person = await view(clientId, await mustFind(store.persons.findById(clientId, id)));
      await deps.audit.record(clientId, who, 'person.read', { type: 'person', id: person._id });
      return person;
    },

    async list(clientId: string, query: ListQuery, who?: AuditSource) {
      const page = await store.persons.list(clientId, query);
      const items = await viewPersons(store, clientId, page.items);
      await deps.audit.record(
        clientId,
        who,
        'person.read',
        items.map((p) => ({ type: 'person', id: p._id })),
      );
      return { items, total: page.total };
    },

    /** Verifik's lookup: name contains (digits ignored, at least 3 letters), optional date of birth. */
    async lookup(
      clientId: string,
      q: { name: string; date_of_birth?: string | undefined; page: number; limit: number },
      who?: AuditSource,
    ) {
      const name = q.name.replace(/\d+/g, '').trim();
      if (name.length < 3) throw new AppError('missingParameter', { message: '"name" must have at least 3 letters' });
      const query = emptyListQuery({
        like: { name },
        page: q.page,
        perPage: q.limit,
        sort: [{ field: 'name', desc: false }],
      });
      if (q.date_of_birth) query.where['date_of_birth'] = q.date_of_birth;
      return service.list(clientId, query, who);
    },

    async update(clientId: string, id: string, input: PersonUpdate, who?: AuditSource): Promise<PersonView> {
      const current = await mustFind(store.persons.findById(clientId, id));
      const { collections: refs, ...fields } = input;
      const next = patched(bodyOf(current), fields);
      const target = refs ? await resolveCollections(clientId, refs) : undefined;
      if (target && target.length === 0) throw new AppError('missingParameter', { message: 'missing collections' });
      const key = identityKey(next.name, next.date_of_birth);
      const before = new Set((await store.faceData.collectionsOf(clientId, [id])).map((m) => m.collectionId));
      const after = target ? new Set(target.map((c) => c._id)) : before;
      for (const c of after) {
        const holder = key ? await store.faceData.findByIdentity(c, key) : undefined;
        if (holder && holder !== id) throw await alreadySet(clientId, holder);
      }
      const added = [...after].filter((c) => !before.has(c));
      const removed = [...before].filter((c) => !after.has(c));
      const updated = await store.transaction(async (tx) => {
        const u = await mustFind(tx.persons.update(clientId, id, next, current.__v), 'conflict');
        await tx.faceData.updateIdentityKey(clientId, id, key);
        for (const c of added) await tx.faceData.addMembership(clientId, id, c, key);
        for (const c of removed) await tx.faceData.removeMembership(clientId, id, c);
        return u;
      });
      const templates = await store.faceData.templatesOf(clientId, [id]);
      const keys = templates.map((t) => t.id);
      for (const c of removed) await index.removeFromCollection(c, keys);
      await addToIndex(
        added,
        id,
        keys,
        templates.map((t) => t.template),
      );
      await deps.audit.record(clientId, who, 'person.update', { type: 'person', id });
      return view(clientId, updated);
    },

    /**
     * Deletes the person (templates, thumbnails, memberships) or, with `collection`, removes it from that
     * collection only (deleting it when it was the last). The index forgets it before this resolves.
     */
    async delete(clientId: string, id: string, collection?: string, who?: AuditSource): Promise<PersonView> {
      const person = await view(clientId, await mustFind(store.persons.findById(clientId, id)));
      const keys = await store.faceData.templateIdsOf(clientId, id);
      if (collection) {
        const c = await deps.collections.resolve(clientId, collection);
        const remaining = person.collections.filter((m) => m._id !== c._id);
        if (remaining.length > 0) {
          if (!(await store.faceData.removeMembership(clientId, id, c._id))) throw new AppError('notFound');
          await index.removeFromCollection(c._id, keys);
          await deps.audit.record(clientId, who, 'person.removeFromCollection', { type: 'person', id });
          return { ...person, collections: remaining };
        }
      }
      await store.persons.delete(clientId, id);
      await index.remove(keys);
      await deps.audit.record(clientId, who, 'person.delete', { type: 'person', id });
      return { ...person, deleted: true };
    },

    /** Resolves collection references of a request, for search. */
    resolveCollections,
  };
  return service;
}

export type PersonService = ReturnType<typeof createPersonService>;

/** A face error about one of several photos names it (`images[1]: no face was detected in the image`). */
function inImage(err: unknown, field: string): unknown {
  if (!(err instanceof AppError) || err.status >= 500 || err.about !== undefined || err.message.startsWith(field)) {
    return err;
  }
  if (err.kind === 'missingParameter') return new AppError('missingParameter', { message: `${field}: ${err.message}` });
  return new AppError(err.kind, {
    about: field,
    ...(err.shown !== undefined ? { shown: err.shown } : {}),
    ...(err.data !== undefined ? { data: err.data } : {}),
    cause: err,
  });
}
