import { z } from 'zod';
import { documentMeta, objectIdSchema } from './common.schema.js';

export const collectionCreateSchema = z.object({
  name: z.string().trim().min(1).max(200),
  description: z.string().max(1000).nullable().default(null),
  project: objectIdSchema.nullable().default(null),
});
export type CollectionCreate = z.infer<typeof collectionCreateSchema>;

export const collectionUpdateSchema = collectionCreateSchema.partial();
export type CollectionUpdate = z.infer<typeof collectionUpdateSchema>;

export const collectionSchema = z.object({
  ...documentMeta,
  client: objectIdSchema,
  name: z.string(),
  description: z.string().nullable(),
  code: z.uuid(),
  project: objectIdSchema.nullable(),
  deleted: z.boolean(),
});

/** Path parameter accepting either the `_id` or the UUID `code`. */
export const collectionRefParamsSchema = z.object({
  id: z.union([objectIdSchema, z.uuid()], { error: 'must be a collection _id or code' }),
});
