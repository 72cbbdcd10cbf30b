// A durable outbox: events are written in the same transaction as the state change they announce, then
// delivered by a dispatcher that survives restarts. Each event has a delivery id that receivers can dedupe on.

export interface NewWebhookEvent {
  clientId: string;
  url: string;
  type: string;
  /** The JSON body sent as is: `{ type, object }`. */
  body: string;
  /** The document the event is about (a validation's id), so its deliveries can be listed with it. */
  resourceId?: string;
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
  resourceId: string | null;
  lastError: string | null;
  /** The receiver's last HTTP status, and the start of its body; null before any answer (or on a network error). */
  lastStatusCode: number | null;
  lastResponse: string | null;
  createdAt: string;
  deliveredAt: string | null;
}

/** What the receiver answered to an attempt. */
export interface WebhookAttemptAnswer {
  statusCode: number;
  response: string | null;
}

export interface WebhookOutbox {
  enqueue(event: NewWebhookEvent): Promise<string>;
  /**
   * Claims up to `limit` due events for `leaseMs`: a claimed event is not handed to another dispatcher (in this
   * or another process) until its lease runs out, which only happens if its dispatcher died mid-delivery.
   */
  claimDue(now: Date, limit: number, leaseMs: number): Promise<WebhookDelivery[]>;
  markDelivered(id: number, at: Date, answer?: WebhookAttemptAnswer): Promise<void>;
  /** A failed attempt: retried at `retryAt`, or given up on when null. */
  markFailed(id: number, error: string, retryAt: Date | null, answer?: WebhookAttemptAnswer): Promise<void>;
  list(clientId: string, limit: number): Promise<WebhookEventRecord[]>;
  /** The client's events about one document, oldest first. */
  listByResource(clientId: string, resourceId: string): Promise<WebhookEventRecord[]>;
  findByDeliveryId(clientId: string, deliveryId: string): Promise<WebhookEventRecord | undefined>;
  /**
   * Makes the event due again at `now` with a fresh round of attempts, whatever its status, unless a dispatcher
   * holds it right now (then it is left as is). Returns the event, or undefined when missing or another client's.
   */
  redeliver(clientId: string, deliveryId: string, now: Date): Promise<WebhookEventRecord | undefined>;
  /** Events not yet delivered nor given up on (of one client, or of all when null). */
  backlog(clientId: string | null): Promise<number>;
}
