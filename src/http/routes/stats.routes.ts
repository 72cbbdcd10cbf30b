import type { FastifyInstance, preValidationAsyncHookHandler } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { dataOf, errorSchema } from '../../schemas/common.schema.js';
import { validationStatsQuery, validationStatsSchema } from '../../schemas/stats.schema.js';
import type { StatsService } from '../../services/stats.service.js';
import { clientOf } from '../auth.js';

const errors = { 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema };

/** The dashboard's figures for one client. */
export function registerStatsRoutes(
  fastify: FastifyInstance,
  d: { stats: StatsService; auth: preValidationAsyncHookHandler },
): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/v2/stats/validations',
    {
      preValidation: d.auth,
      schema: {
        tags: ['stats'],
        querystring: validationStatsQuery,
        response: { 200: dataOf(validationStatsSchema), ...errors },
      },
    },
    async (req) => ({ data: await d.stats.validations(clientOf(req)._id, req.query) }),
  );
}
