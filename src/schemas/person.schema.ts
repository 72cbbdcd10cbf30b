import { z } from 'zod';
import { documentMeta, objectIdSchema } from './common.schema.js';
import { imageField, imageList, osField, searchModeField } from './face-recognition.schema.js';

const dateOfBirth = z.iso.date({ error: 'must be a date YYYY-MM-DD' });
const personFields = {
  name: z.string().trim().min(1).max(200),
  gender: z.enum(['M', 'F']).nullable(),
  date_of_birth: dateOfBirth.nullable(),
  nationality: z.string().max(100).nullable(),
  notes: z.string().max(2000).nullable(),
};
const collectionRefs = z.array(z.string().min(1).max(64)).min(1).max(50);

export const personCreateBody = z.object({
  ...personFields,
  gender: personFields.gender.optional(),
  date_of_birth: personFields.date_of_birth.optional(),
  nationality: personFields.nationality.optional(),
  notes: personFields.notes.optional(),
  email: z.email().max(320).nullable().optional(),
  phone: z.string().max(40).nullable().optional(),
  images: imageList(3),
  collections: collectionRefs,
});

export const personUpdateBody = z.object({ ...personFields, collections: collectionRefs }).partial();

export const thumbnailSchema = z.object({ id: z.string(), thumbnail: z.string() });

export const personSchema = z.object({
  ...documentMeta,
  client: objectIdSchema,
  ...personFields,
  email: z.string().nullable(),
  phone: z.string().nullable(),
  identifier: z.string().nullable(),
  status: z.string(),
  deleted: z.boolean(),
  thumbnails: z.array(thumbnailSchema),
  collections: z
    .array(z.string())
    .describe("The ids (`_id`) of the person's collections, as Verifik documents; search hits name them instead"),
});

/** A person as the API answers it: `collections` as the collections' ids (Verifik's shape, §5.2). */
export const personResponse = <P extends { collections: ReadonlyArray<{ _id: string }> }>(p: P) => ({
  ...p,
  collections: p.collections.map((c) => c._id),
});

export const lookupQuery = z.object({
  name: z.string().min(1).max(200),
  date_of_birth: dateOfBirth.optional(),
  page: z.coerce.number().int().min(1).default(1),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const deletePersonQuery = z.object({ collection: z.string().min(1).max(64).optional() });

const minScore = (min: number, def: number) => z.number().min(min).max(1).default(def);

export const searchBody = z
  .object({
    images: imageList(3).optional(),
    image: imageField.optional(),
    min_score: minScore(0.2, 0.85),
    search_mode: searchModeField.default('FAST'),
    collection_id: z.string().min(1).max(64).optional(),
    max_results: z.number().int().min(1).max(100).default(5),
  })
  .refine((b) => b.images || b.image, { message: 'missing images', path: ['images'] });

export const verifyBody = z
  .object({
    id: objectIdSchema,
    images: imageList(3).optional(),
    image: imageField.optional(),
    min_score: minScore(0.5, 0.85),
    search_mode: searchModeField.default('ACCURATE'),
    collection_id: z.string().min(1).max(64).optional(),
  })
  .refine((b) => b.images || b.image, { message: 'missing images', path: ['images'] });

export const searchLiveFaceBody = z.object({
  image: imageField,
  os: osField,
  liveness_min_score: minScore(0.5, 0.6),
  min_score: minScore(0.5, 0.85),
  search_mode: searchModeField.default('FAST'),
  collection_id: z.string().min(1).max(64).optional(),
  max_results: z.number().int().min(1).max(100).default(5),
});

export const enrolLiveFaceBody = z.object({
  ...personCreateBody.shape,
  collections: collectionRefs.optional(),
  collection_id: z.string().min(1).max(64),
  liveness_min_score: minScore(0.5, 0.6),
  min_score: minScore(0.5, 0.85),
  search_mode: searchModeField.default('ACCURATE'),
});

export const searchHitSchema = z.object({
  id: objectIdSchema,
  _id: objectIdSchema,
  name: z.string(),
  score: z.number(),
  gender: z.string().nullable(),
  date_of_birth: z.string().nullable(),
  nationality: z.string().nullable(),
  thumbnails: z.array(thumbnailSchema),
  collections: z.array(z.object({ id: z.string(), name: z.string() })),
});
