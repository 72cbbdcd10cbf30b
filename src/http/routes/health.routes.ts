import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Store } from '../../ports/store.js';

const healthSchema = z.object({ status: z.enum(['ok', 'unavailable']), database: z.enum(['ok', 'unavailable']) });

export function registerHealthRoutes(fastify: FastifyInstance, deps: { store: Store }): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/health',
    { logLevel: 'warn', schema: { tags: ['operations'], response: { 200: healthSchema, 503: healthSchema } } },
    async (req, reply) => {
      try {
        await deps.store.ping();
        return { status: 'ok' as const, database: 'ok' as const };
      } catch (err) {
        req.log.error({ err }, 'health check: database unavailable');
        return reply.status(503).send({ status: 'unavailable', database: 'unavailable' });
      }
    },
  );
}
