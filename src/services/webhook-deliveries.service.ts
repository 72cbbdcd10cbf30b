import type { Clock } from '../ports/clock.js';
import type { Store } from '../ports/store.js';
import type { WebhookEventRecord } from '../ports/webhook-outbox.js';
import type { AuditSource, AuditTrail } from './audit-trail.js';
import { mustFind } from './documents.js';

// A validation's webhook deliveries as the operator sees them (status, attempts, the receiver's last answer), and
// redelivery: the same event, same body and delivery id (so a receiver that saw it can tell), queued again now.

export interface WebhookDeliveryView {
  _id: string;
  biometricValidation: string | null;
  event: string;
  url: string;
  status: WebhookEventRecord['status'];
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  lastResponse: string | null;
  createdAt: string;
  deliveredAt: string | null;
}

export const deliveryView = (r: WebhookEventRecord): WebhookDeliveryView => ({
  _id: r.deliveryId,
  biometricValidation: r.resourceId,
  event: r.type,
  url: r.url,
  status: r.status,
  attempts: r.attempts,
  lastStatusCode: r.lastStatusCode,
  lastError: r.lastError,
  lastResponse: r.lastResponse,
  createdAt: r.createdAt,
  deliveredAt: r.deliveredAt,
});

export function createWebhookDeliveriesService(deps: { store: Store; clock: Clock; audit: AuditTrail }) {
  const { store, clock } = deps;
  return {
    async ofValidation(clientId: string, validationId: string): Promise<WebhookDeliveryView[]> {
      const v = await mustFind(
        store.biometricValidations.findById(clientId, validationId),
        'biometricValidationNotFound',
      );
      return (await store.webhooks.listByResource(clientId, v._id)).map(deliveryView);
    },
    async redeliver(clientId: string, deliveryId: string, who?: AuditSource): Promise<WebhookDeliveryView> {
      const d = deliveryView(await mustFind(store.webhooks.redeliver(clientId, deliveryId, clock.now())));
      await deps.audit.record(clientId, who, 'webhookDelivery.redeliver', { type: 'webhookDelivery', id: d._id });
      return d;
    },
  };
}

export type WebhookDeliveriesService = ReturnType<typeof createWebhookDeliveriesService>;
