import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ReadinessService } from '../../services/readiness.service.js';

// Probes for load balancers and Kubernetes. /health/live: the process answers HTTP (restart it if not).
// /health/ready and /health: 200 when the database, the index and the engine can all serve, else 503 naming
// which cannot (take it out of rotation, do not restart it).

const state = z.enum(['ok', 'unavailable']);
const readySchema = z.object({
  status: state,
  database: state,
  index: state,
  engine: state,
  /** What an operator should know per component (why not ready, or e.g. a private index copy). */
  detail: z.object({ database: z.string(), index: z.string(), engine: z.string() }).partial().optional(),
});
const liveSchema = z.object({ status: z.literal('ok') });

export function registerHealthRoutes(fastify: FastifyInstance, deps: { readiness: ReadinessService }): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const schema = { tags: ['operations'], response: { 200: readySchema, 503: readySchema } };
  const ready = async (req: { log: FastifyInstance['log'] }, reply: { status(code: number): unknown }) => {
    const r = await deps.readiness.check();
    const detail: Record<string, string> = {};
    for (const [name, c] of Object.entries(r.components)) if (c.detail !== undefined) detail[name] = c.detail;
    if (!r.ready) {
      const [failed, err] = Object.entries(r.errors)[0] ?? [];
      req.log.error({ components: r.components, ...(err ? { err, failed } : {}) }, 'health check: not ready');
      reply.status(503);
    }
    const s = (ok: boolean) => (ok ? ('ok' as const) : ('unavailable' as const));
    return {
      status: s(r.ready),
      database: s(r.components.database.ok),
      index: s(r.components.index.ok),
      engine: s(r.components.engine.ok),
      ...(Object.keys(detail).length > 0 ? { detail } : {}),
    };
  };
  // Each route its own schema object: the docs transform writes each route's summary into it.
  app.get('/health', { logLevel: 'warn', schema: { ...schema } }, async (req, reply) => ready(req, reply));
  app.get('/health/ready', { logLevel: 'warn', schema: { ...schema } }, async (req, reply) => ready(req, reply));
  app.get(
    '/health/live',
    { logLevel: 'warn', schema: { tags: ['operations'], response: { 200: liveSchema } } },
    async () => ({
      status: 'ok' as const,
    }),
  );
}
