import type { FastifyInstance, preValidationAsyncHookHandler } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { dataOf, errorSchema, idParamsSchema } from '../../schemas/common.schema.js';
import { deliveryIdParams, webhookDeliverySchema } from '../../schemas/webhook-delivery.schema.js';
import type { WebhookDeliveriesService } from '../../services/webhook-deliveries.service.js';
import { auditSourceOf } from '../audit-source.js';
import { clientOf } from '../auth.js';

const errors = { 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema };

/** A validation's webhook deliveries and their redelivery (the console's validation timeline). */
export function registerWebhookDeliveryRoutes(
  fastify: FastifyInstance,
  d: { webhookDeliveries: WebhookDeliveriesService; auth: preValidationAsyncHookHandler },
): void {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['webhooks'];
  app.get(
    '/v2/biometric-validations/:id/webhook-deliveries',
    {
      preValidation: d.auth,
      schema: {
        tags,
        params: idParamsSchema,
        response: { 200: z.object({ data: z.array(webhookDeliverySchema), total: z.number().int() }), ...errors },
      },
    },
    async (req) => {
      const data = await d.webhookDeliveries.ofValidation(clientOf(req)._id, req.params.id);
      return { data, total: data.length };
    },
  );
  app.post(
    '/v2/webhook-deliveries/:id/redeliver',
    {
      preValidation: d.auth,
      schema: { tags, params: deliveryIdParams, response: { 200: dataOf(webhookDeliverySchema), ...errors } },
    },
    async (req) => ({
      data: await d.webhookDeliveries.redeliver(clientOf(req)._id, req.params.id, auditSourceOf(req)),
    }),
  );
}
