import { z } from 'zod';
import { documentMeta, objectIdSchema, strictBody } from './common.schema.js';

const collectionFields = {
  name: z.string().trim().min(1).max(200),
  description: z.string().max(1000).nullable(),
  project: objectIdSchema
    .nullable()
    .describe('The project it belongs to (a project gets its own default collection when created)'),
};

export const collectionCreateSchema = z.strictObject({
  name: collectionFields.name,
  description: collectionFields.description.default(null),
  project: collectionFields.project.default(null),
});
export type CollectionCreate = z.infer<typeof collectionCreateSchema>;

// No defaults here: an update must not reset what it does not name. Verifik's `people` (membership reconciled from
// the collection's side) is accepted and ignored: a person's `collections` are set on the person.
export const collectionUpdateSchema = strictBody(z.object(collectionFields).partial().shape, ['people']);
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
