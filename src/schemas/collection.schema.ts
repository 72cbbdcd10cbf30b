import { z } from 'zod';
import { documentMeta, objectIdSchema } from './common.schema.js';

const collectionFields = {
  name: z.string().trim().min(1).max(200),
  description: z.string().max(1000).nullable(),
  project: objectIdSchema.nullable(),
};

export const collectionCreateSchema = z.object({
  name: collectionFields.name,
  description: collectionFields.description.default(null),
  project: collectionFields.project.default(null),
});
export type CollectionCreate = z.infer<typeof collectionCreateSchema>;

// No defaults here: an update must not reset what it does not name.
export const collectionUpdateSchema = z.object(collectionFields).partial();
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
