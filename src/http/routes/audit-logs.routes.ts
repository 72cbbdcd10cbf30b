import type { FastifyInstance, preValidationAsyncHookHandler } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditEntrySchema } from '../../schemas/audit-log.schema.js';
import { errorSchema, listQuerySchema } from '../../schemas/common.schema.js';
import type { AuditLogService } from '../../services/audit-log.service.js';
import { clientOf } from '../auth.js';
import { parseListQuery } from '../list-query.js';

const errors = { 401: errorSchema, 403: errorSchema, 409: errorSchema };

/** The tenant's audit log: read only; no route writes or deletes an entry. */
export function registerAuditLogRoutes(
  fastify: FastifyInstance,
  d: { auditLogs: AuditLogService; auth: preValidationAsyncHookHandler },
): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/v2/audit-logs',
    {
      preValidation: d.auth,
      schema: {
        tags: ['audit'],
        querystring: listQuerySchema,
        response: { 200: z.object({ data: z.array(auditEntrySchema), total: z.number().int() }), ...errors },
      },
    },
    async (req) => {
      const r = await d.auditLogs.list(clientOf(req)._id, parseListQuery(req.query, d.auditLogs.filterable));
      return { data: r.items, total: r.total };
    },
  );
}
