import { z } from 'zod';
import { auditActorTypes } from '../ports/audit-log.js';
import { isoDateSchema, objectIdSchema } from './common.schema.js';

export const auditEntrySchema = z.object({
  _id: objectIdSchema,
  client: objectIdSchema,
  actor: z
    .object({
      type: z.enum(auditActorTypes),
      id: z
        .string()
        .nullable()
        .describe(
          "The client's id for an API token, the person's for an operator's console session; null for the CLI " +
            'and the system',
        ),
      name: z.string().optional(),
    })
    .describe('Who acted'),
  action: z
    .string()
    .describe(
      'What was done: person.read, person.create, person.update, person.delete, person.removeFromCollection, ' +
        'collection.create, collection.update, collection.delete, project.create, project.update, ' +
        'project.delete, projectFlow.create, projectFlow.update, projectFlow.delete, token.refresh, token.renew, ' +
        'webhookSecret.rotate, client.update, webhookDelivery.redeliver, retention.purge, person.export, console.signIn, ' +
        'console.signOut',
    ),
  resource: z.object({ type: z.string(), id: z.string().nullable() }),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  createdAt: isoDateSchema,
});
