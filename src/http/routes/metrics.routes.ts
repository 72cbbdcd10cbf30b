import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Config } from '../../config.js';
import { errorSchema } from '../../schemas/common.schema.js';
import { metricsGuard } from '../metrics-access.js';

export interface MetricsEndpoint {
  readonly contentType: string;
  render(): Promise<string>;
}

/** Prometheus' scrape target; also times every request by its route pattern. */
export function registerMetricsRoutes(
  app: FastifyInstance,
  d: {
    metrics: MetricsEndpoint & {
      httpRequest(method: string, route: string, statusCode: number, seconds: number): void;
    };
    access: Pick<Config, 'metricsToken' | 'metricsAllow'>;
  },
): void {
  app.addHook('onResponse', async (request, reply) => {
    // The pattern (`/v2/face-recognition/persons/:id`), never the URL: ids would make a series per resource.
    const route = request.routeOptions.url ?? 'unmatched';
    d.metrics.httpRequest(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
  });
  app.get(
    '/metrics',
    {
      preValidation: metricsGuard({ token: d.access.metricsToken, allow: d.access.metricsAllow }),
      schema: {
        tags: ['operations'],
        summary: 'Prometheus metrics (text exposition format)',
        description:
          'Token: `FACEGATE_METRICS_TOKEN` as `Authorization: Bearer <token>` when set; only from the addresses ' +
          'of `FACEGATE_METRICS_ALLOW` (default loopback only, or any address when a token is set).',
        response: {
          200: z.string().describe('Prometheus text format 0.0.4'),
          401: errorSchema,
          403: errorSchema,
        },
      },
    },
    async (_req, reply) => reply.type(d.metrics.contentType).send(await d.metrics.render()),
  );
}
