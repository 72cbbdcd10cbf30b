import { z } from 'zod';
import { isoDateSchema, objectIdSchema } from './common.schema.js';

export const webhookDeliverySchema = z.object({
  _id: z.string().describe('The delivery id, sent as X-Facegate-Delivery (a redelivery keeps it)'),
  biometricValidation: objectIdSchema.nullable().describe('The validation the event is about'),
  event: z.string().describe('The event type, e.g. biometric_validation_validated'),
  url: z.string(),
  status: z.enum(['pending', 'delivered', 'failed']).describe('failed: given up on after its retries'),
  attempts: z.number().int().describe('Attempts of the current round (a redelivery starts a new round)'),
  lastStatusCode: z.number().int().nullable().describe("The receiver's last HTTP status; null before an answer"),
  lastError: z.string().nullable(),
  lastResponse: z.string().nullable().describe("The start (up to 2 KiB) of the receiver's last answer"),
  createdAt: isoDateSchema,
  deliveredAt: isoDateSchema.nullable(),
});

export const deliveryIdParams = z.object({ id: z.string().min(1).max(64) });
