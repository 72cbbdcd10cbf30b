// A durable outbox: events are written in the same transaction as the state change they announce, then
// delivered by a dispatcher that survives restarts. Each event has a delivery id that receivers can dedupe on.

export interface NewWebhookEvent {
  clientId: string;
  url: string;
  type: string;
  /** The JSON body sent as is: `{ type, object }`. */
  body: string;
}

export interface WebhookDelivery {
  id: number;
  clientId: string;
  deliveryId: string;
  url: string;
  type: string;
  body: string;
  attempts: number;
}

export interface WebhookEventRecord extends WebhookDelivery {
  status: 'pending' | 'delivered' | 'failed';
  lastError: string | null;
  deliveredAt: string | null;
}

export interface WebhookOutbox {
  enqueue(event: NewWebhookEvent): Promise<string>;
  /**
   * Claims up to `limit` due events for `leaseMs`: a claimed event is not handed to another dispatcher (in this
   * or another process) until its lease runs out, which only happens if its dispatcher died mid-delivery.
   */
  claimDue(now: Date, limit: number, leaseMs: number): Promise<WebhookDelivery[]>;
  markDelivered(id: number, at: Date): Promise<void>;
  /** A failed attempt: retried at `retryAt`, or given up on when null. */
  markFailed(id: number, error: string, retryAt: Date | null): Promise<void>;
  list(clientId: string, limit: number): Promise<WebhookEventRecord[]>;
}
