import { z } from 'zod';
import { documentMeta, objectIdSchema } from './common.schema.js';
import { collectionIdField, imageField, imageList, osField, searchModeField } from './face-recognition.schema.js';

const dateOfBirth = z.iso.date({ error: 'must be a date YYYY-MM-DD' });
const personFields = {
  name: z.string().trim().min(1).max(200),
  gender: z.enum(['M', 'F']).nullable(),
  date_of_birth: dateOfBirth.nullable(),
  nationality: z.string().max(100).nullable(),
  notes: z.string().max(2000).nullable(),
};
const collectionRefs = z
  .array(z.string().min(1).max(64))
  .min(1)
  .max(50)
  .describe("The collections to enrol into: each a collection's `_id` or its UUID `code`");

export const personCreateBody = z.strictObject({
  ...personFields,
  gender: personFields.gender.optional(),
  date_of_birth: personFields.date_of_birth.optional(),
  nationality: personFields.nationality.optional(),
  notes: personFields.notes.optional(),
  email: z.email().max(320).nullable().optional(),
  phone: z.string().max(40).nullable().optional(),
  images: imageList(3).describe('1 to 3 photos of the person, each with one face (base64 or data URIs)'),
  collections: collectionRefs,
});

export const personUpdateBody = z.strictObject({ ...personFields, collections: collectionRefs }).partial();

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

const minScore = (min: number, def: number) =>
  z
    .number()
    .min(min)
    .max(1)
    .default(def)
    .describe('The score (0–1) a person must reach to be a match; the onboarding and login defaults are 0.9 and 0.85');
const livenessMin = (def: number) =>
  minScore(0.5, def).describe('The liveness score (0–1) the face must exceed to be taken as live');
const maxResults = (def: number) => z.number().int().min(1).max(100).default(def).describe('At most this many hits');
const probeImages = imageList(3).optional().describe('1 to 3 photos of the one person to find (or a single `image`)');

export const searchBody = z
  .object({
    images: probeImages,
    image: imageField.optional(),
    min_score: minScore(0.2, 0.85),
    search_mode: searchModeField.default('FAST'),
    collection_id: collectionIdField.optional(),
    max_results: maxResults(5),
  })
  .refine((b) => b.images || b.image, { message: 'missing images', path: ['images'] });

export const verifyBody = z
  .object({
    id: objectIdSchema.describe('The `_id` of the enrolled person to compare with'),
    images: probeImages,
    image: imageField.optional(),
    min_score: minScore(0.5, 0.85),
    search_mode: searchModeField.default('ACCURATE'),
    collection_id: collectionIdField.optional(),
  })
  .refine((b) => b.images || b.image, { message: 'missing images', path: ['images'] });

export const searchLiveFaceBody = z.object({
  image: imageField,
  os: osField,
  liveness_min_score: livenessMin(0.6),
  min_score: minScore(0.5, 0.85),
  search_mode: searchModeField.default('FAST'),
  collection_id: collectionIdField.optional(),
  max_results: maxResults(5),
});

export const enrolLiveFaceBody = z.strictObject({
  ...personCreateBody.shape,
  collections: collectionRefs.optional().describe('Further collections to enrol into, besides `collection_id`'),
  collection_id: collectionIdField.describe(
    'The collection searched for a duplicate and enrolled into: its `_id` or UUID `code`',
  ),
  liveness_min_score: livenessMin(0.6),
  min_score: minScore(0.5, 0.85),
  search_mode: searchModeField.default('ACCURATE'),
  // Sent by clients as to every liveness route; the photo's device does not change the check.
  os: osField.optional(),
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
