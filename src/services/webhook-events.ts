import type { NewWebhookEvent } from '../ports/webhook-outbox.js';

/** Verifik's webhook body: `{ type, object }` (§7). */
export const webhookEvent = (
  clientId: string,
  url: string,
  type: string,
  object: unknown,
  resourceId?: string,
): NewWebhookEvent => ({
  clientId,
  url,
  type,
  body: JSON.stringify({ type, object }),
  ...(resourceId === undefined ? {} : { resourceId }),
});
